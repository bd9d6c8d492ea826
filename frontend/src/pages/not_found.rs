//! Any address the app does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::status::set_title;
use crate::routes;

/// "Page introuvable", with a way back.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_title("Page introuvable");
    view! {
        <h1>"Page introuvable"</h1>
        <p>"Cette adresse ne correspond à aucune page."</p>
        <p><A href=routes::HOME>"Retour au compte de l'établissement"</A></p>
    }
}
