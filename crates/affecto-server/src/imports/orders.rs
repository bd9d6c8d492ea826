//! Orders: the checks every order passes, whether it comes as JSON from a distributor
//! or as a line of the operator's CSV file (`affecto orders import FILE`), and that
//! file's reader.

use affecto_api_types::{OrderRequest, OrderedProduct};
use affecto_domain::roster::{split_subjects, Place, Problems};
use affecto_domain::{Level, Uai};
use chrono::NaiveDate;

use super::table::{Row, Table};

/// The most licences one order may hold per audience.
pub const MAX_SEATS: u32 = 100_000;
const MAX_ID_CHARS: usize = 100;

/// The header of the operator's order file.
pub const HEADER: &str = "order_id,uai,external_id,title,type,levels,subjects,students,teachers,valid_from,valid_until,transferable";

/// Refuses an order no school could have bought; the message says why.
pub fn check_order(order: &OrderRequest) -> Result<(), String> {
    let id = order.order_id.trim();
    if id.is_empty() || id.chars().count() > MAX_ID_CHARS || id != order.order_id {
        return Err(format!(
            "order_id must be 1 to {MAX_ID_CHARS} characters, without spaces around"
        ));
    }
    check_product(&order.product)?;
    if order.students > MAX_SEATS || order.teachers > MAX_SEATS {
        return Err(format!(
            "an order holds at most {MAX_SEATS} licences per audience"
        ));
    }
    if order.valid_from > order.valid_until {
        return Err("valid_from is after valid_until".into());
    }
    Ok(())
}

fn check_product(product: &OrderedProduct) -> Result<(), String> {
    let fields = [
        ("product.external_id", &product.external_id),
        ("product.title", &product.title),
        ("product.type", &product.kind),
    ];
    for (name, value) in fields {
        let trimmed = value.trim();
        if trimmed.is_empty() || trimmed.chars().count() > 200 || trimmed != value {
            return Err(format!(
                "{name} must be 1 to 200 characters, without spaces around"
            ));
        }
    }
    if product.subjects.iter().any(|s| s.trim().is_empty()) {
        return Err("product.subjects holds an empty subject".into());
    }
    Ok(())
}

/// One order of the operator's file, for the school it names.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderLine {
    pub line: u64,
    pub uai: Uai,
    pub order: OrderRequest,
}

/// Reads the operator's order file (see [`HEADER`]); every line is checked and the
/// file is refused whole, with each problem's line, if one is wrong.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<OrderLine>, Problems> {
    let table = Table::parse(None, bytes)?;
    let columns = Columns::find(&table)?;
    let mut problems = Problems::default();
    let mut lines = Vec::new();
    for row in table.rows() {
        match read_line(&columns, row) {
            Ok(line) => lines.push(line),
            Err(message) => problems.add(Some(table.place(row)), message),
        }
    }
    let mut seen = std::collections::HashMap::new();
    for line in &lines {
        if let Some(first) = seen.insert(line.order.order_id.clone(), line.line) {
            let message = format!("order {:?} is already on line {first}", line.order.order_id);
            problems.add(Some(Place::line(line.line)), message);
        }
    }
    if problems.is_empty() {
        Ok(lines)
    } else {
        Err(problems)
    }
}

struct Columns([Option<usize>; 12]);

impl Columns {
    fn find(table: &Table) -> Result<Self, Problems> {
        let names: Vec<&str> = HEADER.split(',').collect();
        let found: Vec<Option<usize>> = names.iter().map(|n| table.column(&[n])).collect();
        let required = [0, 1, 2, 3, 7, 8, 9, 10];
        let missing: Vec<&str> = required
            .iter()
            .filter(|i| found[**i].is_none())
            .map(|i| names[*i])
            .collect();
        if !missing.is_empty() {
            let mut problems = Problems::default();
            let message = format!("the header lacks {}; expected {HEADER}", missing.join(", "));
            problems.add(Some(Place::line(1)), message);
            return Err(problems);
        }
        Ok(Self(found.try_into().expect("12 columns")))
    }

    fn get<'r>(&self, row: &'r Row, index: usize) -> &'r str {
        row.get(self.0[index])
    }
}

fn read_line(columns: &Columns, row: &Row) -> Result<OrderLine, String> {
    let field = |i| columns.get(row, i);
    let uai = Uai::parse(field(1)).map_err(|e| e.to_string())?;
    let levels = split_subjects(field(5))
        .iter()
        .map(|l| l.parse::<Level>().map_err(|e| e.to_string()))
        .collect::<Result<Vec<Level>, String>>()?;
    let kind = Some(field(4))
        .filter(|k| !k.is_empty())
        .unwrap_or("Manuel numérique");
    let order = OrderRequest {
        order_id: field(0).to_owned(),
        product: OrderedProduct {
            external_id: field(2).to_owned(),
            title: field(3).to_owned(),
            kind: kind.to_owned(),
            levels,
            subjects: split_subjects(field(6)),
        },
        students: count("students", field(7))?,
        teachers: count("teachers", field(8))?,
        valid_from: date("valid_from", field(9))?,
        valid_until: date("valid_until", field(10))?,
        transferable: yes_no(field(11))?,
    };
    check_order(&order)?;
    Ok(OrderLine {
        line: row.line,
        uai,
        order,
    })
}

fn count(name: &str, raw: &str) -> Result<u32, String> {
    if raw.is_empty() {
        return Ok(0);
    }
    raw.parse()
        .map_err(|_| format!("{name} must be a whole number, not {raw:?}"))
}

/// `2026-09-01` or, as French spreadsheets write it, `01/09/2026`.
fn date(name: &str, raw: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .map_err(|_| format!("{name} must be a date such as 2026-09-01, not {raw:?}"))
}

fn yes_no(raw: &str) -> Result<bool, String> {
    match raw.to_lowercase().as_str() {
        "" | "true" | "oui" | "yes" | "1" => Ok(true),
        "false" | "non" | "no" | "0" => Ok(false),
        other => Err(format!("transferable must be true or false, not {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "order_id;uai;external_id;title;type;levels;subjects;students;teachers;valid_from;valid_until;transferable\n\
        CMD-1;0020002S;ark:/1/maths-5e;Maths 5e;Manuel numérique;5e;Mathématiques;120;4;01/09/2026;2027-08-31;oui\n";

    #[test]
    fn an_order_line_reads_french_dates_and_flags() {
        let lines = read_csv(FILE.as_bytes()).unwrap();
        assert_eq!(lines[0].line, 2);
        assert_eq!(lines[0].order.students, 120);
        assert_eq!(lines[0].order.product.levels, [Level::Cinquieme]);
        assert_eq!(
            lines[0].order.valid_from,
            NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()
        );
    }

    #[test]
    fn bad_lines_and_repeated_orders_are_reported() {
        let file = format!(
            "{FILE}CMD-2;0020002S;ark:/1/x;X;;CM2;;1;0;2026-09-01;2027-08-31;\n\
             CMD-3;0020002S;ark:/1/x;X;;;;1;0;2027-09-01;2026-08-31;\n\
             CMD-1;0020002S;ark:/1/maths-5e;Maths 5e;;5e;;1;0;2026-09-01;2027-08-31;\n"
        );
        let problems = read_csv(file.as_bytes()).unwrap_err();
        let lines: Vec<Option<u64>> = problems.listed().iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(3), Some(4), Some(5)]);
    }

    #[test]
    fn an_order_is_checked_whatever_its_source() {
        let mut order = read_csv(FILE.as_bytes()).unwrap().remove(0).order;
        assert!(check_order(&order).is_ok());
        order.order_id = " CMD-1".into();
        assert!(check_order(&order).is_err());
        order.order_id = "CMD-1".into();
        order.students = MAX_SEATS + 1;
        assert!(check_order(&order).is_err());
    }
}
