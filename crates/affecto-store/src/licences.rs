//! What a school bought and how much of it is handed out.

use std::collections::{BTreeMap, HashMap};

use affecto_api_types::{LicenceOverview, PoolLicences, Product, ProductLicences};
use affecto_domain::{Audience, AutoUnassignDate, Level, SeatCount};
use chrono::{Days, NaiveDate};
use diesel::prelude::*;

use crate::id_list::in_ids;
use crate::schema::{licence_pools, product_levels, product_subjects, products, subjects};
use crate::{DbConnection, StoreError};

/// Pools ending within this many days are flagged `expires_soon`.
pub const EXPIRY_NOTICE_DAYS: u64 = 60;

/// A licence pool as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = licence_pools)]
pub struct PoolRow {
    pub id: i64,
    pub product_id: i64,
    pub audience: String,
    pub purchased: i32,
    pub assigned: i32,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

/// The type of [`pool_valid_on`].
pub(crate) type PoolValidOn = diesel::dsl::And<
    diesel::dsl::LtEq<licence_pools::valid_from, NaiveDate>,
    diesel::dsl::GtEq<licence_pools::valid_until, NaiveDate>,
>;

/// In a query: the licence pool is valid on `day`, as [`PoolRow::is_valid_on`] says.
pub(crate) fn pool_valid_on(day: NaiveDate) -> PoolValidOn {
    licence_pools::valid_from
        .le(day)
        .and(licence_pools::valid_until.ge(day))
}

impl PoolRow {
    /// Valid today: licences of it may be assigned and grant access.
    pub fn is_valid_on(&self, today: NaiveDate) -> bool {
        self.valid_from <= today && today <= self.valid_until
    }

    pub fn is_expired_on(&self, today: NaiveDate) -> bool {
        self.valid_until < today
    }

    pub fn audience(&self) -> Option<Audience> {
        self.audience.parse().ok()
    }

    pub fn seats(&self) -> SeatCount {
        let purchased = u32::try_from(self.purchased).unwrap_or(0);
        let assigned = u32::try_from(self.assigned).unwrap_or(0).min(purchased);
        SeatCount::new(purchased, assigned).unwrap_or_default()
    }

    /// The pool as the API shows it on `today`.
    pub fn to_api(&self, today: NaiveDate) -> Option<PoolLicences> {
        let seats = self.seats();
        let notice_end = today.checked_add_days(Days::new(EXPIRY_NOTICE_DAYS))?;
        Some(PoolLicences {
            id: self.id,
            audience: self.audience()?,
            valid_from: self.valid_from,
            valid_until: self.valid_until,
            purchased: seats.purchased(),
            available: seats.available(),
            assigned: seats.assigned(),
            expires_soon: self.is_valid_on(today) && self.valid_until <= notice_end,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = products)]
struct ProductRow {
    id: i64,
    external_id: String,
    kind: String,
    title: String,
}

impl ProductRow {
    /// The product without its levels and subjects yet.
    fn into_product(self) -> Product {
        Product {
            id: self.id,
            kind: self.kind,
            title: self.title,
            levels: Vec::new(),
            subjects: Vec::new(),
            external_id: self.external_id,
        }
    }
}

/// The catalogue entries with these ids, with their levels and subjects, in one
/// prepared statement whatever their number: a product comes back once per pair of its
/// levels and subjects (a handful of rows), which costs less than a round trip each.
pub fn load_products(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Product>, StoreError> {
    let with_levels_and_subjects = products::table
        .left_join(product_levels::table)
        .left_join(product_subjects::table.inner_join(subjects::table))
        .filter(in_ids(products::id, ids))
        .order((products::id, subjects::name.nullable()));
    // `as_select` is written per backend: its type names the backend.
    let rows: Vec<(ProductRow, Option<String>, Option<String>)> = on_each_backend!(&mut *conn, c => with_levels_and_subjects
            .select((
                ProductRow::as_select(),
                product_levels::level.nullable(),
                subjects::name.nullable(),
            ))
            .load(c))?;

    let mut found: HashMap<i64, Product> = HashMap::new();
    for (row, level, subject) in rows {
        let product = found.entry(row.id).or_insert_with(|| row.into_product());
        if let Some(level) = level.and_then(|level| level.parse::<Level>().ok()) {
            if !product.levels.contains(&level) {
                product.levels.push(level);
            }
        }
        if let Some(subject) = subject {
            if !product.subjects.contains(&subject) {
                product.subjects.push(subject);
            }
        }
    }
    for product in found.values_mut() {
        product.levels.sort();
    }
    Ok(found)
}

/// All pools of a school, optionally of one product, the latest ending first.
pub fn school_pools(
    conn: &mut DbConnection,
    school_id: i64,
    product_id: Option<i64>,
) -> Result<Vec<PoolRow>, StoreError> {
    let of_school = licence_pools::table
        .filter(licence_pools::school_id.eq(school_id))
        .order((
            licence_pools::valid_until.desc(),
            licence_pools::audience,
            licence_pools::id,
        ));
    // `as_select` is written per backend: its type names the backend.
    let pools = match product_id {
        None => on_each_backend!(conn, c => of_school.select(PoolRow::as_select()).load(c))?,
        Some(product_id) => {
            let of_product = of_school.filter(licence_pools::product_id.eq(product_id));
            on_each_backend!(conn, c => of_product.select(PoolRow::as_select()).load(c))?
        }
    };
    Ok(pools)
}

/// The "Gestion des licences" table: one entry per product with a valid pool, then
/// one per product with an expired pool. Pools not yet valid are left out of both.
pub fn overview(
    conn: &mut DbConnection,
    school_id: i64,
    today: NaiveDate,
    auto_unassign: AutoUnassignDate,
) -> Result<LicenceOverview, StoreError> {
    let pools = school_pools(conn, school_id, None)?;
    let product_ids: Vec<i64> = pools.iter().map(|p| p.product_id).collect();
    let catalogue = load_products(conn, &product_ids)?;

    let active = group_by_product(
        pools.iter().filter(|p| p.is_valid_on(today)),
        &catalogue,
        today,
    );
    let expired = group_by_product(
        pools.iter().filter(|p| p.is_expired_on(today)),
        &catalogue,
        today,
    );
    Ok(LicenceOverview {
        active,
        expired,
        auto_unassign,
    })
}

/// One product's pools valid today, or `None` when the school has no pool of it at all.
pub fn product_licences(
    conn: &mut DbConnection,
    school_id: i64,
    product_id: i64,
    today: NaiveDate,
) -> Result<Option<ProductLicences>, StoreError> {
    let pools = school_pools(conn, school_id, Some(product_id))?;
    if pools.is_empty() {
        return Ok(None);
    }
    let catalogue = load_products(conn, &[product_id])?;
    let Some(product) = catalogue.get(&product_id).cloned() else {
        return Ok(None);
    };
    let valid: Vec<&PoolRow> = pools.iter().filter(|p| p.is_valid_on(today)).collect();
    Ok(Some(product_entry(product, valid.into_iter(), today)))
}

fn group_by_product<'a>(
    pools: impl Iterator<Item = &'a PoolRow>,
    catalogue: &HashMap<i64, Product>,
    today: NaiveDate,
) -> Vec<ProductLicences> {
    let mut by_product: BTreeMap<i64, Vec<&PoolRow>> = BTreeMap::new();
    for pool in pools {
        by_product.entry(pool.product_id).or_default().push(pool);
    }
    let mut entries: Vec<ProductLicences> = by_product
        .into_iter()
        .filter_map(|(id, pools)| {
            Some(product_entry(
                catalogue.get(&id)?.clone(),
                pools.into_iter(),
                today,
            ))
        })
        .collect();
    entries.sort_by(|a, b| {
        b.purchased
            .cmp(&a.purchased)
            .then_with(|| a.product.id.cmp(&b.product.id))
    });
    entries
}

fn product_entry<'a>(
    product: Product,
    pools: impl Iterator<Item = &'a PoolRow>,
    today: NaiveDate,
) -> ProductLicences {
    let mut lines: Vec<PoolLicences> = pools.filter_map(|p| p.to_api(today)).collect();
    lines.sort_by_key(|line| (line.audience, std::cmp::Reverse(line.valid_until), line.id));
    let total: SeatCount = lines
        .iter()
        .filter_map(|line| SeatCount::new(line.purchased, line.assigned))
        .sum();
    ProductLicences {
        product,
        purchased: total.purchased(),
        available: total.available(),
        assigned: total.assigned(),
        pools: lines,
    }
}
