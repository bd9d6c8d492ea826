//! Affecto's web app for school administrators: sign in, see the school's licences,
//! assign them to students and teachers. French on screen, English in code.

mod api;
mod app;
mod components;
mod download;
mod format;
mod pages;
mod routes;
mod selection;
mod session;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
