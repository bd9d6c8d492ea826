//! "Affecter vos licences élève": pick a class, tick its students.

use affecto_api_types::{Audience, ClassSummary, Id, Product, ProductLicences, StudentList};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{self, ApiError};
use crate::components::assignment::{
    product_only, seats_for, AssignmentPanel, FeedbackNotice, Person, SaveFirstHint, Screen, Target,
};
use crate::components::product_heading::ProductHeading;
use crate::components::status::{async_view, set_title};
use crate::format;
use crate::routes;
use crate::session::Auth;

/// The student assignment screen of the product named in the address.
#[component]
pub fn StudentsPage() -> impl IntoView {
    set_title("Affecter vos licences élève");
    let auth = Auth::expect();
    let params = use_params_map();
    let uai = Memo::new(move |_| params.read().get("uai").unwrap_or_default());
    let product_id =
        Memo::new(move |_| params.read().get("product_id").and_then(|p| p.parse().ok()));
    let product = LocalResource::new(move || {
        let (uai, product_id) = (uai.get(), product_id.get());
        async move { product_licences(auth, &uai, product_id).await }
    });
    let classes = LocalResource::new(move || {
        let uai = uai.get();
        async move { api::classes(auth, &uai).await }
    });
    let query = use_query_map();
    let class_id = Memo::new(move |_| query.read().get("classe").and_then(|c| c.parse().ok()));
    let screen = Screen::new();

    let body = move |item: Product| {
        let product_id = item.id;
        let target = Target {
            uai: uai.get_untracked(),
            product_id,
            audience: Audience::Student,
        };
        view! {
            <ProductHeading uai=target.uai.clone() title=item.title.clone()/>
            {async_view(move || classes.get(), move |list| {
                let classes = classes_for(list.classes, &item);
                let page = routes::assign(&uai.get_untracked(), product_id, Audience::Student);
                view! { <ClassPicker classes class_id page screen/> }
            })}
            <FeedbackNotice feedback=screen.feedback/>
            <ClassStudents target class_id screen/>
        }
    };
    view! {
        <h1>"Affecter vos licences élève"</h1>
        {async_view(product_only(product), body)}
    }
}

async fn product_licences(
    auth: Auth,
    uai: &str,
    product_id: Option<Id>,
) -> Result<ProductLicences, ApiError> {
    match product_id {
        Some(id) => api::product_licences(auth, uai, id).await,
        None => Err(ApiError::BadAddress),
    }
}

/// Only classes of one of the product's levels can receive its licences.
fn classes_for(classes: Vec<ClassSummary>, product: &Product) -> Vec<ClassSummary> {
    let levels = &product.levels;
    classes
        .into_iter()
        .filter(|c| levels.contains(&c.level))
        .collect()
}

/// "Sélectionner la classe à afficher", grouped by level. The chosen class goes in
/// the address (`?classe=ID`), so that a reload or a shared link shows it again.
#[component]
fn ClassPicker(
    classes: Vec<ClassSummary>,
    class_id: Memo<Option<Id>>,
    page: String,
    screen: Screen,
) -> impl IntoView {
    if classes.is_empty() {
        return view! { <p>"Aucune classe de ces niveaux dans l'établissement."</p> }.into_any();
    }
    let mut levels: Vec<_> = classes.iter().map(|c| c.level).collect();
    levels.dedup();
    let groups = levels
        .into_iter()
        .map(|level| {
            let options = classes
                .iter()
                .filter(|c| c.level == level)
                .map(|c| {
                    let chosen = class_id.get_untracked() == Some(c.id);
                    view! { <option value=c.id.to_string() selected=chosen>{c.name.clone()}</option> }
                })
                .collect_view();
            view! { <optgroup label=level.as_str()>{options}</optgroup> }
        })
        .collect_view();
    let navigate = use_navigate();
    let on_change = move |event| {
        screen.feedback.set(None);
        let address = match event_target_value(&event).parse::<Id>() {
            Ok(id) => format!("{page}?classe={id}"),
            Err(_) => page.clone(),
        };
        navigate(
            &address,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    view! {
        <div class="field">
            <label for="class-picker">"Sélectionner la classe à afficher"</label>
            <select
                id="class-picker"
                on:change=on_change
                disabled=move || screen.unsaved.get()
                aria-describedby=move || screen.unsaved.get().then_some("save-first")
            >
                <option value="" selected=class_id.get_untracked().is_none()>"— Choisir une classe —"</option>
                {groups}
            </select>
            <SaveFirstHint unsaved=screen.unsaved/>
        </div>
    }
    .into_any()
}

/// The chosen class's students with their boxes, or the seats left before a class
/// is chosen.
#[component]
fn ClassStudents(target: Target, class_id: Memo<Option<Id>>, screen: Screen) -> impl IntoView {
    let auth = Auth::expect();
    let (uai, product_id) = (target.uai.clone(), target.product_id);
    let data = LocalResource::new(move || {
        let (uai, class_id) = (uai.clone(), class_id.get());
        async move { seats_and_students(auth, &uai, product_id, class_id).await }
    });
    let on_saved = Callback::new(move |()| data.refetch());
    let ok = move |(available, list): (u32, Option<StudentList>)| match list {
        None => view! { <p class="seats">{format::available_seats(available)}</p> }.into_any(),
        Some(list) => class_panel(target.clone(), list, available, screen, on_saved).into_any(),
    };
    async_view(move || data.get(), ok)
}

/// The student seats left and the class's students, read together so that the
/// counter and the boxes always come from the same moment.
async fn seats_and_students(
    auth: Auth,
    uai: &str,
    product_id: Id,
    class_id: Option<Id>,
) -> Result<(u32, Option<StudentList>), ApiError> {
    let licences = api::product_licences(auth, uai, product_id).await?;
    let available = seats_for(&licences, Audience::Student);
    let list = match class_id {
        Some(class_id) => Some(api::students(auth, uai, class_id, product_id).await?),
        None => None,
    };
    Ok((available, list))
}

fn class_panel(
    target: Target,
    list: StudentList,
    available: u32,
    screen: Screen,
    on_saved: Callback<()>,
) -> impl IntoView {
    let heading = format!(
        "Classe {} — {}",
        list.class.name,
        format::count(list.class.student_count, "élève", "élèves")
    );
    let people: Vec<Person> = list
        .students
        .into_iter()
        .map(|s| Person {
            id: s.id,
            full_name: format!("{} {}", s.first_name, s.last_name),
            cells: vec![s.first_name, s.last_name, s.login],
            assigned: s.assigned,
        })
        .collect();
    let empty = people
        .is_empty()
        .then(|| view! { <p>"Aucun élève dans cette classe."</p> });
    view! {
        <h2>{heading}</h2>
        {empty}
        <AssignmentPanel
            target
            available
            people
            columns=vec!["Prénom", "Nom", "Identifiant"]
            screen
            on_saved
        />
    }
}
