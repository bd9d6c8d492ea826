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

/// Renders what a resource gives: "Chargement…" until it answers, then either the
/// view of its value or the error in French. `source` is read reactively: pass
/// `move || resource.get()`, or a memo of part of it so that a refetch which leaves
/// that part unchanged does not rebuild the view.
pub fn async_view<T, V>(
    source: impl Fn() -> Option<Result<T, ApiError>> + Send + 'static,
    ok: impl Fn(T) -> V + Send + 'static,
) -> impl IntoView
where
    V: IntoView + 'static,
{
    move || match source() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(error)) => view! { <ErrorNotice message=error.message()/> }.into_any(),
        Some(Ok(value)) => ok(value).into_any(),
    }
}

/// Sets the browser tab's title: "<screen> — Affecto".
pub fn set_title(screen: &str) {
    document().set_title(&format!("{screen} — Affecto"));
}
