//! "Affecter vos licences enseignant": the product's subject teachers, or all.

use affecto_api_types::{Audience, Id, Product, TeacherList};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiError};
use crate::components::assignment::{
    product_only, seats_for, AssignmentPanel, FeedbackNotice, Person, SaveFirstHint, Screen, Target,
};
use crate::components::product_heading::ProductHeading;
use crate::components::status::{async_view, set_title};
use crate::session::Auth;

/// The teacher assignment screen of the product named in the address.
#[component]
pub fn TeachersPage() -> impl IntoView {
    set_title("Affecter vos licences enseignant");
    let auth = Auth::expect();
    let params = use_params_map();
    let uai = Memo::new(move |_| params.read().get("uai").unwrap_or_default());
    let product_id =
        Memo::new(move |_| params.read().get("product_id").and_then(|p| p.parse().ok()));
    let product = LocalResource::new(move || {
        let (uai, product_id) = (uai.get(), product_id.get());
        async move {
            match product_id {
                Some(id) => api::product_licences(auth, &uai, id).await,
                None => Err(ApiError::BadAddress),
            }
        }
    });
    let screen = Screen::new();
    let body = move |item: Product| {
        let product_id = item.id;
        let target = Target {
            uai: uai.get_untracked(),
            product_id,
            audience: Audience::Teacher,
        };
        view! {
            <ProductHeading uai=target.uai.clone() title=item.title/>
            <FeedbackNotice feedback=screen.feedback/>
            <Teachers target screen/>
        }
    };
    view! {
        <h1>"Affecter vos licences enseignant"</h1>
        {async_view(product_only(product), body)}
    }
}

/// The toggle between subject teachers and all teachers, and the list.
#[component]
fn Teachers(target: Target, screen: Screen) -> impl IntoView {
    let auth = Auth::expect();
    let all = RwSignal::new(false);
    let (uai, product_id) = (target.uai.clone(), target.product_id);
    let data = LocalResource::new(move || {
        let (uai, all) = (uai.clone(), all.get());
        async move { seats_and_teachers(auth, &uai, product_id, all).await }
    });
    let on_saved = Callback::new(move |()| data.refetch());
    let toggle = move |_| {
        screen.feedback.set(None);
        all.update(|all| *all = !*all);
    };
    let list = move |(available, list): (u32, TeacherList)| {
        teacher_panel(target.clone(), list, available, screen, on_saved)
    };
    view! {
        <p>
            <button
                type="button"
                class="button secondary"
                on:click=toggle
                disabled=move || screen.unsaved.get()
                aria-describedby=move || screen.unsaved.get().then_some("save-first")
            >
                {move || {
                    if all.get() { "Voir les enseignants de la matière" } else { "Voir tous les enseignants" }
                }}
            </button>
            <SaveFirstHint unsaved=screen.unsaved/>
        </p>
        {async_view(move || data.get(), list)}
    }
}

/// The teacher seats left and the teachers, read together so that the counter and
/// the boxes always come from the same moment.
async fn seats_and_teachers(
    auth: Auth,
    uai: &str,
    product_id: Id,
    all: bool,
) -> Result<(u32, TeacherList), ApiError> {
    let licences = api::product_licences(auth, uai, product_id).await?;
    let list = api::teachers(auth, uai, product_id, all).await?;
    Ok((seats_for(&licences, Audience::Teacher), list))
}

fn teacher_panel(
    target: Target,
    list: TeacherList,
    available: u32,
    screen: Screen,
    on_saved: Callback<()>,
) -> impl IntoView {
    let heading = if list.all {
        "Tous les enseignants"
    } else {
        "Enseignants de la matière"
    };
    let empty = list.teachers.is_empty().then(|| {
        view! { <p>"Aucun enseignant dans cette liste. Essayez « Voir tous les enseignants »."</p> }
    });
    let people: Vec<Person> = list.teachers.into_iter().map(teacher_person).collect();
    view! {
        <h2>{heading}</h2>
        {empty}
        <AssignmentPanel
            target
            available
            people
            columns=vec!["Prénom", "Nom", "Matières"]
            screen
            on_saved
        />
    }
}

fn teacher_person(teacher: affecto_api_types::TeacherRow) -> Person {
    Person {
        id: teacher.id,
        full_name: format!("{} {}", teacher.first_name, teacher.last_name),
        cells: vec![
            teacher.first_name,
            teacher.last_name,
            teacher.subjects.join(", "),
        ],
        assigned: teacher.assigned,
    }
}
