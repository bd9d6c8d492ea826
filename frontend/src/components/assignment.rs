//! The body of both assignment screens: the live seat counter, the people with their
//! "Licence affectée" boxes, "Tout sélectionner / désélectionner", ANNULER, VALIDER.

use affecto_api_types::{AssignmentChange, Audience, ErrorCode, Id, Product, ProductLicences};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::format;
use crate::selection::{SelectAll, Selection};
use crate::session::Auth;

const NO_SEAT_REASON_ID: &str = "no-seat-reason";

/// Someone who can hold a licence, as listed on an assignment screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: Id,
    /// "Prénom Nom", for the checkbox's label.
    pub full_name: String,
    /// The visible columns before "Licence affectée".
    pub cells: Vec<String>,
    /// Whether they hold a licence now (saved state).
    pub assigned: bool,
}

/// The result of the last VALIDER, shown until the next one.
#[derive(Debug, Clone, PartialEq)]
pub enum Feedback {
    Saved(String),
    Refused(String),
}

/// What the assignment screens need to save a change.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub uai: String,
    pub product_id: Id,
    pub audience: Audience,
}

/// Seats still available in the product's valid pools for one audience.
pub fn seats_for(licences: &ProductLicences, audience: Audience) -> u32 {
    licences
        .pools
        .iter()
        .filter(|pool| pool.audience == audience)
        .map(|pool| pool.available)
        .sum()
}

/// What the parts of an assignment screen share.
#[derive(Debug, Clone, Copy)]
pub struct Screen {
    /// The result of the last VALIDER.
    pub feedback: RwSignal<Option<Feedback>>,
    /// Whether some ticks are not saved yet: changing class, or switching between
    /// subject and all teachers, waits until they are saved or cancelled.
    pub unsaved: RwSignal<bool>,
}

impl Screen {
    /// A screen with nothing to report and nothing pending.
    pub fn new() -> Self {
        Self {
            feedback: RwSignal::new(None),
            unsaved: RwSignal::new(false),
        }
    }
}

/// Why the class picker or the teacher toggle is disabled, while it is.
#[component]
pub fn SaveFirstHint(unsaved: RwSignal<bool>) -> impl IntoView {
    view! {
        <Show when=move || unsaved.get()>
            <span class="hint" id="save-first">
                "Validez ou annulez vos modifications avant de changer de liste."
            </span>
        </Show>
    }
}

/// The product itself out of its licences: what the top of an assignment screen
/// shows. As a memo, it rebuilds that part only if the product itself changes.
pub fn product_only(
    licences: LocalResource<Result<ProductLicences, ApiError>>,
) -> impl Fn() -> Option<Result<Product, ApiError>> + Send + 'static {
    let product = Memo::new(move |_| licences.get().map(|r| r.map(|l| l.product)));
    move || product.get()
}

/// The confirmation or refusal of the last VALIDER.
#[component]
pub fn FeedbackNotice(feedback: RwSignal<Option<Feedback>>) -> impl IntoView {
    move || {
        feedback.get().map(|feedback| match feedback {
            Feedback::Saved(text) => {
                view! { <p class="notice success" role="status">{text}</p> }.into_any()
            }
            Feedback::Refused(text) => {
                view! { <p class="notice error" role="alert">{text}</p> }.into_any()
            }
        })
    }
}

/// The counter, the buttons and the table of people with their boxes. `on_saved`
/// reloads the figures and the list after VALIDER (saved or refused for lack of
/// seats), which rebuilds this panel in the saved state.
#[component]
pub fn AssignmentPanel(
    target: Target,
    available: u32,
    people: Vec<Person>,
    columns: Vec<&'static str>,
    screen: Screen,
    on_saved: Callback<()>,
) -> impl IntoView {
    let ids = people.iter().map(|p| (p.id, p.assigned));
    let selection = RwSignal::new(Selection::new(ids, available));
    let saving = RwSignal::new(false);
    let note = RwSignal::new(None::<String>);
    track_unsaved(selection, screen.unsaved);
    let save = move |_| save_change(selection, saving, screen, target.clone(), on_saved);
    let select_all = move |_| note.set(select_all_note(selection));
    let reset = move |_| {
        selection.update(Selection::reset);
        note.set(None);
    };
    let unchanged = move || !selection.with(Selection::has_changes) || saving.get();

    view! {
        <div class="assign-bar">
            <Counter selection/>
            <div class="actions">
                <button type="button" class="button secondary" disabled=unchanged on:click=reset>
                    "Annuler"
                </button>
                <button type="button" class="button primary" disabled=unchanged on:click=save>
                    {move || if saving.get() { "Enregistrement…" } else { "Valider" }}
                </button>
            </div>
        </div>
        <p class="select-all">
            <button type="button" class="link-button" on:click=select_all>
                "Tout sélectionner / désélectionner"
            </button>
            {move || note.get().map(|text| view! { <span class="hint" role="status">{text}</span> })}
        </p>
        <PeopleTable people columns selection note/>
    }
}

/// Keeps `unsaved` in step with the ticks, and clears it when the panel goes away.
fn track_unsaved(selection: RwSignal<Selection>, unsaved: RwSignal<bool>) {
    Effect::new(move |_| unsaved.set(selection.with(Selection::has_changes)));
    on_cleanup(move || {
        unsaved.try_set(false);
    });
}

/// "N licences disponibles", and why boxes are disabled when N is 0.
#[component]
fn Counter(selection: RwSignal<Selection>) -> impl IntoView {
    let remaining = move || selection.with(Selection::remaining);
    view! {
        <div class="counter">
            <p class="seats" role="status">{move || format::available_seats(remaining())}</p>
            <Show when=move || remaining() == 0>
                <p class="hint" id=NO_SEAT_REASON_ID>"Plus aucune licence disponible"</p>
            </Show>
        </div>
    }
}

#[component]
fn PeopleTable(
    people: Vec<Person>,
    columns: Vec<&'static str>,
    selection: RwSignal<Selection>,
    note: RwSignal<Option<String>>,
) -> impl IntoView {
    let headers = columns
        .into_iter()
        .map(|name| view! { <th scope="col">{name}</th> })
        .collect_view();
    let rows = people
        .into_iter()
        .map(|person| view! { <PersonRow person selection note/> })
        .collect_view();
    view! {
        <table class="people">
            <thead>
                <tr>{headers}<th scope="col">"Licence affectée"</th></tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn PersonRow(
    person: Person,
    selection: RwSignal<Selection>,
    note: RwSignal<Option<String>>,
) -> impl IntoView {
    let id = person.id;
    let blocked = move || !selection.with(|s| s.can_toggle(id));
    let cells = person
        .cells
        .into_iter()
        .map(|cell| view! { <td>{cell}</td> })
        .collect_view();
    view! {
        <tr class:ticked=move || selection.with(|s| s.is_ticked(id))>
            {cells}
            <td class="check">
                <input
                    type="checkbox"
                    aria-label=format!("Licence affectée à {}", person.full_name)
                    prop:checked=move || selection.with(|s| s.is_ticked(id))
                    disabled=blocked
                    aria-describedby=move || blocked().then_some(NO_SEAT_REASON_ID)
                    on:change=move |_| {
                        note.set(None);
                        selection.update(|s| {
                            s.toggle(id);
                        });
                    }
                />
            </td>
        </tr>
    }
}

/// Applies "Tout sélectionner / désélectionner" and says what it could not do.
fn select_all_note(selection: RwSignal<Selection>) -> Option<String> {
    let mut outcome = SelectAll::Cleared;
    selection.update(|s| outcome = s.select_all());
    match outcome {
        SelectAll::Partly { ticked, left_out } => Some(format!(
            "Pas assez de licences pour tout le monde : {} sur {} sélectionnés.",
            ticked,
            ticked + left_out
        )),
        SelectAll::Everyone | SelectAll::Cleared => None,
    }
}

/// VALIDER: sends the whole change at once, then reports and reloads.
fn save_change(
    selection: RwSignal<Selection>,
    saving: RwSignal<bool>,
    screen: Screen,
    target: Target,
    on_saved: Callback<()>,
) {
    let (assign, unassign) = selection.with_untracked(Selection::change);
    if saving.get_untracked() || (assign.is_empty() && unassign.is_empty()) {
        return;
    }
    let change = AssignmentChange {
        audience: target.audience,
        assign,
        unassign,
    };
    let auth = Auth::expect();
    saving.set(true);
    screen.feedback.set(None);
    spawn_local(async move {
        let result = api::change_assignments(auth, &target.uai, target.product_id, &change).await;
        let (message, reload) = outcome_message(result, target.audience);
        screen.feedback.set(Some(message));
        // A reload rebuilds the panel from the saved state; until then it stays
        // "saving", so that the ticks just sent cannot be sent twice.
        if reload {
            on_saved.run(());
        } else {
            saving.try_set(false);
        }
    });
}

/// The feedback for a VALIDER, and whether the screen must reload its figures.
fn outcome_message(
    result: Result<affecto_api_types::AssignmentOutcome, ApiError>,
    audience: Audience,
) -> (Feedback, bool) {
    match result {
        Ok(outcome) => {
            let available = seats_for(&outcome.licences, audience);
            let text = format::change_saved(outcome.assigned, outcome.unassigned, available);
            (Feedback::Saved(text), true)
        }
        Err(ApiError::Refused { detail, .. }) if detail.code == ErrorCode::NotEnoughLicences => {
            let text = format::seats_ran_out(detail.available.unwrap_or(0));
            (Feedback::Refused(text), true)
        }
        Err(error) => (Feedback::Refused(error.message()), false),
    }
}
