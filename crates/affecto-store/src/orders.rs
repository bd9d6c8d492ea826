//! Orders ("commandes"): what a distributor sold a school, recorded under the order id
//! that distributor uses. Each order holds one licence pool per audience it bought
//! for; re-sending an order updates its pools, never below what is assigned from them.

use affecto_api_types::{Order, OrderRequest, Product};
use affecto_domain::Audience;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::catalogue::{create_pool, ensure_product, NewPool, NewProduct};
use crate::licences::{load_products, PoolRow};
use crate::schema::{licence_pools, orders, products, schools};
use crate::{DbConnection, StoreError};

/// One order to record for one school.
#[derive(Debug, Clone)]
pub struct OrderInput<'a> {
    /// `client:<id>` or `operator`: order ids are unique per distributor.
    pub distributor: &'a str,
    pub school_id: i64,
    pub request: &'a OrderRequest,
    /// Who sent it, as the audit record names callers.
    pub recorded_by: &'a str,
    pub now: NaiveDateTime,
}

/// Why an order was refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    #[error("{assigned} {audience} licences of this order are assigned; it cannot go down to {requested}")]
    BelowAssigned {
        audience: Audience,
        assigned: u32,
        requested: u32,
    },
    #[error("order {0:?} was recorded for another school")]
    OtherSchool(String),
    #[error("order {0:?} was recorded for another product; record a new order instead")]
    OtherProduct(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for OrderError {
    fn from(e: diesel::result::Error) -> Self {
        OrderError::Store(StoreError::Query(e))
    }
}

/// What recording an order did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    /// The order's row id.
    pub id: i64,
    /// True when the order was new.
    pub created: bool,
}

// Known limitation: `transferable` is stored and returned only; a seat taken back from
// a non-transferable order's pool can still be handed to someone else.
#[derive(Debug, Clone, Queryable)]
struct OrderRow {
    id: i64,
    school_id: i64,
    product_id: i64,
}

/// Records the order, or updates the one the distributor sent with the same id, in
/// one transaction.
pub fn record_order(
    conn: &mut DbConnection,
    input: &OrderInput<'_>,
) -> Result<Recorded, OrderError> {
    conn.transaction(|conn| {
        // A write first: on SQLite it takes the write lock before anything is read.
        diesel::update(schools::table.find(input.school_id))
            .set(schools::name.eq(schools::name))
            .execute(conn)?;
        let subjects: Vec<&str> = input
            .request
            .product
            .subjects
            .iter()
            .map(String::as_str)
            .collect();
        let product_id = ensure_product(conn, &new_product(input.request, &subjects))?;
        let existing: Option<OrderRow> = orders::table
            .filter(orders::distributor.eq(input.distributor))
            .filter(orders::order_ref.eq(&input.request.order_id))
            .select((orders::id, orders::school_id, orders::product_id))
            .first(conn)
            .optional()?;
        match existing {
            None => create_order(conn, input, product_id),
            Some(order) => update_order(conn, input, product_id, &order),
        }
    })
}

fn new_product<'a>(request: &'a OrderRequest, subjects: &'a [&'a str]) -> NewProduct<'a> {
    NewProduct {
        external_id: &request.product.external_id,
        kind: &request.product.kind,
        title: &request.product.title,
        levels: &request.product.levels,
        subjects,
    }
}

fn seats_of(request: &OrderRequest, audience: Audience) -> u32 {
    match audience {
        Audience::Student => request.students,
        Audience::Teacher => request.teachers,
    }
}

fn create_order(
    conn: &mut DbConnection,
    input: &OrderInput<'_>,
    product_id: i64,
) -> Result<Recorded, OrderError> {
    let request = input.request;
    diesel::insert_into(orders::table)
        .values((
            orders::distributor.eq(input.distributor),
            orders::order_ref.eq(&request.order_id),
            orders::school_id.eq(input.school_id),
            orders::product_id.eq(product_id),
            orders::valid_from.eq(request.valid_from),
            orders::valid_until.eq(request.valid_until),
            orders::transferable.eq(request.transferable),
            orders::recorded_by.eq(input.recorded_by),
            orders::created_at.eq(input.now),
            orders::updated_at.eq(input.now),
        ))
        .execute(conn)?;
    let id: i64 = orders::table
        .filter(orders::distributor.eq(input.distributor))
        .filter(orders::order_ref.eq(&request.order_id))
        .select(orders::id)
        .first(conn)?;
    for audience in Audience::ALL {
        let seats = seats_of(request, audience);
        if seats > 0 {
            add_pool(conn, input, id, product_id, audience, seats)?;
        }
    }
    Ok(Recorded { id, created: true })
}

fn add_pool(
    conn: &mut DbConnection,
    input: &OrderInput<'_>,
    order_id: i64,
    product_id: i64,
    audience: Audience,
    seats: u32,
) -> Result<(), StoreError> {
    let pool = create_pool(
        conn,
        &NewPool {
            school_id: input.school_id,
            product_id,
            audience,
            purchased: i32::try_from(seats).unwrap_or(i32::MAX),
            valid_from: input.request.valid_from,
            valid_until: input.request.valid_until,
        },
    )?;
    diesel::update(licence_pools::table.find(pool))
        .set(licence_pools::order_id.eq(order_id))
        .execute(conn)?;
    Ok(())
}

fn update_order(
    conn: &mut DbConnection,
    input: &OrderInput<'_>,
    product_id: i64,
    order: &OrderRow,
) -> Result<Recorded, OrderError> {
    let request = input.request;
    if order.school_id != input.school_id {
        return Err(OrderError::OtherSchool(request.order_id.clone()));
    }
    if order.product_id != product_id {
        return Err(OrderError::OtherProduct(request.order_id.clone()));
    }
    diesel::update(orders::table.find(order.id))
        .set((
            orders::valid_from.eq(request.valid_from),
            orders::valid_until.eq(request.valid_until),
            orders::transferable.eq(request.transferable),
            orders::recorded_by.eq(input.recorded_by),
            orders::updated_at.eq(input.now),
        ))
        .execute(conn)?;
    for audience in Audience::ALL {
        resize_pool(conn, input, order, audience)?;
    }
    Ok(Recorded {
        id: order.id,
        created: false,
    })
}

/// Brings the order's pool of `audience` to the seats now bought: created, resized
/// or, when none are bought any more and none assigned, removed. The guard in each
/// statement makes it refuse to go below the assigned count even if an assignment
/// lands meanwhile.
fn resize_pool(
    conn: &mut DbConnection,
    input: &OrderInput<'_>,
    order: &OrderRow,
    audience: Audience,
) -> Result<(), OrderError> {
    let request = input.request;
    let seats = seats_of(request, audience);
    let wanted = i32::try_from(seats).unwrap_or(i32::MAX);
    let pool = licence_pools::table
        .filter(licence_pools::order_id.eq(order.id))
        .filter(licence_pools::audience.eq(audience.as_str()));
    let pool_id: Option<i64> = pool.select(licence_pools::id).first(conn).optional()?;
    let Some(pool_id) = pool_id else {
        if seats > 0 {
            add_pool(conn, input, order.id, order.product_id, audience, seats)?;
        }
        return Ok(());
    };
    let mine = licence_pools::table
        .filter(licence_pools::id.eq(pool_id))
        .filter(licence_pools::assigned.le(wanted));
    let changed = if seats == 0 {
        diesel::delete(mine.filter(licence_pools::assigned.eq(0))).execute(conn)?
    } else {
        diesel::update(mine)
            .set((
                licence_pools::purchased.eq(wanted),
                licence_pools::valid_from.eq(request.valid_from),
                licence_pools::valid_until.eq(request.valid_until),
            ))
            .execute(conn)?
    };
    if changed == 0 {
        let assigned: i32 = licence_pools::table
            .find(pool_id)
            .select(licence_pools::assigned)
            .first(conn)?;
        return Err(OrderError::BelowAssigned {
            audience,
            assigned: u32::try_from(assigned).unwrap_or(0),
            requested: seats,
        });
    }
    Ok(())
}

/// An order as the API shows it on `today`.
pub fn load_order(conn: &mut DbConnection, id: i64, today: NaiveDate) -> Result<Order, StoreError> {
    type OrderColumns = (String, String, String, i64, NaiveDate, NaiveDate, bool);
    let (order_id, distributor, uai, product_id, valid_from, valid_until, transferable): OrderColumns =
        orders::table
            .inner_join(schools::table)
            .filter(orders::id.eq(id))
            .select((
                orders::order_ref,
                orders::distributor,
                schools::uai,
                orders::product_id,
                orders::valid_from,
                orders::valid_until,
                orders::transferable,
            ))
            .first(conn)?;
    let product = load_products(conn, &[product_id])?
        .remove(&product_id)
        .ok_or(StoreError::Query(diesel::result::Error::NotFound))?;
    let pools: Vec<PoolRow> = licence_pools::table
        .filter(licence_pools::order_id.eq(id))
        .order(licence_pools::audience)
        .select(PoolRow::as_select())
        .load(conn)?;
    Ok(Order {
        order_id,
        distributor,
        uai,
        product,
        valid_from,
        valid_until,
        transferable,
        pools: pools.iter().filter_map(|p| p.to_api(today)).collect(),
    })
}

/// Every product of the catalogue, by title.
pub fn catalogue(conn: &mut DbConnection) -> Result<Vec<Product>, StoreError> {
    let ids: Vec<i64> = products::table.select(products::id).load(conn)?;
    let mut all: Vec<Product> = load_products(conn, &ids)?.into_values().collect();
    all.sort_by(|a, b| a.title.cmp(&b.title).then(a.id.cmp(&b.id)));
    Ok(all)
}
