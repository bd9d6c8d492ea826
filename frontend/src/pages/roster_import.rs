//! "Importer le référentiel": send the school's directory (Affecto CSV or OneRoster
//! zip), see what it would change with a dry run, confirm mass removals, import.

use affecto_api_types::{ErrorCode, FileProblem, RosterImportMode, RosterImportOutcome};
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiError, RosterImport};
use crate::components::status::{set_title, ErrorNotice};
use crate::format;
use crate::session::Auth;

/// Where the import stands.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// No file checked yet (or the file or mode changed since).
    Idle,
    /// A request is on its way.
    Sending { dry_run: bool },
    /// The dry run answered: what the import would do.
    Checked(RosterImportOutcome),
    /// The import is done.
    Imported(RosterImportOutcome),
    /// The server refused the file or the request.
    Failed(ApiError),
}

/// The directory import of the school named in the address.
#[component]
pub fn RosterImportPage() -> impl IntoView {
    set_title("Importer le référentiel");
    let auth = Auth::expect();
    let params = use_params_map();
    let uai = Memo::new(move |_| params.read().get("uai").unwrap_or_default());
    let file_input = NodeRef::<Input>::new();
    let mode = RwSignal::new(RosterImportMode::Sync);
    let confirmed = RwSignal::new(false);
    let step = RwSignal::new(Step::Idle);
    let missing_file = RwSignal::new(false);
    let reset = move || {
        step.set(Step::Idle);
        confirmed.set(false);
    };
    let send = move |dry_run: bool| {
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            missing_file.set(true);
            return;
        };
        missing_file.set(false);
        let options = RosterImport {
            dry_run,
            mode: mode.get_untracked(),
            confirm_removals: !dry_run && confirmed.get_untracked(),
        };
        let uai = uai.get_untracked();
        step.set(Step::Sending { dry_run });
        spawn_local(async move {
            let result = api::import_roster(auth, &uai, &file, options).await;
            step.set(match result {
                Ok(outcome) if outcome.dry_run => Step::Checked(outcome),
                Ok(outcome) => Step::Imported(outcome),
                Err(error) => Step::Failed(error),
            });
        });
    };
    let busy = move || matches!(step.get(), Step::Sending { .. });
    let needs_confirmation =
        move || matches!(step.get(), Step::Checked(ref o) if o.removals_need_confirmation);
    let can_import = move || {
        matches!(step.get(), Step::Checked(_)) && (!needs_confirmation() || confirmed.get())
    };
    view! {
        <h1>"Importer le référentiel"</h1>
        <p class="back">
            <A href=move || format!("/?uai={}", uai.get())>"Retour au compte de l'établissement"</A>
        </p>
        <ExpectedFormat/>
        <form class="card import" on:submit=move |event| {
            event.prevent_default();
            send(true);
        }>
            <div class="field">
                <label for="roster-file">"Fichier du référentiel (CSV ou OneRoster zip)"</label>
                <input
                    id="roster-file"
                    type="file"
                    accept=".csv,.zip,text/csv,application/zip"
                    node_ref=file_input
                    aria-describedby="roster-file-hint"
                    on:change=move |_| reset()
                />
                <p id="roster-file-hint" class="hint">"10 Mo au plus, encodé en UTF-8."</p>
            </div>
            <ModeChoice mode on_change=reset/>
            {move || missing_file.get().then(|| view! { <ErrorNotice message="Choisissez d'abord un fichier."/> })}
            <p class="actions">
                <button type="submit" class="button secondary" disabled=busy>"Vérifier"</button>
                <button
                    type="button"
                    class="button primary"
                    disabled=move || busy() || !can_import()
                    on:click=move |_| send(false)
                >
                    "Importer"
                </button>
            </p>
        </form>
        <div aria-live="polite">
            {move || match step.get() {
                Step::Idle => None,
                Step::Sending { dry_run } => Some(view! {
                    <p class="loading" role="status">
                        {if dry_run { "Vérification en cours…" } else { "Import en cours…" }}
                    </p>
                }.into_any()),
                Step::Checked(outcome) => Some(view! {
                    <DryRunSummary outcome confirmed/>
                }.into_any()),
                Step::Imported(outcome) => Some(view! { <ImportDone outcome/> }.into_any()),
                Step::Failed(error) => Some(view! { <ImportError error/> }.into_any()),
            }}
        </div>
    }
}

/// The columns the CSV file needs, as docs/imports.md describes them.
#[component]
fn ExpectedFormat() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="format-title">
            <h2 id="format-title">"Format attendu"</h2>
            <p>
                "Un fichier CSV en UTF-8 (séparateur point-virgule, virgule ou tabulation), "
                "une ligne par personne, avec une ligne d'en-tête nommant les colonnes :"
            </p>
            <pre class="sample"><code>"role;login;last_name;first_name;class;level;subjects\n\
    student;0750001a-e001;Martin;Emma;6e A;6e;\n\
    teacher;0750001a-p001;Fontaine;Claire;;;Français|Latin"</code></pre>
            <ul>
                <li><code>"role"</code>" : "<code>"élève"</code>" ("<code>"student"</code>") ou "<code>"enseignant"</code>" ("<code>"teacher"</code>")"</li>
                <li><code>"login"</code>" : l'identifiant ENT, unique dans le fichier ; "<code>"last_name"</code>", "<code>"first_name"</code>" : nom et prénom"</li>
                <li><code>"class"</code>" : la classe des élèves (vide pour les enseignants) ; "<code>"level"</code>" facultatif (6e à Tle)"</li>
                <li><code>"subjects"</code>" : matières des enseignants, séparées par "<code>"|"</code></li>
            </ul>
            <p>"Les en-têtes français sont aussi acceptés (profil, identifiant, nom, prénom, classe, niveau, matières). Un export OneRoster 1.2 s'envoie en archive zip."</p>
        </section>
    }
}

/// Full sync (people missing from the file are removed) or add-and-update only.
#[component]
fn ModeChoice(
    mode: RwSignal<RosterImportMode>,
    on_change: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let choose = move |value: RosterImportMode| {
        move |_| {
            mode.set(value);
            on_change();
        }
    };
    view! {
        <fieldset class="mode">
            <legend>"Type d'import"</legend>
            <label>
                <input
                    type="radio"
                    name="mode"
                    checked=move || mode.get() == RosterImportMode::Sync
                    on:change=choose(RosterImportMode::Sync)
                />
                " Synchronisation complète : les personnes absentes du fichier sont retirées et leurs licences libérées"
            </label>
            <label>
                <input
                    type="radio"
                    name="mode"
                    checked=move || mode.get() == RosterImportMode::Upsert
                    on:change=choose(RosterImportMode::Upsert)
                />
                " Ajout et mise à jour seulement : personne n'est retiré"
            </label>
        </fieldset>
    }
}

/// What the dry run says the import would do, and the mass-removal confirmation.
#[component]
fn DryRunSummary(outcome: RosterImportOutcome, confirmed: RwSignal<bool>) -> impl IntoView {
    let warning = outcome.removals_need_confirmation.then(|| {
        view! {
            <div class="notice warning" role="alert">
                <p>
                    {format!(
                        "Plus d'un quart des personnes seraient retirées : {} sur {}. \
                         Un fichier incomplet en est souvent la cause ; vérifiez-le avant d'importer.",
                        outcome.removed, outcome.people_before
                    )}
                </p>
                <label class="confirm">
                    <input
                        type="checkbox"
                        prop:checked=move || confirmed.get()
                        on:change=move |event| confirmed.set(event_target_checked(&event))
                    />
                    " Je confirme le retrait de ces personnes et la libération de leurs licences"
                </label>
            </div>
        }
    });
    view! {
        <section class="card" aria-labelledby="check-title">
            <h2 id="check-title">"Vérification : rien n'a encore été importé"</h2>
            <OutcomeFigures outcome=outcome.clone()/>
            {warning}
            <p>"Si ces chiffres sont ceux attendus, cliquez sur « Importer »."</p>
        </section>
    }
}

/// The confirmation after a real import.
#[component]
fn ImportDone(outcome: RosterImportOutcome) -> impl IntoView {
    view! {
        <section class="notice success" role="status" aria-labelledby="done-title">
            <h2 id="done-title">"Import terminé"</h2>
            <OutcomeFigures outcome/>
        </section>
    }
}

/// The counts of an import, in French.
#[component]
fn OutcomeFigures(outcome: RosterImportOutcome) -> impl IntoView {
    let lines = format::import_figures(&outcome);
    view! {
        <ul class="figures">
            {lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
        </ul>
    }
}

/// A refused import: the file's problems line by line, or the error in French.
#[component]
fn ImportError(error: ApiError) -> impl IntoView {
    let problems: Vec<FileProblem> = match &error {
        ApiError::Refused { detail, .. } if detail.code == ErrorCode::InvalidFile => {
            detail.problems.clone()
        }
        _ => Vec::new(),
    };
    let list = (!problems.is_empty()).then(|| {
        let items = problems
            .into_iter()
            .map(|problem| view! { <li>{format::file_problem(&problem)}</li> })
            .collect_view();
        view! { <ul class="problems">{items}</ul> }
    });
    view! {
        <div class="notice error" role="alert">
            <p>{error.message()}</p>
            {list}
        </div>
    }
}
