//! "Connexion": the administrator signs in with e-mail and password.

use affecto_api_types::LoginRequest;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::api::{self, ApiError};
use crate::components::status::{set_title, ErrorNotice};
use crate::routes;
use crate::session::Auth;

/// The sign-in form; once signed in, the school account home.
#[component]
pub fn LoginPage() -> impl IntoView {
    set_title("Connexion");
    let auth = Auth::expect();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    go_home_once_signed_in(auth);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let credentials = LoginRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::login(&credentials).await;
            pending.set(false);
            match result {
                Ok(token) => auth.sign_in(&token),
                Err(refusal) => error.set(Some(sign_in_refusal(&refusal))),
            }
        });
    };

    view! {
        <section class="card narrow" aria-labelledby="login-title">
            <h1 id="login-title">"Connexion"</h1>
            <p>"Connectez-vous avec le compte administrateur de votre établissement."</p>
            <form class="stacked" on:submit=submit>
                <label for="email">"Adresse e-mail"</label>
                <input id="email" name="email" type="email" autocomplete="username" required bind:value=email/>
                <label for="password">"Mot de passe"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    bind:value=password
                />
                {move || error.get().map(|message| view! { <ErrorNotice message/> })}
                <button type="submit" class="button primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Connexion…" } else { "Se connecter" }}
                </button>
            </form>
        </section>
    }
}

fn go_home_once_signed_in(auth: Auth) {
    let navigate = use_navigate();
    Effect::new(move |_| {
        if auth.is_signed_in() {
            navigate(
                routes::HOME,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
}

/// Why signing in failed, in the words administrators expect.
fn sign_in_refusal(error: &ApiError) -> String {
    match error.status() {
        Some(401) => "Identifiant ou mot de passe incorrect".to_owned(),
        Some(429) => "Trop de tentatives, réessayez dans quelques minutes".to_owned(),
        _ => error.message(),
    }
}
