//! The app shell: header, routes, and the guard that sends signed-out visitors to
//! the sign-in screen.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;
use wasm_bindgen::JsCast;

use crate::components::header::Header;
use crate::components::require_auth::RequireAuth;
use crate::pages::{
    journal::JournalPage, licences::LicencesPage, login::LoginPage, not_found::NotFoundPage,
    roster_import::RosterImportPage, school::SchoolPage, students::StudentsPage,
    teachers::TeachersPage,
};
use crate::session::Auth;

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    Auth::provide();
    view! {
        <Router>
            <FocusOnNavigation/>
            <a class="skip-link" href="#contenu">"Aller au contenu"</a>
            <Header/>
            <main id="contenu" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/connexion") view=LoginPage/>
                    <Route path=path!("/") view=|| protected(SchoolPage)/>
                    <Route
                        path=path!("/etablissements/:uai/licences")
                        view=|| protected(LicencesPage)
                    />
                    <Route
                        path=path!("/etablissements/:uai/journal")
                        view=|| protected(JournalPage)
                    />
                    <Route
                        path=path!("/etablissements/:uai/referentiel")
                        view=|| protected(RosterImportPage)
                    />
                    <Route
                        path=path!("/etablissements/:uai/produits/:product_id/eleves")
                        view=|| protected(StudentsPage)
                    />
                    <Route
                        path=path!("/etablissements/:uai/produits/:product_id/enseignants")
                        view=|| protected(TeachersPage)
                    />
                </Routes>
            </main>
        </Router>
    }
}

fn protected<V: IntoView + 'static>(page: fn() -> V) -> impl IntoView {
    view! { <RequireAuth>{page()}</RequireAuth> }
}

/// Moves the keyboard focus to the content after each change of screen, as a page
/// load would, so that screen readers announce the new screen.
#[component]
fn FocusOnNavigation() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|previous| previous != path) {
            focus_content();
        }
        path
    });
}

fn focus_content() {
    let main = document().get_element_by_id("contenu");
    if let Some(main) = main.and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = main.focus();
    }
}
