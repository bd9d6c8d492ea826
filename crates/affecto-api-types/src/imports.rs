use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use affecto_domain::roster::FileProblem;

/// How an import treats the people of the school that the file does not list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RosterImportMode {
    /// The file is the whole directory: people it does not list are removed and their
    /// licences go back to their pools.
    #[default]
    Sync,
    /// The file adds and updates people; nobody is removed.
    Upsert,
}

impl RosterImportMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RosterImportMode::Sync => "sync",
            RosterImportMode::Upsert => "upsert",
        }
    }
}

/// The format an import file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RosterFormat {
    /// Affecto's CSV: one line per person (see docs/imports.md).
    Csv,
    /// OneRoster 1.2 CSV files in a zip archive.
    Oneroster,
}

impl RosterFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            RosterFormat::Csv => "csv",
            RosterFormat::Oneroster => "oneroster",
        }
    }
}

/// What a directory import did, or, for a dry run, would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RosterImportOutcome {
    /// True when nothing was changed: the counts say what the import would do.
    pub dry_run: bool,
    pub mode: RosterImportMode,
    pub format: RosterFormat,
    /// People added to the directory.
    pub created: u32,
    /// People found again (by identifier or login) whose name, login, class, role or
    /// subjects changed. They keep their licences.
    pub updated: u32,
    /// People found again with nothing changed.
    pub unchanged: u32,
    /// People no longer in the file, taken out of the directory.
    pub removed: u32,
    /// Licences the removed people held, back in their pools.
    pub seats_released: u32,
    pub classes_created: u32,
    /// Classes that no longer appear in the file, removed (sync only).
    pub classes_removed: u32,
    /// Rows of the file that are not students or teachers of this school (parents,
    /// staff, other schools, rows marked for deletion).
    pub ignored: u32,
    /// The school's directory before the import.
    pub people_before: u32,
    /// True when the import removes more than a quarter of the school's people: it is
    /// refused unless `confirm_removals=true` is given.
    pub removals_need_confirmation: bool,
}
