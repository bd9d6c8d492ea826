//! The files of a OneRoster export, from a zip archive (the API) or a folder (the
//! command line), with limits that keep a hostile archive from filling memory.

use std::io::{Cursor, Read};
use std::path::Path;

use affecto_domain::roster::Problems;

use super::oneroster::FileSet;

/// The most one file of an export may hold once uncompressed.
const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// The most all the CSV files of an export may hold together once uncompressed.
const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;

/// Whether the bytes are a zip archive.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// The CSV files of a zip archive by lower-case name, wherever they are in it.
pub fn unzip(bytes: &[u8]) -> Result<FileSet, Problems> {
    let unreadable = |e: zip::result::ZipError| {
        Problems::whole_file(format!("the archive cannot be read as a zip file ({e})"))
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut files = FileSet::new();
    let mut total = 0u64;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(unreadable)?;
        let Some(name) = csv_name(entry.name()) else {
            continue;
        };
        let mut content = Vec::new();
        (&mut entry)
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut content)
            .map_err(|e| Problems::whole_file(format!("{name} cannot be uncompressed ({e})")))?;
        total += content.len() as u64;
        if content.len() as u64 > MAX_FILE_BYTES || total > MAX_TOTAL_BYTES {
            return Err(too_large());
        }
        files.insert(name, content);
    }
    Ok(files)
}

/// The CSV files of a folder by lower-case name.
pub fn read_folder(dir: &Path) -> Result<FileSet, Problems> {
    let unreadable = |e: std::io::Error| {
        Problems::whole_file(format!("the folder {} cannot be read ({e})", dir.display()))
    };
    let mut files = FileSet::new();
    let mut total = 0u64;
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        let Some(name) = path.to_str().and_then(csv_name) else {
            continue;
        };
        let content = std::fs::read(&path).map_err(unreadable)?;
        total += content.len() as u64;
        if total > MAX_TOTAL_BYTES {
            return Err(too_large());
        }
        files.insert(name, content);
    }
    Ok(files)
}

/// The lower-case file name of a CSV entry, without its folders; `None` for anything
/// else, and for the resource forks some archivers add.
fn csv_name(path: &str) -> Option<String> {
    if path.contains("__MACOSX") {
        return None;
    }
    let name = path.rsplit(['/', '\\']).next()?.to_lowercase();
    (name.ends_with(".csv") && !name.starts_with("._")).then_some(name)
}

fn too_large() -> Problems {
    Problems::whole_file(format!(
        "the export is larger than {} MiB once uncompressed",
        MAX_TOTAL_BYTES / (1024 * 1024)
    ))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn csv_files_are_found_in_any_folder_of_the_archive() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("export/Users.csv", options).unwrap();
        zip.write_all(b"sourcedId\n").unwrap();
        zip.start_file("__MACOSX/export/._users.csv", options)
            .unwrap();
        zip.start_file("readme.txt", options).unwrap();
        let bytes = zip.finish().unwrap().into_inner();

        assert!(is_zip(&bytes));
        let files = unzip(&bytes).unwrap();
        assert_eq!(files.keys().collect::<Vec<_>>(), ["users.csv"]);
    }

    #[test]
    fn what_is_not_a_zip_is_refused() {
        assert!(!is_zip(b"role,login\n"));
        assert!(unzip(b"PK\x03\x04 broken").is_err());
    }
}
