use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{Audience, AutoUnassignDate, Id, Level};

/// A resource title of the catalogue ("produit", "manuel numérique").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Product {
    pub id: Id,
    /// The kind of resource, e.g. "Manuel numérique".
    #[serde(rename = "type")]
    #[schema(example = "Manuel numérique")]
    pub kind: String,
    #[schema(example = "Sciences et technologie 6e ed 2016")]
    pub title: String,
    pub levels: Vec<Level>,
    #[schema(example = json!(["Sciences et technologie"]))]
    pub subjects: Vec<String>,
    /// The publisher's or distributor's identifier (an ark, an ISBN...).
    #[schema(example = "ark:/86527/sciences-6e-2016")]
    pub external_id: String,
}

/// One licence pool ("lot de licences"): what one order bought for one audience.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PoolLicences {
    pub id: Id,
    pub audience: Audience,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub purchased: u32,
    pub available: u32,
    pub assigned: u32,
    /// True when the pool is still valid but ends within 60 days.
    pub expires_soon: bool,
}

/// A product's licences in one school, with the totals of the listed pools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProductLicences {
    pub product: Product,
    pub purchased: u32,
    pub available: u32,
    pub assigned: u32,
    pub pools: Vec<PoolLicences>,
}

/// The "Gestion des licences" screen: products with a valid pool, then products
/// with an expired pool (a product can be in both lists, with different pools).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LicenceOverview {
    pub active: Vec<ProductLicences>,
    pub expired: Vec<ProductLicences>,
    /// The day student licences are taken back every year.
    pub auto_unassign: AutoUnassignDate,
}

/// A change of one product's assignments for one audience, applied whole or not at
/// all. Naming a user already in the wanted state is not an error, so a retry is safe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentChange {
    pub audience: Audience,
    /// Users who should hold a licence of the product.
    #[serde(default)]
    #[schema(max_items = 5000)]
    pub assign: Vec<Id>,
    /// Users whose licence of the product should be taken back.
    #[serde(default)]
    #[schema(max_items = 5000)]
    pub unassign: Vec<Id>,
}

/// What an assignment change did, and the product's counts afterwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AssignmentOutcome {
    /// Licences newly handed out by this change.
    pub assigned: u32,
    /// Licences taken back by this change.
    pub unassigned: u32,
    /// The product's valid pools after the change.
    pub licences: ProductLicences,
}

/// A resource a user may open now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UserLicence {
    pub product: Product,
    pub valid_until: NaiveDate,
}

/// The resources a user may open now: what an ENT shows in its resource list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UserLicences {
    pub user_id: Id,
    pub licences: Vec<UserLicence>,
}

/// Whether a user may open a resource right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AccessDecision {
    pub granted: bool,
}
