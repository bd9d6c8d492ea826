//! A CSV file as spreadsheets and school information systems write them: UTF-8 with or
//! without a byte order mark, commas, semicolons or tabs, quotes where needed. Columns
//! are found by name, whatever their order.

use affecto_domain::roster::{Place, Problems};
use csv::StringRecord;

/// One CSV file read whole: its header and its rows with their line numbers.
#[derive(Debug)]
pub struct Table {
    /// The file's name within an archive or folder.
    pub file: Option<String>,
    headers: Vec<String>,
    rows: Vec<Row>,
}

/// A row of a table, with the line it starts on (the header is line 1).
#[derive(Debug)]
pub struct Row {
    pub line: u64,
    record: StringRecord,
}

impl Row {
    /// The trimmed value of a column, empty when the column or the value is missing.
    pub fn get(&self, column: Option<usize>) -> &str {
        column
            .and_then(|c| self.record.get(c))
            .map(str::trim)
            .unwrap_or_default()
    }

    /// The value of a column, `None` when empty.
    pub fn non_empty(&self, column: Option<usize>) -> Option<&str> {
        Some(self.get(column)).filter(|v| !v.is_empty())
    }
}

impl Table {
    /// Reads a whole file. A file that is not UTF-8 or not CSV is refused with the line
    /// where reading stopped.
    pub fn parse(file: Option<&str>, bytes: &[u8]) -> Result<Table, Problems> {
        let text = decode(file, bytes)?;
        let delimiter = delimiter_of(text.lines().next().unwrap_or_default());
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut lines = LineCounter::new(text);
        let headers = reader
            .headers()
            .map_err(|e| csv_problem(file, lines.at(e.position())))?
            .iter()
            .map(normalize)
            .collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| csv_problem(file, lines.at(e.position())))?;
            if record.iter().all(|field| field.trim().is_empty()) {
                continue;
            }
            let line = lines.at(record.position());
            rows.push(Row { line, record });
        }
        Ok(Table {
            file: file.map(str::to_owned),
            headers,
            rows,
        })
    }

    /// The index of the first column named by one of `names` (compared lower-case,
    /// without accents, spaces or dashes).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|name| self.headers.iter().position(|h| *h == normalize(name)))
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Where a row is, for a problem about it.
    pub fn place(&self, row: &Row) -> Place<'_> {
        Place {
            file: self.file.as_deref(),
            line: row.line,
        }
    }
}

/// The text of a UTF-8 file, without its byte order mark.
// Known limitation: a Windows-1252 file (older Excel "CSV (séparateur: point-virgule)")
// is refused at its first accented character with a request to save it as UTF-8; it is
// not converted.
fn decode<'b>(file: Option<&str>, bytes: &'b [u8]) -> Result<&'b str, Problems> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        let mut problems = Problems::default();
        let place = Place {
            file,
            line: line as u64,
        };
        problems.add(
            Some(place),
            "this line is not UTF-8 text; save the file as \"CSV UTF-8\"",
        );
        problems
    })
}

/// The separator of a header line: whichever of semicolon, comma and tab it holds most.
fn delimiter_of(header: &str) -> u8 {
    [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| header.bytes().filter(|b| b == d).count())
        .filter(|d| header.as_bytes().contains(d))
        .unwrap_or(b',')
}

/// A header name as compared: lower-case, no accents, no spaces, dashes or underscores.
fn normalize(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .replace(['é', 'è', 'ê'], "e")
        .replace(['à', 'â'], "a")
        .replace(['ô'], "o")
        .replace([' ', '-', '_'], "")
}

/// Line numbers of byte offsets met in increasing order, counting `\n` as spreadsheets
/// do (csv's own line count is thrown off by CRLF line ends).
struct LineCounter<'t> {
    text: &'t [u8],
    offset: usize,
    line: u64,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    fn at(&mut self, position: Option<&csv::Position>) -> u64 {
        let mut target = position
            .map_or(0, |p| p.byte() as usize)
            .min(self.text.len());
        // A record's position may fall on the line end before it.
        while matches!(self.text.get(target), Some(b'\r' | b'\n')) {
            target += 1;
        }
        if target > self.offset {
            let newlines = self.text[self.offset..target]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.line += newlines as u64;
            self.offset = target;
        }
        self.line
    }
}

fn csv_problem(file: Option<&str>, line: u64) -> Problems {
    let mut problems = Problems::default();
    problems.add(
        Some(Place { file, line }),
        "this line cannot be read as CSV",
    );
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_semicolon_file_with_a_byte_order_mark_is_read_by_column_name() {
        let table = Table::parse(
            None,
            "\u{feff}Nom;Prénom\r\nMartin;Emma\r\n\r\n\"Dupont; Jr\";Léo\r\n".as_bytes(),
        )
        .unwrap();
        let (nom, prenom) = (table.column(&["nom"]), table.column(&["prenom"]));
        let values: Vec<(u64, &str, &str)> = table
            .rows()
            .iter()
            .map(|r| (r.line, r.get(nom), r.get(prenom)))
            .collect();
        assert_eq!(values, [(2, "Martin", "Emma"), (4, "Dupont; Jr", "Léo")]);
    }

    #[test]
    fn commas_and_tabs_are_recognised_too() {
        assert_eq!(delimiter_of("role,login,last_name"), b',');
        assert_eq!(delimiter_of("role\tlogin"), b'\t');
        assert_eq!(delimiter_of("login"), b',');
    }

    #[test]
    fn a_file_that_is_not_utf8_names_the_line() {
        let latin1 = b"nom;prenom\nMartin;Emma\nL\xe9a;Roux\n";
        let problems = Table::parse(Some("users.csv"), latin1).unwrap_err();
        assert_eq!(problems.listed()[0].line, Some(3));
        assert_eq!(problems.listed()[0].file.as_deref(), Some("users.csv"));
    }

    #[test]
    fn header_names_are_compared_loosely() {
        assert_eq!(normalize(" Last-Name "), "lastname");
        assert_eq!(normalize("Matières"), "matieres");
        assert_eq!(normalize("sourcedId"), "sourcedid");
    }
}
