use std::process::ExitCode;

use clap::Parser;

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = affecto_server::commands::Cli::parse();
    match affecto_server::commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("affecto: {error}");
            ExitCode::FAILURE
        }
    }
}
