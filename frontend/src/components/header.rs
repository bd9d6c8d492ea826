//! The banner at the top of every screen.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::routes;
use crate::session::Auth;

/// The app's name, a link home and, when signed in, "Se déconnecter".
#[component]
pub fn Header() -> impl IntoView {
    let auth = Auth::expect();
    view! {
        <header class="app-header">
            <A href=routes::HOME exact=true attr:class="brand">
                "Affecto"
                <span class="brand-tagline">"Licences numériques de l'établissement"</span>
            </A>
            <Show when=move || auth.is_signed_in()>
                <button type="button" class="button secondary" on:click=move |_| auth.sign_out()>
                    "Se déconnecter"
                </button>
            </Show>
        </header>
    }
}
