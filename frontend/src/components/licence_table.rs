//! The table of the "Gestion des licences" screen: one row per product, which
//! expands into one line per licence pool.

use affecto_api_types::{PoolLicences, ProductLicences};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::format;
use crate::routes;

/// Which list a table shows. Only valid pools can be assigned, so only the active
/// table knows the school and offers "Affecter".
#[derive(Debug, Clone, PartialEq)]
pub enum Section {
    /// Products with a valid pool, in the school with this UAI.
    Active(String),
    /// Products with an expired pool.
    Expired,
}

impl Section {
    fn key(&self) -> &'static str {
        match self {
            Section::Active(_) => "actives",
            Section::Expired => "expirees",
        }
    }
}

/// TYPE · PRODUIT · NIVEAUX · ACH. · DISPO. · AFFECT. · ACTION.
#[component]
pub fn LicenceTable(section: Section, products: Vec<ProductLicences>) -> impl IntoView {
    let caption = match section {
        Section::Active(_) => "Licences en cours de validité",
        Section::Expired => "Licences expirées",
    };
    let rows = products
        .into_iter()
        .map(|product| view! { <ProductRows section=section.clone() product/> })
        .collect_view();
    view! {
        <table class="licences" id=format!("licences-{}", section.key())>
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Produit"</th>
                    <th scope="col">"Niveaux"</th>
                    <th scope="col" class="num"><abbr title="Achetées">"Ach."</abbr></th>
                    <th scope="col" class="num"><abbr title="Disponibles">"Dispo."</abbr></th>
                    <th scope="col" class="num"><abbr title="Affectées">"Affect."</abbr></th>
                    <th scope="col">"Action"</th>
                </tr>
            </thead>
            {rows}
        </table>
    }
}

#[component]
fn ProductRows(section: Section, product: ProductLicences) -> impl IntoView {
    let expanded = RwSignal::new(false);
    let title = product.product.title.clone();
    let detail_id = format!("detail-{}-{}", section.key(), product.product.id);
    let toggle_label = format!("Afficher le détail de {title}");
    view! {
        <tbody class="product">
            <tr>
                <td>{product.product.kind.clone()}</td>
                <th scope="row" class="title">{title.clone()}</th>
                <td><Levels levels=product.product.levels.clone()/></td>
                <td class="num">{product.purchased}</td>
                <td class="num">{product.available}</td>
                <td class="num">{product.assigned}</td>
                <td>
                    <button
                        type="button"
                        class="toggle"
                        aria-expanded=move || expanded.get().to_string()
                        aria-controls=detail_id.clone()
                        aria-label=toggle_label
                        on:click=move |_| expanded.update(|open| *open = !*open)
                    >
                        <span aria-hidden="true">{move || if expanded.get() { "▲" } else { "▼" }}</span>
                    </button>
                </td>
            </tr>
            <tr id=detail_id class="pools" hidden=move || !expanded.get()>
                <td colspan="7">
                    <PoolTable section product/>
                </td>
            </tr>
        </tbody>
    }
}

/// "Collège" or "Lycée", with the exact levels beneath.
#[component]
fn Levels(levels: Vec<affecto_api_types::Level>) -> impl IntoView {
    let exact = format::levels(&levels);
    view! {
        <span class="cycle" title=exact.clone()>{format::cycles(&levels)}</span>
        <span class="levels">{exact}</span>
    }
}

/// Public · Fin validité · Ach · Dispo · Affect, one line per pool.
#[component]
fn PoolTable(section: Section, product: ProductLicences) -> impl IntoView {
    let title = product.product.title.clone();
    let product_id = product.product.id;
    let rows = product
        .pools
        .into_iter()
        .map(|pool| {
            let action = match &section {
                Section::Active(uai) => Some(assign_link(uai, product_id, &title, &pool)),
                Section::Expired => None,
            };
            view! { <PoolRow pool action/> }
        })
        .collect_view();
    view! {
        <table class="pools">
            <caption class="visually-hidden">{format!("Lots de licences de {title}")}</caption>
            <thead>
                <tr>
                    <th scope="col">"Public"</th>
                    <th scope="col">"Fin validité"</th>
                    <th scope="col" class="num">"Ach"</th>
                    <th scope="col" class="num">"Dispo"</th>
                    <th scope="col" class="num">"Affect"</th>
                    <th scope="col"><span class="visually-hidden">"Action"</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn PoolRow(pool: PoolLicences, action: Option<AnyView>) -> impl IntoView {
    let soon = pool
        .expires_soon
        .then(|| view! { <span class="badge warning">"Expire bientôt"</span> });
    view! {
        <tr>
            <th scope="row">{format::audience(pool.audience)}</th>
            <td>{format::short_date(pool.valid_until)} " " {soon}</td>
            <td class="num">{pool.purchased}</td>
            <td class="num">{pool.available}</td>
            <td class="num">{pool.assigned}</td>
            <td>{action}</td>
        </tr>
    }
}

fn assign_link(uai: &str, product_id: i64, title: &str, pool: &PoolLicences) -> AnyView {
    let href = routes::assign(uai, product_id, pool.audience);
    let label = format!(
        "Affecter les licences {} de {title}",
        format::audience(pool.audience).to_lowercase()
    );
    view! {
        <A href attr:class="button primary small" attr:aria-label=label>"Affecter"</A>
    }
    .into_any()
}
