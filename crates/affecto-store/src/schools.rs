//! Schools and who may see them.

use affecto_api_types::School;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{admin_schools, api_client_schools, schools};
use crate::{DbConnection, StoreError};

/// Whose eyes a query is for. Every read of a school's data starts from a school
/// found through [`find_visible_school`], which is where tenant isolation lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// The platform operator sees every school.
    Operator,
    /// A school administrator sees the schools they were granted.
    Admin(i64),
    /// An API client sees the schools it was granted.
    Client(i64),
}

/// A school as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = schools)]
pub struct SchoolRow {
    pub id: i64,
    pub uai: String,
    pub name: String,
}

impl From<SchoolRow> for School {
    fn from(row: SchoolRow) -> Self {
        School {
            uai: row.uai,
            name: row.name,
        }
    }
}

/// The school with this UAI, if the viewer may see it. A school the viewer may not
/// see is indistinguishable from one that does not exist.
pub fn find_visible_school(
    conn: &mut DbConnection,
    viewer: Viewer,
    uai: &str,
) -> Result<Option<SchoolRow>, StoreError> {
    let by_uai = schools::table.filter(schools::uai.eq(uai)).select((
        schools::id,
        schools::uai,
        schools::name,
    ));
    // Every request starts here: the statements run on the concrete connection, where
    // diesel keeps them prepared from one request to the next. The UAI is unique, so
    // no `LIMIT` is needed.
    let found = visible_to!(viewer, by_uai, |query| {
        on_each_backend!(conn, c => query.get_result(c).optional())
    })?;
    Ok(found)
}

/// Every school the viewer may see, by UAI.
pub fn visible_schools(
    conn: &mut DbConnection,
    viewer: Viewer,
) -> Result<Vec<SchoolRow>, StoreError> {
    let all = schools::table
        .order(schools::uai)
        .select(SchoolRow::as_select());
    let rows = match viewer {
        Viewer::Operator => all.load(conn)?,
        Viewer::Admin(admin_id) => all
            .inner_join(admin_schools::table)
            .filter(admin_schools::admin_id.eq(admin_id))
            .load(conn)?,
        Viewer::Client(client_id) => all
            .inner_join(api_client_schools::table)
            .filter(api_client_schools::api_client_id.eq(client_id))
            .load(conn)?,
    };
    Ok(rows)
}

/// Creates a school; `None` when one with this UAI exists already.
pub fn create_school(
    conn: &mut DbConnection,
    uai: &str,
    name: &str,
    now: NaiveDateTime,
) -> Result<Option<SchoolRow>, StoreError> {
    let exists = schools::table
        .filter(schools::uai.eq(uai))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if exists {
        return Ok(None);
    }
    diesel::insert_into(schools::table)
        .values((
            schools::uai.eq(uai),
            schools::name.eq(name),
            schools::created_at.eq(now),
        ))
        .execute(conn)?;
    find_visible_school(conn, Viewer::Operator, uai)
}
