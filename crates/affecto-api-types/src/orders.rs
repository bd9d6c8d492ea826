use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{Level, PoolLicences, Product};

fn default_kind() -> String {
    "Manuel numérique".into()
}

fn default_transferable() -> bool {
    true
}

/// The product an order is for, as the distributor describes it. It is added to the
/// catalogue the first time it is ordered; later orders find it by `external_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderedProduct {
    /// The resource's identifier at the publisher (an ark, an ISBN...): GAR's
    /// `idRessource`.
    #[schema(example = "ark:/86527/maths-5e-2026")]
    pub external_id: String,
    /// GAR's `libelleRessource`.
    #[schema(example = "Maths 5e (2026)")]
    pub title: String,
    /// The kind of resource; "Manuel numérique" when absent.
    #[serde(rename = "type", default = "default_kind")]
    #[schema(example = "Manuel numérique")]
    pub kind: String,
    #[serde(default)]
    pub levels: Vec<Level>,
    #[serde(default)]
    #[schema(example = json!(["Mathématiques"]))]
    pub subjects: Vec<String>,
}

/// An order ("commande", GAR's "abonnement"): licences of one product bought for one
/// school. Sending the same `order_id` again updates the order, so a retry is safe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderRequest {
    /// The distributor's identifier of the order, unique among its orders: GAR's
    /// `idAbonnement`.
    #[schema(example = "CMD-2026-0042")]
    pub order_id: String,
    pub product: OrderedProduct,
    /// Student licences bought: GAR's `nbLicenceEleve`.
    #[schema(maximum = 100000)]
    pub students: u32,
    /// Teacher licences bought: GAR's `nbLicenceEnseignant`.
    #[schema(maximum = 100000)]
    pub teachers: u32,
    /// GAR's `debutValidite`.
    pub valid_from: NaiveDate,
    /// GAR's `finValidite`: after this day the licences are expired.
    pub valid_until: NaiveDate,
    /// Whether a licence taken back from one user may be handed to another (GAR's
    /// `categorieAffectation`); true when absent. Recorded and returned; seats taken
    /// back are reusable whatever its value.
    #[serde(default = "default_transferable")]
    pub transferable: bool,
}

/// An order as recorded, with the pools holding its licences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Order {
    pub order_id: String,
    /// Who recorded it: `client:<id>` for an API client, `operator` for the operator.
    #[schema(example = "client:3")]
    pub distributor: String,
    #[schema(example = "0020002S")]
    pub uai: String,
    pub product: Product,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub transferable: bool,
    /// One pool per audience with licences bought.
    pub pools: Vec<PoolLicences>,
}

/// The order after it was recorded, and whether it was new.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OrderOutcome {
    /// True when the order was new, false when an earlier one was updated.
    pub created: bool,
    pub order: Order,
}

/// The catalogue: every product of every order, by title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProductList {
    pub products: Vec<Product>,
}
