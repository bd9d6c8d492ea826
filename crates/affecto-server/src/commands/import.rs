//! `affecto roster import` and `affecto orders import`: the operator's imports, on the
//! same database and with the same rules as the API.

use std::path::{Path, PathBuf};

use affecto_api_types::{RosterImportMode, RosterImportOutcome};
use affecto_domain::roster::Problems;
use affecto_domain::Uai;
use affecto_store::assignments::{Actor, Channel};
use affecto_store::orders::{record_order, OrderInput};
use affecto_store::roster_import::{import_roster, Import, ImportError};
use affecto_store::schools::{find_visible_school, SchoolRow, Viewer};
use affecto_store::{accounts, DbConnection};
use clap::Subcommand;
use diesel::Connection;

use super::{connect, CommandError};
use crate::config::Settings;
use crate::imports::orders::{read_csv, OrderLine, HEADER};
use crate::imports::{archive, RosterFile};
use crate::routes::roster_import::log_outcome;

#[derive(Debug, Subcommand)]
pub enum RosterCommand {
    /// Import a school's directory from Affecto's CSV, a OneRoster 1.2 zip, or a folder
    /// of OneRoster CSV files (see docs/imports.md).
    Import {
        /// The school's UAI.
        #[arg(long)]
        uai: String,
        /// Say what would change, changing nothing.
        #[arg(long)]
        dry_run: bool,
        /// sync: the file is the whole directory, the people it omits are removed;
        /// upsert: add and update only.
        #[arg(long, default_value = "sync", value_parser = parse_mode)]
        mode: RosterImportMode,
        /// Accept a sync that removes more than a quarter of the school's people.
        #[arg(long)]
        confirm_removals: bool,
        /// The CSV file, the zip archive, or the folder.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrdersCommand {
    /// Record the orders of a CSV file, one per line, all or none (see docs/imports.md).
    Import {
        /// Record them under this API client's order ids rather than the operator's.
        #[arg(long)]
        client: Option<String>,
        /// The CSV file.
        file: PathBuf,
    },
}

fn parse_mode(raw: &str) -> Result<RosterImportMode, String> {
    match raw {
        "sync" => Ok(RosterImportMode::Sync),
        "upsert" => Ok(RosterImportMode::Upsert),
        other => Err(format!("{other:?}: expected sync or upsert")),
    }
}

impl From<diesel::result::Error> for CommandError {
    fn from(e: diesel::result::Error) -> Self {
        CommandError(e.to_string())
    }
}

/// How the command line appears in the audit record.
fn cli_actor() -> Actor {
    Actor {
        label: "operator:cli".into(),
        channel: Channel::Cli,
    }
}

pub fn run_roster(settings: &Settings, command: RosterCommand) -> Result<(), CommandError> {
    let RosterCommand::Import {
        uai,
        dry_run,
        mode,
        confirm_removals,
        file,
    } = command;
    let uai = Uai::parse(&uai).map_err(|e| CommandError(format!("{uai}: {e}")))?;
    let mut conn = connect(settings)?;
    let school = school(&mut conn, &uai)?;
    let file = read_roster_file(&file)?;
    let roster = file.read(&uai).map_err(refused)?;
    let batch_id = uuid::Uuid::new_v4().to_string();
    let import = Import {
        school_id: school.id,
        roster: &roster,
        format: file.format(),
        mode,
        dry_run,
        confirm_removals,
        actor: &cli_actor(),
        batch_id: &batch_id,
        now: settings.clock.now_naive(),
    };
    let outcome = import_roster(&mut conn, &import).map_err(|e| match e {
        ImportError::RemovalsNeedConfirmation { removing, people } => CommandError(format!(
            "this import would remove {removing} of the school's {people} people, more than a quarter; \
             run it again with --confirm-removals if that is intended (nothing was imported)"
        )),
        other => CommandError(other.to_string()),
    })?;
    log_outcome(&school.uai, &outcome, &batch_id);
    println!("{}", summary(&outcome));
    Ok(())
}

fn school(conn: &mut DbConnection, uai: &Uai) -> Result<SchoolRow, CommandError> {
    find_visible_school(conn, Viewer::Operator, uai.as_str())?
        .ok_or_else(|| CommandError(format!("no school {uai}")))
}

/// A folder is a OneRoster export; a file is a zip archive or Affecto's CSV, told by
/// its first bytes.
fn read_roster_file(path: &Path) -> Result<RosterFile, CommandError> {
    if path.is_dir() {
        return archive::read_folder(path)
            .map(RosterFile::OneRoster)
            .map_err(refused);
    }
    let bytes = std::fs::read(path)
        .map_err(|e| CommandError(format!("cannot read {}: {e}", path.display())))?;
    Ok(if archive::is_zip(&bytes) {
        RosterFile::OneRosterZip(bytes)
    } else {
        RosterFile::Csv(bytes)
    })
}

/// Prints each problem on standard error and refuses the file.
fn refused(problems: Problems) -> CommandError {
    for problem in problems.listed() {
        let place = match (&problem.file, problem.line) {
            (Some(file), Some(line)) => format!("{file} line {line}: "),
            (None, Some(line)) => format!("line {line}: "),
            (Some(file), None) => format!("{file}: "),
            (None, None) => String::new(),
        };
        eprintln!("{place}{}", problem.message);
    }
    let total = problems.total();
    let listed = problems.listed().len();
    let more = if listed < total {
        format!(" ({listed} shown)")
    } else {
        String::new()
    };
    CommandError(format!(
        "the file has {total} problem(s){more}; nothing was imported"
    ))
}

fn summary(outcome: &RosterImportOutcome) -> String {
    let prefix = if outcome.dry_run {
        "dry run, nothing was changed; the import would give: "
    } else {
        ""
    };
    format!(
        "{prefix}{} people created, {} updated, {} unchanged, {} removed; \
         {} licences back in their pools; {} classes created, {} removed; {} rows ignored",
        outcome.created,
        outcome.updated,
        outcome.unchanged,
        outcome.removed,
        outcome.seats_released,
        outcome.classes_created,
        outcome.classes_removed,
        outcome.ignored,
    )
}

pub fn run_orders(settings: &Settings, command: OrdersCommand) -> Result<(), CommandError> {
    let OrdersCommand::Import { client, file } = command;
    let bytes = std::fs::read(&file)
        .map_err(|e| CommandError(format!("cannot read {}: {e}", file.display())))?;
    let lines = read_csv(&bytes).map_err(|problems| {
        eprintln!("expected header: {HEADER}");
        refused(problems)
    })?;
    let mut conn = connect(settings)?;
    let distributor = match client {
        Some(client_id) => {
            let found = accounts::client_by_client_id(&mut conn, &client_id)?
                .ok_or_else(|| CommandError(format!("no API client {client_id}")))?;
            format!("client:{}", found.id)
        }
        None => "operator".to_owned(),
    };
    let report = conn.transaction(|conn| {
        lines
            .iter()
            .map(|line| record_line(conn, settings, &distributor, line))
            .collect::<Result<Vec<String>, CommandError>>()
    })?;
    for line in report {
        println!("{line}");
    }
    Ok(())
}

fn record_line(
    conn: &mut DbConnection,
    settings: &Settings,
    distributor: &str,
    line: &OrderLine,
) -> Result<String, CommandError> {
    let at_line = |message: String| {
        CommandError(format!(
            "line {}: {message}; nothing was recorded",
            line.line
        ))
    };
    let school = school(conn, &line.uai).map_err(|e| at_line(e.0))?;
    let recorded = record_order(
        conn,
        &OrderInput {
            distributor,
            school_id: school.id,
            request: &line.order,
            recorded_by: &cli_actor().label,
            now: settings.clock.now_naive(),
        },
    )
    .map_err(|e| at_line(e.to_string()))?;
    tracing::info!(school = %school.uai, distributor, created = recorded.created, "order recorded");
    let order = &line.order;
    Ok(format!(
        "line {}: order {} {} for {} ({} student and {} teacher licences)",
        line.line,
        order.order_id,
        if recorded.created {
            "created"
        } else {
            "updated"
        },
        school.uai,
        order.students,
        order.teachers,
    ))
}
