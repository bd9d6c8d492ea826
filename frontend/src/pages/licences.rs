//! "Gestion des licences": what the school bought, what is left, what is assigned.

use affecto_api_types::{LicenceOverview, ProductLicences};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::licence_table::{LicenceTable, Section};
use crate::components::status::{async_view, set_title};
use crate::format;
use crate::session::Auth;

/// The licence overview of the school named in the address.
#[component]
pub fn LicencesPage() -> impl IntoView {
    set_title("Gestion des licences");
    let auth = Auth::expect();
    let params = use_params_map();
    let uai = Memo::new(move |_| params.read().get("uai").unwrap_or_default());
    let overview = LocalResource::new(move || {
        let uai = uai.get();
        async move { api::licences(auth, &uai).await }
    });
    view! {
        <h1>"Gestion des licences"</h1>
        <p class="back">
            <A href=move || format!("/?uai={}", uai.get())>"Retour au compte de l'établissement"</A>
        </p>
        {async_view(move || overview.get(), move |overview| {
            view! { <Overview uai=uai.get_untracked() overview/> }
        })}
    }
}

#[component]
fn Overview(uai: String, overview: LicenceOverview) -> impl IntoView {
    let banner = format::auto_unassign_banner(overview.auto_unassign);
    let expiring = expiring_soon(&overview.active);
    let active = if overview.active.is_empty() {
        view! { <p>"Aucune licence en cours de validité."</p> }.into_any()
    } else {
        view! { <LicenceTable section=Section::Active(uai) products=overview.active/> }.into_any()
    };
    let expired = if overview.expired.is_empty() {
        view! { <p>"Aucune licence expirée."</p> }.into_any()
    } else {
        view! { <LicenceTable section=Section::Expired products=overview.expired/> }.into_any()
    };
    view! {
        <p class="banner">{banner}</p>
        {expiring}
        <section aria-labelledby="active-title">
            <h2 id="active-title" class="visually-hidden">"Licences en cours de validité"</h2>
            {active}
        </section>
        <section aria-labelledby="expired-title">
            <h2 id="expired-title">"Licences expirées"</h2>
            {expired}
        </section>
    }
}

/// A notice listing the pools that end within 60 days, if any.
fn expiring_soon(products: &[ProductLicences]) -> Option<impl IntoView> {
    let items: Vec<String> = products
        .iter()
        .flat_map(|p| {
            p.pools
                .iter()
                .filter(|pool| pool.expires_soon)
                .map(move |pool| {
                    format!(
                        "{} — licences {} : fin de validité le {}",
                        p.product.title,
                        format::audience(pool.audience).to_lowercase(),
                        format::short_date(pool.valid_until)
                    )
                })
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    let list = items
        .into_iter()
        .map(|item| view! { <li>{item}</li> })
        .collect_view();
    Some(view! {
        <div class="notice warning">
            <p>"Ces licences arrivent bientôt en fin de validité :"</p>
            <ul>{list}</ul>
        </div>
    })
}
