//! Who may sign in: school administrators, operators and API clients.

use diesel::prelude::*;

use crate::schema::{admin_schools, admins, api_client_schools, api_clients};
use crate::{DbConnection, StoreError};

/// An administrator as stored, with the hash to check a password against.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = admins)]
pub struct AdminRow {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub is_operator: bool,
}

/// An API client as stored, with the hash to check its secret against.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_clients)]
pub struct ApiClientRow {
    pub id: i64,
    pub client_id: String,
    pub secret_hash: String,
    pub name: String,
    /// Space-separated scopes.
    pub scopes: String,
}

pub fn admin_by_email(
    conn: &mut DbConnection,
    email: &str,
) -> Result<Option<AdminRow>, StoreError> {
    Ok(admins::table
        .filter(admins::email.eq(email.trim().to_lowercase()))
        .select(AdminRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn client_by_client_id(
    conn: &mut DbConnection,
    client_id: &str,
) -> Result<Option<ApiClientRow>, StoreError> {
    Ok(api_clients::table
        .filter(api_clients::client_id.eq(client_id))
        .select(ApiClientRow::as_select())
        .first(conn)
        .optional()?)
}

/// Creates an administrator, or updates the one with this email; returns its id.
pub fn upsert_admin(
    conn: &mut DbConnection,
    email: &str,
    display_name: &str,
    password_hash: &str,
    is_operator: bool,
) -> Result<i64, StoreError> {
    let email = email.trim().to_lowercase();
    conn.transaction(|conn| {
        let existing = admin_by_email(conn, &email)?;
        if let Some(admin) = existing {
            diesel::update(admins::table.find(admin.id))
                .set((
                    admins::password_hash.eq(password_hash),
                    admins::display_name.eq(display_name),
                    admins::is_operator.eq(is_operator),
                ))
                .execute(conn)?;
            return Ok(admin.id);
        }
        diesel::insert_into(admins::table)
            .values((
                admins::email.eq(&email),
                admins::password_hash.eq(password_hash),
                admins::display_name.eq(display_name),
                admins::is_operator.eq(is_operator),
            ))
            .execute(conn)?;
        Ok(admins::table
            .filter(admins::email.eq(&email))
            .select(admins::id)
            .first(conn)?)
    })
}

/// Grants an administrator a school; granting twice is harmless.
pub fn grant_admin_school(
    conn: &mut DbConnection,
    admin_id: i64,
    school_id: i64,
) -> Result<(), StoreError> {
    let already: i64 = admin_schools::table
        .filter(admin_schools::admin_id.eq(admin_id))
        .filter(admin_schools::school_id.eq(school_id))
        .count()
        .get_result(conn)?;
    if already == 0 {
        diesel::insert_into(admin_schools::table)
            .values((
                admin_schools::admin_id.eq(admin_id),
                admin_schools::school_id.eq(school_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Creates an API client, or replaces the secret and scopes of the one with this id.
pub fn upsert_client(
    conn: &mut DbConnection,
    client_id: &str,
    name: &str,
    secret_hash: &str,
    scopes: &str,
) -> Result<i64, StoreError> {
    conn.transaction(|conn| {
        if let Some(client) = client_by_client_id(conn, client_id)? {
            diesel::update(api_clients::table.find(client.id))
                .set((
                    api_clients::secret_hash.eq(secret_hash),
                    api_clients::name.eq(name),
                    api_clients::scopes.eq(scopes),
                ))
                .execute(conn)?;
            return Ok(client.id);
        }
        diesel::insert_into(api_clients::table)
            .values((
                api_clients::client_id.eq(client_id),
                api_clients::name.eq(name),
                api_clients::secret_hash.eq(secret_hash),
                api_clients::scopes.eq(scopes),
            ))
            .execute(conn)?;
        Ok(api_clients::table
            .filter(api_clients::client_id.eq(client_id))
            .select(api_clients::id)
            .first(conn)?)
    })
}

/// Grants an API client a school; granting twice is harmless.
pub fn grant_client_school(
    conn: &mut DbConnection,
    api_client_id: i64,
    school_id: i64,
) -> Result<(), StoreError> {
    let already: i64 = api_client_schools::table
        .filter(api_client_schools::api_client_id.eq(api_client_id))
        .filter(api_client_schools::school_id.eq(school_id))
        .count()
        .get_result(conn)?;
    if already == 0 {
        diesel::insert_into(api_client_schools::table)
            .values((
                api_client_schools::api_client_id.eq(api_client_id),
                api_client_schools::school_id.eq(school_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}
