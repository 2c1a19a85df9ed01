//! `mercato kb check DIR`: validates a KB directory and lists every problem with its file
//! and line.

use crate::{tsv, KbError, KB_FILES};
use std::collections::HashMap;
use std::path::Path;

struct FileRules {
    name: &'static str,
    required: &'static [&'static str],
    key: &'static str,
    alias_columns: &'static [&'static str],
}

const RULES: [FileRules; 5] = [
    FileRules {
        name: "clubs.tsv",
        required: &["canonical_name", "country", "league", "aliases", "ambiguous_aliases"],
        key: "canonical_name",
        alias_columns: &["aliases"],
    },
    FileRules {
        name: "national_teams.tsv",
        required: &["canonical_name", "aliases"],
        key: "canonical_name",
        alias_columns: &["aliases"],
    },
    FileRules { name: "players.tsv", required: &["name", "birth_date"], key: "name", alias_columns: &[] },
    FileRules {
        name: "sources.tsv",
        required: &["name", "kind", "aliases", "tier"],
        key: "name",
        alias_columns: &["aliases"],
    },
    FileRules { name: "coaches.tsv", required: &["name", "birth_date"], key: "name", alias_columns: &[] },
];

const SOURCE_KINDS: [&str; 6] = ["journalist", "outlet", "agency", "aggregator", "social", "club_official"];

/// Summary of a checked directory.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Rows read per file.
    pub rows: Vec<(String, usize)>,
    pub problems: Vec<KbError>,
}

/// Checks every KB file present in `dir`.
pub fn check_dir(dir: &Path) -> Result<CheckReport, KbError> {
    if !dir.is_dir() {
        return Err(KbError::Io {
            path: dir.display().to_string(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
        });
    }
    let mut report = CheckReport::default();
    for file in KB_FILES {
        let path = dir.join(file);
        if !path.exists() {
            continue;
        }
        let source = std::fs::read_to_string(&path)
            .map_err(|source| KbError::Io { path: path.display().to_string(), source })?;
        let (rows, problems) = check_source(&path.display().to_string(), file, &source);
        report.rows.push((file.to_string(), rows));
        report.problems.extend(problems);
    }
    if report.rows.is_empty() {
        return Err(KbError::NotKb { path: dir.display().to_string() });
    }
    Ok(report)
}

/// Checks the contents of one KB file (`file` is its base name, `label` how to name it).
pub fn check_source(label: &str, file: &str, source: &str) -> (usize, Vec<KbError>) {
    let Some(rules) = RULES.iter().find(|r| r.name == file) else {
        return (0, Vec::new());
    };
    let mut header = Vec::new();
    let (rows, mut problems) = tsv::parse(label, source, rules.required, &mut header);
    let bad = |line: usize, message: String| KbError::Malformed { file: label.to_string(), line, message };
    let mut keys: HashMap<String, usize> = HashMap::new();
    let mut aliases: HashMap<String, (usize, String)> = HashMap::new();
    for row in &rows {
        let key = row.get(rules.key);
        if key.is_empty() {
            problems.push(bad(row.line, format!("empty {}", rules.key)));
            continue;
        }
        if file != "players.tsv" {
            if let Some(first) = keys.insert(mercato_text::fold::fold_str(key), row.line) {
                problems.push(bad(row.line, format!("{key:?} repeats the row on line {first}")));
            }
        }
        for column in ["birth_date", "founded"] {
            let value = row.get(column);
            if column == "birth_date"
                && !value.is_empty()
                && chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_err()
            {
                problems.push(bad(row.line, format!("birth_date {value:?} is not YYYY-MM-DD")));
            }
            if column == "founded" && !value.is_empty() && value.parse::<u16>().is_err() {
                problems.push(bad(row.line, format!("founded {value:?} is not a year")));
            }
        }
        if file == "sources.tsv" {
            let tier = row.get("tier");
            if !tier.is_empty() && !matches!(tier.parse::<u8>(), Ok(1..=5)) {
                problems.push(bad(row.line, format!("tier {tier:?} is not 1 to 5")));
            }
            let kind = row.get("kind");
            if !SOURCE_KINDS.contains(&kind) {
                problems.push(bad(row.line, format!("kind {kind:?} is not one of {}", SOURCE_KINDS.join(", "))));
            }
        }
        for column in rules.alias_columns {
            for alias in row.list(column) {
                let folded = mercato_text::fold::fold_str(&alias);
                match aliases.get(&folded) {
                    Some((line, owner)) if owner != key => problems.push(bad(
                        row.line,
                        format!("alias {alias:?} of {key:?} is also an alias of {owner:?} (line {line}); move it to ambiguous_aliases"),
                    )),
                    _ => {
                        aliases.insert(folded, (row.line, key.to_string()));
                    }
                }
            }
        }
    }
    (rows.len(), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(file: &str, source: &str) -> Vec<String> {
        check_source(file, file, source).1.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn starter_files_are_clean() {
        for (file, source) in crate::STARTER {
            assert_eq!(problems(file, source), Vec::<String>::new(), "{file}");
        }
    }

    #[test]
    fn reports_malformed_rows_with_lines() {
        let got = problems(
            "sources.tsv",
            "name\tkind\taliases\ttier\nDaily Planet\toutlet\tPlanet\t7\nBugle\tblog\t\t2\nShort\toutlet\n",
        );
        assert_eq!(
            got,
            vec![
                "sources.tsv:4: expected 4 tab-separated fields, found 2",
                "sources.tsv:2: tier \"7\" is not 1 to 5",
                "sources.tsv:3: kind \"blog\" is not one of journalist, outlet, agency, aggregator, social, club_official",
            ]
        );
    }

    #[test]
    fn reports_shared_alias_and_bad_date() {
        let clubs = "canonical_name\tcountry\tleague\taliases\tambiguous_aliases\nA FC\tX\tL\tthe Reds\t\nB FC\tX\tL\tthe Reds\t\n";
        assert_eq!(problems("clubs.tsv", clubs).len(), 1);
        let players = "name\tbirth_date\nJo Bloggs\t1990-13-01\n";
        assert_eq!(
            problems("players.tsv", players),
            vec!["players.tsv:2: birth_date \"1990-13-01\" is not YYYY-MM-DD"]
        );
        assert_eq!(problems("coaches.tsv", "nom\tbirth_date\n").len(), 1);
    }
}
