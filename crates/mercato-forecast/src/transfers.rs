//! Reading records of completed transfers, and the rule that turns them into moves.
//!
//! Two layouts, told apart by the header row (comma- or tab-separated; the delimiter is
//! the one the header uses):
//!
//! * **KB layout** (`../shared/kb/transfers.tsv`): columns `player`, `from_club`,
//!   `to_club`, `window` (`summer`/`winter`), `year` (calendar year of the window), and
//!   optionally `fee_text`, `fee_eur`, `loan` (`true`/`false`). Other columns are ignored.
//! * **Own records**: columns `player`, `from_club`, `to_club`, `date` (`YYYY-MM-DD` for
//!   the day the move was completed, or `YYYY-MM` for the month), and optionally `loan`
//!   (`true`/`false`/`1`/`0`/`yes`/`no`) and `fee_eur`.
//!
//! The resolution rule (what counts as a move that resolves a rumour):
//!
//! * A move is dated by its window: summer = 1 June to 1 September, winter = 1 January to
//!   1 February of `year`. It is **known** only once its window has closed, so a forecast
//!   made during a window never sees a move of that window. A dated record of one's own is
//!   known from its day (or the last day of its month).
//! * **Loans count** as moves (a rumoured loan that happened is a hit).
//! * **Loan returns** (`fee_text` beginning `End of loan`) are skipped: they end an earlier
//!   move rather than make one a rumour could have predicted.
//! * **Re-signings** (`from_club` equal to `to_club`) are skipped.
//! * Pseudo-clubs as destination (`Without Club`, `Retired`, `Unknown`, `Career break`)
//!   are skipped.
//! * How a move resolves a thread (a move to the rumoured club from 60 days before the
//!   thread's first claim to 18 months after its last completes it; a move elsewhere after
//!   the last claim supersedes it) is the threads stage's rule, the same for moves told
//!   by articles.

use chrono::{Datelike, NaiveDate};
use mercato_store::TransferRecord;
use mercato_threads::Move;

/// Destinations that are not clubs.
const PSEUDO_CLUBS: [&str; 4] = ["without club", "retired", "unknown", "career break"];

/// What can go wrong reading transfer records.
#[derive(Debug, thiserror::Error)]
pub enum TransfersError {
    #[error("{origin}: no header row")]
    Empty { origin: String },
    #[error("{origin}: the header lacks {missing} (expected player, from_club, to_club, and window + year, or date)")]
    Header { origin: String, missing: String },
    #[error("{origin}: {source}")]
    Csv {
        origin: String,
        #[source]
        source: csv::Error,
    },
}

/// What reading a file gave: the records, and what was left out and why.
#[derive(Debug, Default)]
pub struct Parsed {
    pub records: Vec<TransferRecord>,
    pub loan_returns: usize,
    pub re_signings: usize,
    pub pseudo_clubs: usize,
    /// `line N: why` for each row that could not be read (the rest goes on).
    pub bad_rows: Vec<String>,
}

/// Reads a transfers file's text; `origin` names it in messages and in the records.
pub fn parse(text: &str, origin: &str) -> Result<Parsed, TransfersError> {
    let header_line = text.lines().next().ok_or_else(|| TransfersError::Empty { origin: origin.into() })?;
    let delimiter = if header_line.contains('\t') { b'\t' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .quoting(delimiter == b',')
        .from_reader(text.as_bytes());
    let csv_err = |source| TransfersError::Csv { origin: origin.into(), source };
    let headers = reader.headers().map_err(csv_err)?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let need =
        |name: &str| col(name).ok_or_else(|| TransfersError::Header { origin: origin.into(), missing: name.into() });
    let (player, from, to) = (need("player")?, need("from_club")?, need("to_club")?);
    let when = match (col("window"), col("year"), col("date")) {
        (Some(w), Some(y), _) => When::Window(w, y),
        (_, _, Some(d)) => When::Date(d),
        _ => return Err(TransfersError::Header { origin: origin.into(), missing: "window and year, or date".into() }),
    };
    let (fee_text, fee_eur, loan) = (col("fee_text"), col("fee_eur"), col("loan"));
    let mut out = Parsed::default();
    for (k, row) in reader.records().enumerate() {
        let line = k + 2;
        let row = match row {
            Ok(row) => row,
            Err(err) => {
                out.bad_rows.push(format!("line {line}: {err}"));
                continue;
            }
        };
        let field = |i: usize| row.get(i).map(str::trim).unwrap_or("");
        let (name, from_club, to_club) = (field(player), field(from), field(to));
        if name.is_empty() || to_club.is_empty() {
            out.bad_rows.push(format!("line {line}: no player or no destination club"));
            continue;
        }
        if fee_text.is_some_and(|i| field(i).starts_with("End of loan")) {
            out.loan_returns += 1;
            continue;
        }
        if mercato_store::player_key(from_club) == mercato_store::player_key(to_club) {
            out.re_signings += 1;
            continue;
        }
        if PSEUDO_CLUBS.contains(&to_club.to_lowercase().as_str()) {
            out.pseudo_clubs += 1;
            continue;
        }
        let Some((start, end)) = when.window(&field) else {
            out.bad_rows.push(format!("line {line}: no usable window/year or date"));
            continue;
        };
        out.records.push(TransferRecord {
            player: name.to_string(),
            from_club: from_club.to_string(),
            to_club: to_club.to_string(),
            window_start: start.to_string(),
            window_end: end.to_string(),
            loan: loan.is_some_and(|i| matches!(field(i).to_lowercase().as_str(), "true" | "1" | "yes")),
            fee_eur: fee_eur.and_then(|i| field(i).parse().ok()),
            origin: origin.to_string(),
        });
    }
    Ok(out)
}

/// Where a row's time is.
enum When {
    Window(usize, usize),
    Date(usize),
}

impl When {
    fn window<'r>(&self, field: &dyn Fn(usize) -> &'r str) -> Option<(NaiveDate, NaiveDate)> {
        match *self {
            When::Window(w, y) => {
                let year: i32 = field(y).parse().ok()?;
                match field(w).to_lowercase().as_str() {
                    "summer" => Some((NaiveDate::from_ymd_opt(year, 6, 1)?, NaiveDate::from_ymd_opt(year, 9, 1)?)),
                    "winter" => Some((NaiveDate::from_ymd_opt(year, 1, 1)?, NaiveDate::from_ymd_opt(year, 2, 1)?)),
                    _ => None,
                }
            }
            When::Date(d) => {
                let s = field(d);
                if let Ok(day) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                    return Some((day, day));
                }
                let first = NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok()?;
                let next = if first.month() == 12 {
                    NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
                } else {
                    NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
                };
                Some((first, next.pred_opt()?))
            }
        }
    }
}

/// The moves the threads stage reads from transfer records (kind `record`, told when the
/// window closed).
pub fn moves(records: &[TransferRecord]) -> Vec<Move> {
    records
        .iter()
        .filter_map(|r| {
            let start = NaiveDate::parse_from_str(&r.window_start, "%Y-%m-%d").ok()?;
            let end = NaiveDate::parse_from_str(&r.window_end, "%Y-%m-%d").ok()?;
            Some(Move {
                player: r.player.clone(),
                club: r.to_club.clone(),
                when: Some([start, end]),
                article: format!("transfer record ({})", r.origin),
                told: end,
                kind: "record".to_string(),
                evidence: format!(
                    "{} -> {}{}, {} .. {}",
                    r.from_club,
                    r.to_club,
                    if r.loan { " (loan)" } else { "" },
                    r.window_start,
                    r.window_end
                ),
            })
        })
        .collect()
}

/// Keeps the moves of the named players (names match accent- and case-folded: "Kylian
/// Mbappé" is "Kylian Mbappe"). Spellings are left alone: the threads stage matches moves
/// on folded names, so no article's spelling, earlier or later, is needed.
pub fn align<'a>(moves: Vec<Move>, players: impl IntoIterator<Item = &'a str>) -> Vec<Move> {
    let players: std::collections::HashSet<String> = players.into_iter().map(mercato_store::player_key).collect();
    moves.into_iter().filter(|m| players.contains(&mercato_store::player_key(&m.player))).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const KB: &str = "player\tage\tfrom_club\tto_club\tfee_text\tfee_eur\tloan\twindow\tseason\tyear\n\
        Ann Vale\t24\tLazio\tRoma\t€12.00m\t12000000\tfalse\tsummer\t2021/2022\t2021\n\
        Ann Vale\t24\tRoma\tEmpoli\tloan transfer\t\ttrue\twinter\t2021/2022\t2022\n\
        Ann Vale\t25\tEmpoli\tRoma\tEnd of loanJun 30, 2022\t\ttrue\tsummer\t2022/2023\t2022\n\
        Bo Rind\t30\tGenoa\tRetired\t-\t\tfalse\tsummer\t2022/2023\t2022\n\
        Cy Dunn\t30\tGenoa\tGenoa\t-\t\tfalse\tsummer\t2022/2023\t2022\n\
        Di Eno\t30\tGenoa\tParma\t-\t\tfalse\tspring\t2022/2023\t2022\n";

    #[test]
    fn the_kb_layout_follows_the_resolution_rule() {
        let parsed = parse(KB, "kb").unwrap();
        assert_eq!(parsed.records.len(), 2, "{parsed:?}");
        assert_eq!(parsed.records[0].window_start, "2021-06-01");
        assert_eq!(parsed.records[0].window_end, "2021-09-01");
        assert_eq!(parsed.records[0].fee_eur, Some(12_000_000));
        assert!(parsed.records[1].loan);
        assert_eq!(parsed.records[1].window_end, "2022-02-01");
        assert_eq!((parsed.loan_returns, parsed.pseudo_clubs, parsed.re_signings), (1, 1, 1));
        assert_eq!(parsed.bad_rows.len(), 1);
        assert!(parsed.bad_rows[0].starts_with("line 7:"), "{:?}", parsed.bad_rows);
    }

    #[test]
    fn own_records_take_a_day_or_a_month() {
        let text = "player,from_club,to_club,date,loan\n\"Vale, Ann\",Lazio,Roma,2024-08-30,no\nBo Rind,Genoa,Parma,2024-02,yes\n";
        let parsed = parse(text, "mine.csv").unwrap();
        assert_eq!(parsed.records[0].player, "Vale, Ann");
        assert_eq!(
            (parsed.records[0].window_start.as_str(), parsed.records[0].window_end.as_str()),
            ("2024-08-30", "2024-08-30")
        );
        assert_eq!(parsed.records[1].window_end, "2024-02-29");
        assert!(parsed.records[1].loan);
        let moves = moves(&parsed.records);
        assert_eq!(moves[1].told.to_string(), "2024-02-29");
        let aligned = align(moves, ["bo rínd"]);
        assert_eq!(aligned.len(), 1);
        assert_eq!((aligned[0].player.as_str(), aligned[0].club.as_str()), ("Bo Rind", "Parma"));
    }

    #[test]
    fn a_header_without_time_is_refused() {
        let err = parse("player,from_club,to_club\nA,B,C\n", "x.csv").unwrap_err();
        assert!(err.to_string().contains("window and year, or date"), "{err}");
        assert!(parse("", "x.csv").is_err());
    }
}
