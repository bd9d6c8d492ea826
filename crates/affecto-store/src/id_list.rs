//! `column IN (ids)` with the whole list bound as one parameter.
//!
//! diesel's `eq_any` writes one placeholder per id on SQLite, so each length of list is
//! a new statement, compiled again at every call and never kept prepared. Reads that
//! list ids on every request (the products of a school, the holders among a class's
//! students) use [`in_ids`] instead: on SQLite the list travels as a JSON array read by
//! `json_each`, on PostgreSQL as an array compared with `= ANY`, and the statement is
//! the same whatever the list, so it stays prepared on both backends.

use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Bool, Text};
use diesel::sqlite::Sqlite;
use diesel::QueryResult;

/// The condition `column IN (ids)`; see the module documentation.
#[derive(Debug, Clone)]
pub struct InIds<C> {
    column: C,
    ids: Vec<i64>,
    json: String,
}

/// `column IN (ids)`, as one prepared statement whatever the number of ids.
pub fn in_ids<C>(column: C, ids: &[i64]) -> InIds<C>
where
    C: Expression<SqlType = BigInt>,
{
    let listed: Vec<String> = ids.iter().map(i64::to_string).collect();
    InIds {
        column,
        ids: ids.to_vec(),
        json: format!("[{}]", listed.join(",")),
    }
}

impl<C> Expression for InIds<C> {
    type SqlType = Bool;
}

impl<C: AppearsOnTable<QS>, QS: ?Sized> AppearsOnTable<QS> for InIds<C> {}

impl<C: SelectableExpression<QS>, QS: ?Sized> SelectableExpression<QS> for InIds<C> {}

impl<C: ValidGrouping<G>, G> ValidGrouping<G> for InIds<C> {
    type IsAggregate = C::IsAggregate;
}

impl<C: QueryId> QueryId for InIds<C> {
    type QueryId = InIds<C::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C: QueryFragment<Sqlite>> QueryFragment<Sqlite> for InIds<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, _>(&self.json)?;
        out.push_sql("))");
        Ok(())
    }
}

impl<C: QueryFragment<Pg>> QueryFragment<Pg> for InIds<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        out.push_bind_param::<Array<BigInt>, _>(&self.ids)?;
        out.push_sql(")");
        Ok(())
    }
}
