//! "Journal": the audit record of the school's assignment changes, newest first,
//! filtered by product, paged with "Charger plus", exportable as CSV.

use affecto_api_types::{AuditEvent, AuditPage, Id, LicenceOverview, Product};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiError, AuditFilter};
use crate::components::status::{set_title, ErrorNotice, Loading};
use crate::download;
use crate::format;
use crate::session::Auth;

/// The events shown so far and where the next page starts.
#[derive(Debug, Clone, Default, PartialEq)]
struct Shown {
    events: Vec<AuditEvent>,
    next_before: Option<Id>,
}

/// The audit record of the school named in the address.
#[component]
pub fn JournalPage() -> impl IntoView {
    set_title("Journal des affectations");
    let auth = Auth::expect();
    let params = use_params_map();
    let uai = Memo::new(move |_| params.read().get("uai").unwrap_or_default());
    let product = RwSignal::new(None::<Id>);
    let products = LocalResource::new(move || {
        let uai = uai.get();
        async move { api::licences(auth, &uai).await.map(product_choices) }
    });
    let first_page = LocalResource::new(move || {
        let uai = uai.get();
        let filter = AuditFilter {
            product_id: product.get(),
            before: None,
        };
        async move { api::audit(auth, &uai, filter).await }
    });
    view! {
        <h1>"Journal des affectations"</h1>
        <p class="back">
            <A href=move || format!("/?uai={}", uai.get())>"Retour au compte de l'établissement"</A>
        </p>
        <p>"Chaque affectation et désaffectation de licence : quand, quoi, pour qui, par qui et par quel canal."</p>
        <div class="toolbar">
            <ProductFilter products product/>
            <CsvExport uai product/>
        </div>
        {move || match first_page.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(error)) => view! { <ErrorNotice message=error.message()/> }.into_any(),
            Some(Ok(page)) => view! { <Events uai=uai.get_untracked() product=product.get_untracked() page/> }.into_any(),
        }}
    }
}

/// Every product the school has licences of, valid or expired, by title.
fn product_choices(overview: LicenceOverview) -> Vec<Product> {
    let mut products: Vec<Product> = overview
        .active
        .into_iter()
        .chain(overview.expired)
        .map(|licences| licences.product)
        .collect();
    products.sort_by(|a, b| a.title.cmp(&b.title).then(a.id.cmp(&b.id)));
    products.dedup_by_key(|p| p.id);
    products
}

/// The "Produit" select: all products, or one.
#[component]
fn ProductFilter(
    products: LocalResource<Result<Vec<Product>, ApiError>>,
    product: RwSignal<Option<Id>>,
) -> impl IntoView {
    let options = move || {
        let list = products.get().and_then(Result::ok).unwrap_or_default();
        list.into_iter()
            .map(|p| {
                let chosen = product.get_untracked() == Some(p.id);
                view! { <option value=p.id.to_string() selected=chosen>{p.title}</option> }
            })
            .collect_view()
    };
    let failed = move || {
        products
            .get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorNotice message=error.message()/> })
    };
    view! {
        <div class="field">
            <label for="journal-product">"Produit"</label>
            <select
                id="journal-product"
                on:change=move |event| product.set(event_target_value(&event).parse().ok())
            >
                <option value="">"Tous les produits"</option>
                {options}
            </select>
            {failed}
        </div>
    }
}

/// "Exporter en CSV": the record with the same filter, saved as a file.
#[component]
fn CsvExport(uai: Memo<String>, product: RwSignal<Option<Id>>) -> impl IntoView {
    let auth = Auth::expect();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let export = move |_| {
        let uai = uai.get_untracked();
        let filter = AuditFilter {
            product_id: product.get_untracked(),
            before: None,
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::audit_csv(auth, &uai, filter).await.and_then(|bytes| {
                download::save(
                    &bytes,
                    &format!("journal-{uai}.csv"),
                    "text/csv;charset=utf-8",
                )
                .map_err(|_| ApiError::Network("le fichier n'a pas pu être enregistré".into()))
            });
            busy.set(false);
            if let Err(failure) = result {
                error.set(Some(failure.message()));
            }
        });
    };
    view! {
        <div class="export">
            <button type="button" class="button secondary" on:click=export disabled=move || busy.get()>
                {move || if busy.get() { "Export en cours…" } else { "Exporter en CSV" }}
            </button>
            {move || error.get().map(|message| view! { <ErrorNotice message/> })}
        </div>
    }
}

/// The table of events, with "Charger plus" while older events remain.
#[component]
fn Events(uai: String, product: Option<Id>, page: AuditPage) -> impl IntoView {
    let auth = Auth::expect();
    if page.events.is_empty() {
        return view! { <p class="empty">"Aucun changement d'affectation enregistré."</p> }
            .into_any();
    }
    let shown = RwSignal::new(Shown {
        events: page.events,
        next_before: page.next_before,
    });
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let load_more = move |_| {
        let Some(before) = shown.with_untracked(|s| s.next_before) else {
            return;
        };
        let uai = uai.clone();
        let filter = AuditFilter {
            product_id: product,
            before: Some(before),
        };
        loading.set(true);
        error.set(None);
        spawn_local(async move {
            match api::audit(auth, &uai, filter).await {
                Ok(next) => shown.update(|s| {
                    s.events.extend(next.events);
                    s.next_before = next.next_before;
                }),
                Err(failure) => error.set(Some(failure.message())),
            }
            loading.set(false);
        });
    };
    let rows = move || {
        shown
            .get()
            .events
            .into_iter()
            .map(|event| view! { <EventRow event/> })
            .collect_view()
    };
    let more = move || {
        shown.with(|s| s.next_before.is_some()).then(|| {
            view! {
                <p>
                    <button
                        type="button"
                        class="button secondary"
                        on:click=load_more.clone()
                        disabled=move || loading.get()
                    >
                        {move || if loading.get() { "Chargement…" } else { "Charger plus" }}
                    </button>
                </p>
            }
        })
    };
    view! {
        <table class="journal" aria-label="Journal des affectations">
            <thead>
                <tr>
                    <th scope="col">"Date"</th>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Produit"</th>
                    <th scope="col">"Utilisateur"</th>
                    <th scope="col">"Par"</th>
                    <th scope="col">"Canal"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="hint" role="status">
            {move || format::count(shown.with(|s| s.events.len() as u32), "changement affiché", "changements affichés")}
        </p>
        {more}
        {move || error.get().map(|message| view! { <ErrorNotice message/> })}
    }
    .into_any()
}

/// One line of the journal.
#[component]
fn EventRow(event: AuditEvent) -> impl IntoView {
    let when = local_date_time(&event);
    let action_class = format!("action {}", event.action);
    view! {
        <tr>
            <td><time datetime=event.at.to_rfc3339()>{when}</time></td>
            <td class=action_class>{format::audit_action(&event.action)}</td>
            <td>{event.product_title}</td>
            <td>{format::audit_user(event.user_name.as_deref(), event.user_login.as_deref())}</td>
            <td title=event.actor.clone()>{format::audit_actor(&event.actor)}</td>
            <td>{format::audit_channel(&event.channel)}</td>
        </tr>
    }
}

/// The event's moment in the browser's time zone, "dd/mm/yyyy HH:MM".
fn local_date_time(event: &AuditEvent) -> String {
    let date = js_sys::Date::new(&(event.at.timestamp_millis() as f64).into());
    format::date_time(
        date.get_full_year() as i32,
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes(),
    )
}
