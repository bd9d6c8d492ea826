//! Screens that need a session.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::routes;
use crate::session::Auth;

/// Shows its children to a signed-in administrator; anyone else, or someone whose
/// session just ended (sign-out, expired token, 401), goes to the sign-in screen.
#[component]
pub fn RequireAuth(children: ChildrenFn) -> impl IntoView {
    let auth = Auth::expect();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if !auth.is_signed_in() {
            let options = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate(routes::LOGIN, options);
        }
    });
    view! { <Show when=move || auth.is_signed_in()>{children()}</Show> }
}
