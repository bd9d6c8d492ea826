//! The `affecto` command line: the server, and the operator's tasks on the same
//! database (schools, administrators, API clients).

mod import;

use std::io::BufRead;
use std::net::TcpListener;

use affecto_domain::Uai;
use affecto_store::{
    accounts, database, demo, schools, DatabaseTarget, DbConnection, PoolSettings, PooledConnection,
};
use clap::{Args, Parser, Subcommand};
use rand::distributions::{Alphanumeric, DistString};

use crate::auth::{password, Scopes};
use crate::config::{Environment, Settings};
use crate::state::AppState;

#[derive(Debug, Parser)]
#[command(
    name = "affecto",
    version,
    about = "Licence management for schools' digital textbooks"
)]
pub struct Cli {
    /// Database URL: sqlite:///absolute/path.db, sqlite://relative.db, a file path, or
    /// postgres://user@host/db. Defaults to sqlite://affecto.db.
    #[arg(long, global = true, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API and the web app.
    Serve(ServeArgs),
    /// Print the OpenAPI document (the content of api-spec/openapi.json).
    Openapi,
    /// Manage schools.
    #[command(subcommand)]
    School(SchoolCommand),
    /// Manage administrators.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Manage API clients (ENT portals, distributors).
    #[command(subcommand)]
    Client(ClientCommand),
    /// Fill the database with generated schools, for benchmarks.
    Seed(SeedArgs),
    /// Import a school's directory.
    #[command(subcommand)]
    Roster(import::RosterCommand),
    /// Record what schools bought.
    #[command(subcommand)]
    Orders(import::OrdersCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "AFFECTO_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Fill an empty database with the two demonstration schools.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Schools to add.
    #[arg(long, default_value_t = 10)]
    pub schools: usize,
    /// Students per school, spread over 6e, 5e, 4e and 3e.
    #[arg(long, default_value_t = 500)]
    pub students_per_school: usize,
    /// Percentage of a level's students holding each of its textbooks.
    #[arg(long, default_value_t = 90)]
    pub coverage: usize,
}

#[derive(Debug, Subcommand)]
pub enum SchoolCommand {
    /// Create a school.
    Create {
        #[arg(long)]
        uai: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create or update an administrator; the password is read from
    /// AFFECTO_ADMIN_PASSWORD or from the first line of standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// A platform operator, who sees every school.
        #[arg(long)]
        operator: bool,
        /// A school (UAI) the administrator manages; repeat for several.
        #[arg(long = "school")]
        schools: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Create an API client, or give an existing one a new secret; prints the secret
    /// once.
    Create {
        #[arg(long)]
        client_id: String,
        #[arg(long)]
        name: String,
        /// Space-separated scopes, e.g. "licences:read access:read".
        #[arg(long)]
        scopes: String,
        /// A school (UAI) the client may reach; repeat for several.
        #[arg(long = "school")]
        schools: Vec<String>,
    },
}

/// A command that could not be carried out, in one line.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CommandError(pub String);

impl From<affecto_store::StoreError> for CommandError {
    fn from(e: affecto_store::StoreError) -> Self {
        CommandError(e.to_string())
    }
}

impl From<crate::config::ConfigError> for CommandError {
    fn from(e: crate::config::ConfigError) -> Self {
        CommandError(e.to_string())
    }
}

pub async fn run(cli: Cli) -> Result<(), CommandError> {
    let settings = Settings::from_env(cli.database_url)?;
    init_logging(settings.environment);
    match cli.command {
        Command::Serve(args) => serve(settings, args).await,
        Command::Seed(args) => seed(&settings, &args),
        Command::Openapi => {
            print!("{}", crate::openapi::pretty_json());
            Ok(())
        }
        Command::Roster(command) => import::run_roster(&settings, command),
        Command::Orders(command) => import::run_orders(&settings, command),
        Command::School(SchoolCommand::Create { uai, name }) => {
            let mut conn = connect(&settings)?;
            let uai = Uai::parse(&uai).map_err(|e| CommandError(e.to_string()))?;
            match schools::create_school(
                &mut conn,
                uai.as_str(),
                &name,
                settings.clock.now_naive(),
            )? {
                Some(_) => println!("school {uai} created"),
                None => return Err(CommandError(format!("school {uai} exists already"))),
            }
            Ok(())
        }
        Command::Admin(AdminCommand::Create {
            email,
            name,
            operator,
            schools,
        }) => {
            let mut conn = connect(&settings)?;
            let secret = read_password()?;
            let school_ids = resolve_schools(&mut conn, &schools)?;
            let id = accounts::upsert_admin(
                &mut conn,
                &email,
                &name,
                &password::hash(&secret),
                operator,
            )?;
            for school in school_ids {
                accounts::grant_admin_school(&mut conn, id, school)?;
            }
            println!("administrator {email} saved");
            Ok(())
        }
        Command::Client(ClientCommand::Create {
            client_id,
            name,
            scopes,
            schools,
        }) => {
            let mut conn = connect(&settings)?;
            let scopes: Scopes = scopes.parse().map_err(CommandError)?;
            let school_ids = resolve_schools(&mut conn, &schools)?;
            let secret = Alphanumeric.sample_string(&mut rand::thread_rng(), 40);
            let id = accounts::upsert_client(
                &mut conn,
                &client_id,
                &name,
                &password::hash(&secret),
                &scopes.to_string(),
            )?;
            for school in school_ids {
                accounts::grant_client_school(&mut conn, id, school)?;
            }
            println!("client_id: {client_id}\nclient_secret: {secret}\n(the secret is shown once; store it now)");
            Ok(())
        }
    }
}

/// Opens the database, migrates it and, if asked, seeds the demo schools.
pub fn prepare(settings: Settings, with_demo: bool) -> Result<AppState, CommandError> {
    if with_demo && settings.environment == Environment::Production {
        return Err(CommandError(
            "demo data is refused in production (AFFECTO_ENV=production)".into(),
        ));
    }
    let target = DatabaseTarget::parse(&settings.database_url)?;
    let pool_settings = PoolSettings {
        max_connections: settings.pool_size,
        checkout_timeout: settings.db_checkout_timeout,
    };
    let pool = database::open(&target, &pool_settings)?;
    tracing::info!(database = %target.redacted(), pool_size = settings.pool_size, "database ready");
    if with_demo {
        let mut conn = pool.get().map_err(|e| CommandError(e.to_string()))?;
        seed_demo(&mut conn, &settings)?;
    }
    Ok(AppState::new(pool, settings))
}

fn seed_demo(conn: &mut DbConnection, settings: &Settings) -> Result<(), CommandError> {
    let credentials = demo::DemoCredentials {
        admin_password_hash: password::hash(&settings.demo_password),
        client_secret_hash: password::hash(DEMO_CLIENT_SECRET),
    };
    let clock = demo::DemoClock {
        today: settings.clock.today(),
        now: settings.clock.now_naive(),
        latest_rollover: settings.auto_unassign.latest_due(settings.clock.today()),
    };
    if demo::seed(conn, &credentials, &clock)? {
        tracing::info!("demo schools created");
    }
    Ok(())
}

/// The demo ENT's secret, printed at startup like the demo passwords.
pub const DEMO_CLIENT_SECRET: &str = "demo-ent-secret";

async fn serve(settings: Settings, args: ServeArgs) -> Result<(), CommandError> {
    let listener = TcpListener::bind(&args.bind)
        .map_err(|e| CommandError(format!("cannot listen on {}: {e}", args.bind)))?;
    let address = listener
        .local_addr()
        .map_err(|e| CommandError(e.to_string()))?;
    let demo_password = settings.demo_password.clone();
    let state = tokio::task::spawn_blocking(move || prepare(settings, args.demo))
        .await
        .map_err(|e| CommandError(e.to_string()))??;
    tracing::info!(%address, environment = ?state.settings.environment, "affecto starting");

    println!("listening on http://{address}");
    if args.demo {
        println!(
            "demo accounts: {} and {} (password: {}); API client {} / {}",
            demo::COLLEGE_ADMIN,
            demo::LYCEE_ADMIN,
            demo_password,
            demo::DEMO_CLIENT_ID,
            DEMO_CLIENT_SECRET
        );
    }
    let check_every = state.settings.rollover_check_interval;
    let server =
        crate::startup::run(listener, state.clone()).map_err(|e| CommandError(e.to_string()))?;
    crate::scheduler::spawn_rollover(state, check_every);
    server.await.map_err(|e| CommandError(e.to_string()))
}

fn seed(settings: &Settings, args: &SeedArgs) -> Result<(), CommandError> {
    use affecto_store::generator::{generate, Shape};
    if settings.environment == Environment::Production {
        return Err(CommandError(
            "generated data is refused in production".into(),
        ));
    }
    let mut conn = connect(settings)?;
    let today = settings.clock.today();
    let shape = Shape {
        schools: args.schools,
        students_per_school: args.students_per_school,
        coverage_percent: args.coverage.min(100),
        valid_from: today - chrono::Days::new(90),
        valid_until: today + chrono::Days::new(270),
        now: settings.clock.now_naive(),
    };
    let started = std::time::Instant::now();
    let generated = generate(&mut conn, &shape, |done| {
        if done % 100 == 0 {
            eprintln!("{done} schools generated");
        }
    })?;
    println!(
        "generated {} schools, {} students, {} teachers, {} assignments in {:.1} s",
        generated.schools,
        generated.students,
        generated.teachers,
        generated.assignments,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn connect(settings: &Settings) -> Result<PooledConnection, CommandError> {
    let target = DatabaseTarget::parse(&settings.database_url)?;
    let pool = database::open(
        &target,
        &PoolSettings {
            max_connections: 1,
            ..PoolSettings::default()
        },
    )?;
    pool.get().map_err(|e| CommandError(e.to_string()))
}

fn resolve_schools(conn: &mut DbConnection, uais: &[String]) -> Result<Vec<i64>, CommandError> {
    uais.iter()
        .map(|raw| {
            let uai = Uai::parse(raw).map_err(|e| CommandError(format!("{raw}: {e}")))?;
            schools::find_visible_school(conn, schools::Viewer::Operator, uai.as_str())?
                .map(|s| s.id)
                .ok_or_else(|| CommandError(format!("no school {uai}")))
        })
        .collect()
}

fn read_password() -> Result<String, CommandError> {
    if let Ok(secret) = std::env::var("AFFECTO_ADMIN_PASSWORD") {
        return Ok(secret);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CommandError(e.to_string()))?;
    let secret = line.trim_end_matches(['\r', '\n']).to_owned();
    if secret.len() < 8 {
        return Err(CommandError(
            "the password must have at least 8 characters".into(),
        ));
    }
    Ok(secret)
}

/// Logs as text for people, or as JSON lines in production; `RUST_LOG` filters.
fn init_logging(environment: Environment) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match environment {
        Environment::Production => builder.json().try_init(),
        Environment::Development => builder.try_init(),
    };
}
