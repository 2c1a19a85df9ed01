//! Completed moves of KB players, from the KB's optional `transfers.tsv` (completed
//! transfers by window, 1992 to January 2023; see the shared KB's README, section 6).
//!
//! A row belongs to a KB player when its player name folds to his name and its `age`
//! fits his birth date (the age at the window within a year of `year - birth year`):
//! homonyms are common, so rows without an age and players without a birth date are left
//! out. Clubs are kept when they name a KB club (canonical name, case
//! and accents ignored).
//!
//! The file is read by [`crate::Kb::load`]; the first call of [`crate::Kb::moves`] indexes
//! its rows by folded player name (each distinct name folded once), and each call parses
//! only that player's rows: only undated articles need moves, and only a few players'.

use crate::Player;
use rustc_hash::FxHashMap;

/// The transfer window of a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Window {
    /// 1 June to 1 September of the year.
    Summer,
    /// January of the year.
    Winter,
}

/// One completed move of a KB player.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    /// The club left ([`crate::Kb::clubs`] index), when it is a KB club.
    pub from: Option<usize>,
    /// The club joined, when it is a KB club.
    pub to: Option<usize>,
    pub window: Window,
    /// The calendar year of the window.
    pub year: i32,
    /// The end of a loan (`fee_text` "End of loan..."): the player went back.
    pub loan_return: bool,
    /// A loan (`loan` true, or `fee_text` "Loan fee..." / "loan transfer"): the player
    /// still belongs to the club he left.
    pub loan: bool,
}

impl Move {
    /// The first and last day of the move's window: summer 1 June to 1 September, winter
    /// January.
    pub fn days(&self) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(self.year, m, d);
        Some(match self.window {
            Window::Summer => (day(6, 1)?, day(9, 1)?),
            Window::Winter => (day(1, 1)?, day(1, 31)?),
        })
    }
}

/// The columns a `transfers.tsv` needs.
#[derive(Debug, Clone, Copy)]
struct Columns {
    player: usize,
    age: usize,
    from: usize,
    to: usize,
    fee: usize,
    window: usize,
    year: usize,
    /// The optional `loan` column (true/false).
    loan: Option<usize>,
}

impl Columns {
    fn of(header: &str) -> Option<Columns> {
        let col = |name: &str| header.split('\t').position(|h| h.trim() == name);
        Some(Columns {
            player: col("player")?,
            age: col("age")?,
            from: col("from_club")?,
            to: col("to_club")?,
            fee: col("fee_text")?,
            window: col("window")?,
            year: col("year")?,
            loan: col("loan"),
        })
    }

    fn width(&self) -> usize {
        [self.player, self.age, self.from, self.to, self.fee, self.window, self.year].into_iter().max().unwrap_or(0) + 1
    }
}

/// The offsets of the tabs and line feeds of `bytes` from `from` on, in order, found eight
/// bytes at a time (a memchr call per separator costs more than the bytes between them).
fn separators(bytes: &[u8], from: usize) -> impl Iterator<Item = usize> + '_ {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // the next chunk's start; the hits of the chunk at `base` not yet given
    let (mut next, mut base, mut hits) = (from, from, 0u64);
    std::iter::from_fn(move || loop {
        if hits != 0 {
            let i = (hits.trailing_zeros() / 8) as usize;
            hits &= hits - 1;
            return Some(base + i);
        }
        base = next;
        if let Some(chunk) = bytes.get(next..next + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
            let x = u64::from_le_bytes(chunk);
            // tab and line feed are adjacent (0x09, 0x0a); bytes past ASCII are neither
            hits = mercato_text::fold::ascii_range_mask(x, b'\t', b'\n') & !x & HIGH;
            next += 8;
        } else {
            // the last few bytes one at a time
            let byte = *bytes.get(next)?;
            hits = if matches!(byte, b'\t' | b'\n') { 0x80 } else { 0 };
            next += 1;
        }
    })
}

/// The rows of the files by folded player name: (file, byte offset of the row).
#[derive(Debug, Default)]
pub(crate) struct Index {
    columns: Vec<Option<Columns>>,
    /// The last day of the latest window recorded.
    pub(crate) end: Option<chrono::NaiveDate>,
    rows: FxHashMap<String, Vec<(u32, u32)>>,
}

impl Index {
    pub(crate) fn build(texts: &[String]) -> Index {
        let mut index = Index::default();
        let mut latest: Option<(i32, bool)> = None;
        for (file, text) in texts.iter().enumerate() {
            let header = text.lines().next().unwrap_or("");
            let columns = Columns::of(header);
            index.columns.push(columns);
            let Some(columns) = columns else { continue };
            let mut by_raw: FxHashMap<&str, Vec<(u32, u32)>> = FxHashMap::default();
            let width = columns.width();
            // Where each of a line's first `width` fields starts and ends (as
            // `line.split('\t').take(width)` gives them): the row counts when the line has
            // that many. One pass finds every tab and line end of the file.
            let mut fields: Vec<(usize, usize)> = vec![(0, 0); width];
            let body = (header.len() + 1).min(text.len());
            let bytes = text.as_bytes();
            let separators = separators(bytes, body);
            let (mut line_start, mut field, mut field_start) = (body, 0, body);
            for at in separators.chain(std::iter::once(text.len())) {
                if field < width {
                    fields[field] = (field_start, at);
                    field += 1;
                }
                field_start = at + 1;
                if at < text.len() && bytes[at] == b'\t' {
                    continue;
                }
                if field == width {
                    let text_of = |k: usize| text.get(fields[k].0..fields[k].1).unwrap_or("");
                    by_raw.entry(text_of(columns.player)).or_default().push((file as u32, line_start as u32));
                    // the latest window recorded (winter before summer in a year)
                    if let Ok(year) = text_of(columns.year).trim().parse::<i32>() {
                        let window = (year, text_of(columns.window).trim() == "summer");
                        latest = latest.max(Some(window));
                    }
                }
                (line_start, field) = (at + 1, 0);
            }
            for (raw, offsets) in by_raw {
                index.rows.entry(mercato_text::fold::fold_str(raw.trim())).or_default().extend(offsets);
            }
        }
        index.end = latest.and_then(|(year, summer)| {
            let window = Move {
                from: None,
                to: None,
                window: if summer { Window::Summer } else { Window::Winter },
                year,
                loan_return: false,
                loan: false,
            };
            window.days().map(|(_, last)| last)
        });
        index
    }

    /// The moves of `players[player]`, in file order.
    pub(crate) fn moves(
        &self,
        texts: &[String],
        players: &[Player],
        player: usize,
        club_names: &FxHashMap<String, usize>,
    ) -> Vec<Move> {
        let Some(p) = players.get(player) else { return Vec::new() };
        let folded = mercato_text::fold::fold_str(p.name.trim());
        let Some(rows) = self.rows.get(&folded) else { return Vec::new() };
        // a row counts only when its age fits the birth date (homonyms are common)
        let Some(born) = p.birth_date else { return Vec::new() };
        let club = |s: &str| club_names.get(&mercato_text::fold::fold_str(s.trim())).copied();
        let mut out = Vec::new();
        for &(file, offset) in rows {
            let (Some(text), Some(Some(columns))) = (texts.get(file as usize), self.columns.get(file as usize)) else {
                continue;
            };
            let rest = &text[offset as usize..];
            let line = rest.split('\n').next().unwrap_or("").trim_end_matches('\r');
            let fields: Vec<&str> = line.split('\t').take(columns.width()).collect();
            if fields.len() < columns.width() {
                continue;
            }
            let Ok(year) = fields[columns.year].trim().parse::<i32>() else { continue };
            let window = match fields[columns.window].trim() {
                "summer" => Window::Summer,
                "winter" => Window::Winter,
                _ => continue,
            };
            let age = fields[columns.age].trim().parse::<i32>().ok();
            if age.is_some_and(|age| (-1..=1).contains(&(year - chrono::Datelike::year(&born) - age))) {
                out.push(Move {
                    from: club(fields[columns.from]),
                    to: club(fields[columns.to]),
                    window,
                    year,
                    loan_return: fields[columns.fee].starts_with("End of loan"),
                    loan: columns.loan.and_then(|c| fields.get(c)).is_some_and(|l| l.trim() == "true")
                        || fields[columns.fee].starts_with("Loan fee")
                        || fields[columns.fee].contains("loan transfer"),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Club;
    use chrono::NaiveDate;

    fn player(name: &str, born: &str) -> Player {
        Player { name: name.into(), birth_date: NaiveDate::parse_from_str(born, "%Y-%m-%d").ok(), ..Player::default() }
    }

    #[test]
    fn rows_go_to_the_player_whose_age_fits() {
        let players = [
            player("Jan Novak", "1990-05-01"),
            player("Jan Novak", "2001-02-03"),
            player("Solo Man", "1995-01-01"),
            player("Nobody Here", "1995-01-01"),
        ];
        let clubs = [
            Club { name: "Alpha FC".into(), ..Club::default() },
            Club { name: "Beta United".into(), ..Club::default() },
        ];
        let names: FxHashMap<String, usize> =
            clubs.iter().enumerate().map(|(i, c)| (mercato_text::fold::fold_str(&c.name), i)).collect();
        let text = "player\tage\tposition\tfrom_club\tto_club\tfee_text\tfee_eur\tloan\twindow\tseason\tyear\n\
            Jan Novak\t25\tx\tAlpha FC\tBeta United\t€1.00m\t1000000\tfalse\tsummer\t2015/2016\t2015\n\
            Jan Novák\t19\tx\tBeta United\tSomewhere Else\tloan transfer\t\ttrue\twinter\t2020/2021\t2021\n\
            Jan Novak\t\tx\tAlpha FC\tBeta United\t?\t\tfalse\tsummer\t2016/2017\t2016\n\
            Jan Novak\t40\tx\tAlpha FC\tBeta United\t?\t\tfalse\tsummer\t2017/2018\t2017\n\
            SOLO MAN\t24\tx\tbeta united\tAlpha FC\tEnd of loanJun 30, 2019\t\tfalse\tsummer\t2019/2020\t2019\n\
            Nobody\t20\tx\tAlpha FC\tBeta United\t?\t\tfalse\tsummer\t2019/2020\t2019"
            .to_string();
        let texts = [text];
        let index = Index::build(&texts);
        let moves = |p| index.moves(&texts, &players, p, &names);
        assert_eq!(
            moves(0),
            vec![Move {
                from: Some(0),
                to: Some(1),
                window: Window::Summer,
                year: 2015,
                loan_return: false,
                loan: false
            }]
        );
        assert_eq!(
            moves(1),
            vec![Move { from: Some(1), to: None, window: Window::Winter, year: 2021, loan_return: false, loan: true }]
        );
        assert_eq!(
            moves(2),
            vec![Move {
                from: Some(1),
                to: Some(0),
                window: Window::Summer,
                year: 2019,
                loan_return: true,
                loan: false
            }]
        );
        assert_eq!(moves(3), vec![]);
        assert_eq!(index.end, NaiveDate::from_ymd_opt(2021, 1, 31));
    }

    /// A name's rows: (file, byte offset of the row).
    type Rows = Vec<(u32, u32)>;

    /// The rows by folded name (sorted) and the latest window (year, summer).
    type Simple = (Vec<(String, Rows)>, Option<(i32, bool)>);

    /// The index's rows and latest window as the simple form finds them: each line split
    /// into its first `width` fields with `str::split`.
    fn build_simply(texts: &[String]) -> Simple {
        let mut rows: FxHashMap<String, Vec<(u32, u32)>> = FxHashMap::default();
        let mut latest = None;
        for (file, text) in texts.iter().enumerate() {
            let header = text.lines().next().unwrap_or("");
            let Some(columns) = Columns::of(header) else { continue };
            let body = (header.len() + 1).min(text.len());
            let mut by_raw: Vec<(&str, (u32, u32))> = Vec::new();
            let mut at = body;
            for line in text[body..].split('\n') {
                let fields: Vec<&str> = line.split('\t').take(columns.width()).collect();
                if fields.len() == columns.width() {
                    by_raw.push((fields[columns.player], (file as u32, at as u32)));
                    if let Ok(year) = fields[columns.year].trim().parse::<i32>() {
                        latest = latest.max(Some((year, fields[columns.window].trim() == "summer")));
                    }
                }
                at += line.len() + 1;
            }
            for (raw, offset) in by_raw {
                rows.entry(mercato_text::fold::fold_str(raw.trim())).or_default().push(offset);
            }
        }
        let mut rows: Vec<_> = rows.into_iter().collect();
        rows.sort();
        (rows, latest)
    }

    #[test]
    fn separators_are_the_tabs_and_line_feeds() {
        let texts = ["", "\t", "\n", "a\tb\nc", "0123456\t", "01234567\t\n\t\tx", "é\t\u{89}\u{8a}\u{109}\u{10a}\n\t"];
        let long: String = (0..300u32).map(|i| char::from_u32(i % 140 + 1).unwrap_or(' ')).collect();
        for text in texts.iter().copied().chain([long.as_str()]) {
            for from in 0..=text.len() {
                let simple: Vec<usize> = text
                    .bytes()
                    .enumerate()
                    .skip(from)
                    .filter(|(_, b)| matches!(b, b'\t' | b'\n'))
                    .map(|(i, _)| i)
                    .collect();
                assert_eq!(separators(text.as_bytes(), from).collect::<Vec<_>>(), simple, "{text:?} {from}");
            }
        }
    }

    #[test]
    fn index_is_the_simple_form() {
        let header = "player\tage\tposition\tfrom_club\tto_club\tfee_text\tfee_eur\tloan\twindow\tseason\tyear";
        let row = "Jan Novak\t25\tx\tAlpha FC\tBeta United\t?\t1\tfalse\tsummer\t2015/2016\t2015";
        let texts = [
            String::new(),
            header.to_string(),
            format!("{header}\n"),
            format!("{header}\n{row}"),
            format!("{header}\n{row}\n"),
            format!("{header}\n\n{row}\n\n"),
            format!("{header}\r\n{row}\r\n{row}\tmore\textra\r\nJan Novák\t1\t2\n"),
            format!("{header}\n{}\n{row}\t\n\t\t\t\t\t\t\t\t\t\t2020\n", row.replace("summer", " winter ")),
            format!("{header}\tsource\n{row}\tfile.csv\nSolo\t1\t\t\t\t\t\t\twinter\t\t2021"),
            "no\theader\nJan\t1".to_string(),
        ];
        for (i, text) in texts.iter().enumerate() {
            let files = [text.clone(), texts[(i + 3) % texts.len()].clone()];
            let index = Index::build(&files);
            let mut rows: Vec<_> = index.rows.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            rows.sort();
            let (simple_rows, latest) = build_simply(&files);
            assert_eq!(rows, simple_rows, "{text:?}");
            let end = latest.and_then(|(year, summer)| {
                let window = if summer { Window::Summer } else { Window::Winter };
                Move { from: None, to: None, window, year, loan_return: false, loan: false }.days().map(|d| d.1)
            });
            assert_eq!(index.end, end, "{text:?}");
        }
    }
}
