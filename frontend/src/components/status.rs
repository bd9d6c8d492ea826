//! Loading and error states, and the page title.

use leptos::prelude::*;

use crate::api::ApiError;

/// "Chargement…", announced politely to screen readers.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Chargement…"</p> }
}

/// An error, announced at once to screen readers.
#[component]
pub fn ErrorNotice(#[prop(into)] message: String) -> impl IntoView {
    view! { <p class="notice error" role="alert">{message}</p> }
}

/// Renders a resource: "Chargement…" until it answers, then either its view or the
/// error in French.
pub fn resource_view<T, V>(
    resource: LocalResource<Result<T, ApiError>>,
    ok: impl Fn(T) -> V + Send + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    move || match resource.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(error)) => view! { <ErrorNotice message=error.message()/> }.into_any(),
        Some(Ok(value)) => ok(value).into_any(),
    }
}

/// Sets the browser tab's title: "<screen> — Affecto".
pub fn set_title(screen: &str) {
    document().set_title(&format!("{screen} — Affecto"));
}
