//! Tab-separated KB files: one header row, `|` between items of a multi-valued field.

use crate::KbError;

/// One data row with its 1-based line number.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub line: usize,
    fields: Vec<&'a str>,
    header: &'a [String],
}

impl<'a> Row<'a> {
    /// The field under `column`, trimmed; empty when the column is absent.
    pub fn get(&self, column: &str) -> &'a str {
        self.header.iter().position(|h| h == column).and_then(|i| self.fields.get(i)).map_or("", |f| f.trim())
    }

    /// A multi-valued field split on `|`, empty items dropped.
    pub fn list(&self, column: &str) -> Vec<String> {
        self.get(column).split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
    }
}

/// Parses `source` (the contents of `file`), checking that `required` columns exist and
/// that every row has as many fields as the header. Malformed rows are returned as
/// errors beside the good rows, so a checker can list them all and a loader can skip them.
pub fn parse<'a>(
    file: &str,
    source: &'a str,
    required: &[&str],
    header_out: &'a mut Vec<String>,
) -> (Vec<Row<'a>>, Vec<KbError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut lines = source.lines().enumerate().filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let Some((_, head)) = lines.next() else {
        errors.push(KbError::Malformed {
            file: file.to_string(),
            line: 1,
            message: "empty file (no header row)".into(),
        });
        return (rows, errors);
    };
    *header_out = head.trim_start_matches('\u{feff}').split('\t').map(|h| h.trim().to_string()).collect();
    for column in required {
        if !header_out.iter().any(|h| h == column) {
            errors.push(KbError::Malformed {
                file: file.to_string(),
                line: 1,
                message: format!("header lacks required column {column:?}"),
            });
        }
    }
    if !errors.is_empty() {
        return (rows, errors);
    }
    let header: &'a [String] = header_out.as_slice();
    for (idx, line) in lines {
        let fields: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        if fields.len() != header.len() {
            errors.push(KbError::Malformed {
                file: file.to_string(),
                line: idx + 1,
                message: format!("expected {} tab-separated fields, found {}", header.len(), fields.len()),
            });
            continue;
        }
        rows.push(Row { line: idx + 1, fields, header });
    }
    (rows, errors)
}
