//! CSV exports as French spreadsheets open them: semicolons, a byte order mark so
//! that accents survive, CRLF line ends, quotes where needed.

use actix_web::http::header::{self, HeaderMap};
use actix_web::HttpResponse;

/// Whether the client asked for CSV rather than JSON.
pub fn wants_csv(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/csv"))
}

/// A whole CSV document: the header line, then one line per row.
pub fn document<I>(headers: &[&str], rows: I) -> String
where
    I: IntoIterator<Item = Vec<String>>,
{
    let mut out = String::from("\u{feff}");
    push_line(&mut out, headers.iter().copied());
    for row in rows {
        push_line(&mut out, row.iter().map(String::as_str));
    }
    out
}

fn push_line<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    let line: Vec<String> = fields.map(quote).collect();
    out.push_str(&line.join(";"));
    out.push_str("\r\n");
}

/// Quotes a field holding a separator, a quote or a line break. A field starting with
/// a formula character is prefixed with a quote mark, so a spreadsheet shows it as
/// text instead of running it.
fn quote(field: &str) -> String {
    let field = if field.starts_with(['=', '+', '-', '@']) {
        format!("'{field}")
    } else {
        field.to_owned()
    };
    if field.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

/// An attachment the browser saves as `filename`.
pub fn response(filename: &str, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_where_needed() {
        let doc = document(
            &["Nom", "Classe"],
            [
                vec!["Dupont; fils".into(), "6e A".into()],
                vec!["Le \"Grand\"".into(), "=1+1".into()],
            ],
        );
        assert_eq!(
            doc,
            "\u{feff}Nom;Classe\r\n\"Dupont; fils\";6e A\r\n\"Le \"\"Grand\"\"\";'=1+1\r\n"
        );
    }
}
