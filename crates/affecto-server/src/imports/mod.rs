//! Reading the files that schools and distributors send: directory exports (Affecto's
//! CSV, OneRoster 1.2 CSV) and order lists. Readers check every row and refuse a file
//! whole, listing each problem with its line; they never touch the database.

pub mod archive;
pub mod csv_roster;
pub mod oneroster;
pub mod orders;
pub mod table;

use affecto_api_types::RosterFormat;
use affecto_domain::roster::{Problems, Roster};
use affecto_domain::Uai;

/// A directory file as received.
#[derive(Debug)]
pub enum RosterFile {
    /// Affecto's CSV, one line per person.
    Csv(Vec<u8>),
    /// A zip archive of OneRoster CSV files.
    OneRosterZip(Vec<u8>),
    /// The OneRoster CSV files themselves, e.g. read from a folder.
    OneRoster(oneroster::FileSet),
}

impl RosterFile {
    pub fn format(&self) -> RosterFormat {
        match self {
            RosterFile::Csv(_) => RosterFormat::Csv,
            RosterFile::OneRosterZip(_) | RosterFile::OneRoster(_) => RosterFormat::Oneroster,
        }
    }

    /// Reads and checks the file for the school `uai`.
    pub fn read(&self, uai: &Uai) -> Result<Roster, Problems> {
        match self {
            RosterFile::Csv(bytes) if bytes.is_empty() => {
                Err(Problems::whole_file("the file is empty"))
            }
            RosterFile::Csv(bytes) => csv_roster::read(bytes),
            RosterFile::OneRosterZip(bytes) => oneroster::read(&archive::unzip(bytes)?, uai),
            RosterFile::OneRoster(files) => oneroster::read(files, uai),
        }
    }
}
