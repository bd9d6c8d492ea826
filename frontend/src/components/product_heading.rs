//! The top of both assignment screens.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::routes;

/// The product's title and the way back to the licence overview.
#[component]
pub fn ProductHeading(uai: String, title: String) -> impl IntoView {
    view! {
        <p class="back">
            <A href=routes::licences(&uai)>"Retour à la gestion des licences"</A>
        </p>
        <p class="product-title">"Produit : " <strong>{title}</strong></p>
    }
}
