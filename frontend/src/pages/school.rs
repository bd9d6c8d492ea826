//! "Compte établissement": the school (or schools) the administrator manages.

use affecto_api_types::School;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api;
use crate::components::status::{async_view, set_title};
use crate::routes;
use crate::session::Auth;

/// The school account home, with the way to its licences.
#[component]
pub fn SchoolPage() -> impl IntoView {
    set_title("Compte établissement");
    let auth = Auth::expect();
    let schools = LocalResource::new(move || api::schools(auth));
    let wanted = use_query_map().read_untracked().get("uai");
    view! {
        <h1>"Compte établissement"</h1>
        {async_view(move || schools.get(), move |list| {
            view! { <SchoolChoice schools=list.schools wanted=wanted.clone()/> }
        })}
    }
}

/// One school, or a picker when the administrator manages several.
#[component]
fn SchoolChoice(schools: Vec<School>, wanted: Option<String>) -> impl IntoView {
    if schools.is_empty() {
        return view! { <p>"Aucun établissement n'est rattaché à votre compte."</p> }.into_any();
    }
    let first = wanted
        .and_then(|uai| schools.iter().position(|s| s.uai == uai))
        .unwrap_or(0);
    let selected = RwSignal::new(first);
    let picker = (schools.len() > 1).then(|| school_picker(&schools, selected));
    let card = move || {
        let school = schools.get(selected.get()).cloned();
        school.map(|school| view! { <SchoolCard school/> })
    };
    view! { {picker} {card} }.into_any()
}

fn school_picker(schools: &[School], selected: RwSignal<usize>) -> impl IntoView {
    let options = schools
        .iter()
        .enumerate()
        .map(|(index, school)| {
            let label = format!("{} ({})", school.name, school.uai);
            let chosen = index == selected.get_untracked();
            view! { <option value=index.to_string() selected=chosen>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for="school-picker">"Établissement"</label>
            <select
                id="school-picker"
                on:change=move |event| selected.set(event_target_value(&event).parse().unwrap_or(0))
            >
                {options}
            </select>
        </div>
    }
}

#[component]
fn SchoolCard(school: School) -> impl IntoView {
    let licences = routes::licences(&school.uai);
    let journal = routes::journal(&school.uai);
    let roster = routes::roster_import(&school.uai);
    view! {
        <article class="card school" aria-labelledby="school-name">
            <h2 id="school-name">{school.name}</h2>
            <p class="uai">"UAI : " <span>{school.uai}</span></p>
            <p class="actions">
                <A href=licences attr:class="button primary">"Gérer les licences"</A>
                <A href=journal attr:class="button secondary">"Journal"</A>
                <A href=roster attr:class="button secondary">"Importer le référentiel"</A>
            </p>
        </article>
    }
}
