//! # mercato-kb: the knowledge base
//!
//! Clubs (with aliases and ambiguous nicknames), national teams, leagues, players (with
//! birth dates), sources (outlets and journalists with reliability tiers) and coaches,
//! read from a directory in the layout of the shared KB (`clubs.tsv`,
//! `national_teams.tsv`, `players.tsv`, `sources.tsv`, `coaches.tsv`; any may be absent)
//! and compiled once into a [`Gazetteer`] automaton. A directory's `transfers.tsv`
//! (completed transfers), when present, gives the players' [`Kb::moves`].
//!
//! Several directories can be layered: later layers add rows and replace rows with the
//! same canonical name. [`Kb::starter`] is the small KB shipped in the repository.
//!
//! **Architecture Invariant:** only [`Kb::load`] and [`check::check_dir`] do IO.
//!
//! ```
//! let kb = mercato_kb::Kb::starter();
//! let text = "Juventus want Sergio Ramos.";
//! let found = kb.gazetteer().find(text);
//! assert!(found.iter().any(|m| &text[m.span.start..m.span.end] == "Juventus"));
//! ```

pub mod check;
pub mod gazetteer;
pub mod moves;
mod tsv;

use chrono::NaiveDate;
pub use gazetteer::{Entity, Gazetteer, GazetteerMatch};
pub use moves::{Move, Window};
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

/// Errors from loading or checking a KB.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    #[error("{file}:{line}: {message}")]
    Malformed { file: String, line: usize, message: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: not a KB directory (no clubs.tsv, players.tsv, sources.tsv, national_teams.tsv or coaches.tsv)")]
    NotKb { path: String },
}

pub type Result<T> = std::result::Result<T, KbError>;

/// A club.
#[derive(Debug, Clone, Default)]
pub struct Club {
    pub name: String,
    pub country: String,
    pub league: String,
    /// Strings that mean this club and no other.
    pub aliases: Vec<String>,
    /// Strings that may mean this club but also others (resolved from context).
    pub ambiguous: Vec<String>,
}

/// A national team: recognised, never a link's club.
#[derive(Debug, Clone, Default)]
pub struct Nation {
    pub name: String,
    pub aliases: Vec<String>,
    pub ambiguous: Vec<String>,
}

/// A player known to the KB.
#[derive(Debug, Clone, Default)]
pub struct Player {
    pub name: String,
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
    pub nationality: String,
    pub position: String,
    pub current_club: String,
    /// When `current_club` was observed (`source_date`).
    pub source_date: Option<NaiveDate>,
    pub aliases: Vec<String>,
}

/// An outlet, journalist, agency or official channel.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub name: String,
    pub kind: String,
    pub tier: Option<u8>,
    pub aliases: Vec<String>,
    /// Web domains the source publishes on (`marca.com`).
    pub domains: Vec<String>,
    /// The country it reports from, as written in the KB (`Portugal`); may be empty.
    pub country: String,
}

/// A coach: a person who is never a link subject.
#[derive(Debug, Clone, Default)]
pub struct Coach {
    pub name: String,
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
    pub current_team: String,
}

/// The loaded knowledge base with its compiled gazetteer.
#[derive(Debug)]
pub struct Kb {
    pub clubs: Vec<Club>,
    pub nations: Vec<Nation>,
    pub leagues: Vec<String>,
    pub players: Vec<Player>,
    pub sources: Vec<Source>,
    pub coaches: Vec<Coach>,
    gazetteer: Gazetteer,
    /// Folded source names and aliases (without a leading "the ") with their source.
    source_names: Vec<(String, usize)>,
    /// The same names for exact lookups.
    source_exact: rustc_hash::FxHashMap<String, usize>,
    /// Lower-case web domain → source.
    domains: rustc_hash::FxHashMap<String, usize>,
    /// Folded canonical club name → club.
    club_names: rustc_hash::FxHashMap<String, usize>,
    /// Non-fatal problems met while loading (malformed rows are skipped).
    pub warnings: Vec<KbError>,
    /// The layers' `transfers.tsv` texts, parsed into [`Kb::moves`] when first asked.
    transfers: Transfers,
    /// Players by folded name, built on the first [`Kb::namesakes`] call.
    player_names: OnceLock<rustc_hash::FxHashMap<String, Vec<usize>>>,
}

/// The text of `transfers.tsv` files and their rows indexed by player once.
#[derive(Default)]
struct Transfers {
    texts: Vec<String>,
    index: OnceLock<moves::Index>,
    /// Each player's moves once parsed.
    parsed: std::sync::Mutex<rustc_hash::FxHashMap<usize, Vec<Move>>>,
}

impl std::fmt::Debug for Transfers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Transfers({} files)", self.texts.len())
    }
}

const STARTER: [(&str, &str); 5] = [
    ("clubs.tsv", include_str!("../../../kb/clubs.tsv")),
    ("national_teams.tsv", include_str!("../../../kb/national_teams.tsv")),
    ("players.tsv", include_str!("../../../kb/players.tsv")),
    ("sources.tsv", include_str!("../../../kb/sources.tsv")),
    ("coaches.tsv", include_str!("../../../kb/coaches.tsv")),
];

/// The file names a KB directory may hold.
pub const KB_FILES: [&str; 5] = ["clubs.tsv", "national_teams.tsv", "players.tsv", "sources.tsv", "coaches.tsv"];

#[derive(Default)]
struct Builder {
    clubs: Vec<Club>,
    nations: Vec<Nation>,
    players: Vec<Player>,
    sources: Vec<Source>,
    coaches: Vec<Coach>,
    warnings: Vec<KbError>,
    transfers: Vec<String>,
}

/// A row a later layer can merge into: names and aliases are kept from both, other fields
/// are taken from the later row where it has them.
trait Merge {
    fn merge(&mut self, later: Self);
}

fn union(into: &mut Vec<String>, more: Vec<String>) {
    for item in more {
        if !into.contains(&item) {
            into.push(item);
        }
    }
}

fn take_if_set(into: &mut String, later: String) {
    if !later.is_empty() {
        *into = later;
    }
}

impl Merge for Club {
    fn merge(&mut self, later: Club) {
        take_if_set(&mut self.country, later.country);
        take_if_set(&mut self.league, later.league);
        union(&mut self.aliases, later.aliases);
        union(&mut self.ambiguous, later.ambiguous);
    }
}

impl Merge for Nation {
    fn merge(&mut self, later: Nation) {
        union(&mut self.aliases, later.aliases);
        union(&mut self.ambiguous, later.ambiguous);
    }
}

impl Merge for Player {
    fn merge(&mut self, later: Player) {
        take_if_set(&mut self.full_name, later.full_name);
        self.birth_date = later.birth_date.or(self.birth_date);
        take_if_set(&mut self.nationality, later.nationality);
        take_if_set(&mut self.position, later.position);
        if !later.current_club.is_empty() {
            self.source_date = later.source_date;
        }
        take_if_set(&mut self.current_club, later.current_club);
        union(&mut self.aliases, later.aliases);
    }
}

impl Merge for Source {
    fn merge(&mut self, later: Source) {
        take_if_set(&mut self.kind, later.kind);
        take_if_set(&mut self.country, later.country);
        self.tier = later.tier.or(self.tier);
        union(&mut self.aliases, later.aliases);
        union(&mut self.domains, later.domains);
    }
}

impl Merge for Coach {
    fn merge(&mut self, later: Coach) {
        take_if_set(&mut self.full_name, later.full_name);
        self.birth_date = later.birth_date.or(self.birth_date);
        take_if_set(&mut self.current_team, later.current_team);
    }
}

/// Adds a row, or merges it into the row with the same key from an earlier layer.
fn upsert<K: std::hash::Hash + Eq, T: Merge>(items: &mut Vec<T>, index: &mut HashMap<K, usize>, key: K, item: T) {
    match index.get(&key) {
        Some(&i) => items[i].merge(item),
        None => {
            index.insert(key, items.len());
            items.push(item);
        }
    }
}

/// A date as `NaiveDate::parse_from_str(s, "%Y-%m-%d")` reads it: the plain ten-byte
/// form (nearly every row) and the empty field without chrono's format interpreter (a
/// thousand instructions a call), any other text through it.
fn date(s: &str) -> Option<NaiveDate> {
    if s.is_empty() {
        return None;
    }
    if let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = s.as_bytes() {
        let digits = |ds: &[u8]| -> Option<u32> {
            ds.iter().try_fold(0u32, |n, &d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
        };
        if let (Some(year), Some(month), Some(day)) = (digits(&[y0, y1, y2, y3]), digits(&[m0, m1]), digits(&[d0, d1]))
        {
            return NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

impl Builder {
    /// Adds one file's rows; `kind` is its base name (`clubs.tsv`), `file` how to name it.
    fn add_file(&mut self, kind: &str, file: &str, source: &str) {
        let mut header = Vec::new();
        match kind {
            "clubs.tsv" => {
                let (rows, errors) = tsv::parse(file, source, &["canonical_name"], &mut header);
                self.warnings.extend(errors);
                let mut index: HashMap<String, usize> =
                    self.clubs.iter().enumerate().map(|(i, c)| (c.name.clone(), i)).collect();
                for row in rows {
                    let club = Club {
                        name: row.get("canonical_name").to_string(),
                        country: row.get("country").to_string(),
                        league: row.get("league").to_string(),
                        aliases: row.list("aliases"),
                        ambiguous: row.list("ambiguous_aliases"),
                    };
                    if !club.name.is_empty() {
                        upsert(&mut self.clubs, &mut index, club.name.clone(), club);
                    }
                }
            }
            "national_teams.tsv" => {
                let (rows, errors) = tsv::parse(file, source, &["canonical_name"], &mut header);
                self.warnings.extend(errors);
                let mut index: HashMap<String, usize> =
                    self.nations.iter().enumerate().map(|(i, c)| (c.name.clone(), i)).collect();
                for row in rows {
                    let nation = Nation {
                        name: row.get("canonical_name").to_string(),
                        aliases: row.list("aliases"),
                        ambiguous: row.list("ambiguous_aliases"),
                    };
                    if !nation.name.is_empty() {
                        upsert(&mut self.nations, &mut index, nation.name.clone(), nation);
                    }
                }
            }
            "players.tsv" => {
                let (rows, errors) = tsv::parse(file, source, &["name"], &mut header);
                self.warnings.extend(errors);
                // Homonyms are distinct rows (told apart by birth date), so key on both.
                let mut index: HashMap<(String, Option<NaiveDate>), usize> =
                    self.players.iter().enumerate().map(|(i, p)| ((p.name.clone(), p.birth_date), i)).collect();
                for row in rows {
                    let player = Player {
                        name: row.get("name").to_string(),
                        full_name: row.get("full_name").to_string(),
                        birth_date: date(row.get("birth_date")),
                        nationality: row.get("nationality").to_string(),
                        position: row.get("position").to_string(),
                        current_club: row.get("current_club").to_string(),
                        source_date: date(row.get("source_date")),
                        aliases: row.list("aliases"),
                    };
                    if !player.name.is_empty() {
                        let key = (player.name.clone(), player.birth_date);
                        upsert(&mut self.players, &mut index, key, player);
                    }
                }
            }
            "sources.tsv" => {
                let (rows, errors) = tsv::parse(file, source, &["name"], &mut header);
                self.warnings.extend(errors);
                let mut index: HashMap<String, usize> =
                    self.sources.iter().enumerate().map(|(i, c)| (c.name.clone(), i)).collect();
                for row in rows {
                    let src = Source {
                        name: row.get("name").to_string(),
                        kind: row.get("kind").to_string(),
                        tier: row.get("tier").parse().ok(),
                        aliases: row.list("aliases"),
                        domains: row.list("domains"),
                        country: row.get("country").to_string(),
                    };
                    if !src.name.is_empty() {
                        upsert(&mut self.sources, &mut index, src.name.clone(), src);
                    }
                }
            }
            "coaches.tsv" => {
                let (rows, errors) = tsv::parse(file, source, &["name"], &mut header);
                self.warnings.extend(errors);
                let mut index: HashMap<String, usize> =
                    self.coaches.iter().enumerate().map(|(i, c)| (c.name.clone(), i)).collect();
                for row in rows {
                    let coach = Coach {
                        name: row.get("name").to_string(),
                        full_name: row.get("full_name").to_string(),
                        birth_date: date(row.get("birth_date")),
                        current_team: row.get("current_team").to_string(),
                    };
                    if !coach.name.is_empty() {
                        upsert(&mut self.coaches, &mut index, coach.name.clone(), coach);
                    }
                }
            }
            _ => {}
        }
    }

    fn finish(self) -> Kb {
        let mut leagues: Vec<String> = self.clubs.iter().map(|c| c.league.clone()).filter(|l| !l.is_empty()).collect();
        leagues.sort();
        leagues.dedup();
        let gazetteer =
            Gazetteer::build(&self.clubs, &self.nations, &leagues, &self.players, &self.sources, &self.coaches);
        let domains = self
            .sources
            .iter()
            .enumerate()
            .flat_map(|(i, s)| {
                s.domains.iter().map(move |d| (d.trim().trim_start_matches("www.").to_ascii_lowercase(), i))
            })
            .filter(|(d, _)| !d.is_empty())
            .collect();
        let source_names: Vec<(String, usize)> = self
            .sources
            .iter()
            .enumerate()
            .flat_map(|(i, s)| std::iter::once(&s.name).chain(s.aliases.iter()).map(move |n| (n, i)))
            .map(|(n, i)| {
                let folded = mercato_text::fold::fold_str(n);
                (folded.strip_prefix("the ").unwrap_or(&folded).to_string(), i)
            })
            .collect();
        let club_names =
            self.clubs.iter().enumerate().map(|(i, c)| (mercato_text::fold::fold_str(&c.name), i)).collect();
        Kb {
            club_names,
            clubs: self.clubs,
            nations: self.nations,
            leagues,
            players: self.players,
            sources: self.sources,
            coaches: self.coaches,
            gazetteer,
            source_exact: source_names.iter().rev().map(|(n, i)| (n.clone(), *i)).collect(),
            source_names,
            domains,
            warnings: self.warnings,
            transfers: Transfers { texts: self.transfers, ..Transfers::default() },
            player_names: OnceLock::new(),
        }
    }
}

impl Kb {
    /// The small starter KB shipped in the repository (`kb/`), compiled into the binary.
    pub fn starter() -> Kb {
        let mut builder = Builder::default();
        for (file, source) in STARTER {
            builder.add_file(file, file, source);
        }
        builder.finish()
    }

    /// Loads KB directories as [`Kb::load`] does, then lays the starter KB on top: its
    /// hand-written aliases and nicknames ("the White Castle") join the rows of the same
    /// names.
    pub fn load_with_starter<P: AsRef<Path>>(layers: &[P]) -> Result<Kb> {
        let mut builder = Builder::default();
        builder.add_dirs(layers)?;
        for (file, source) in STARTER {
            builder.add_file(file, file, source);
        }
        Ok(builder.finish())
    }

    /// Loads and layers KB directories, in order; a later layer adds rows, and merges
    /// into a row with the same canonical name (players: name and birth date): aliases
    /// are kept from both, other fields taken from the later layer where it has them.
    /// Malformed rows are skipped and listed in [`Kb::warnings`].
    pub fn load<P: AsRef<Path>>(layers: &[P]) -> Result<Kb> {
        let mut builder = Builder::default();
        builder.add_dirs(layers)?;
        Ok(builder.finish())
    }
}

impl Builder {
    fn add_dirs<P: AsRef<Path>>(&mut self, layers: &[P]) -> Result<()> {
        for dir in layers {
            let dir = dir.as_ref();
            let path = dir.display().to_string();
            if !dir.is_dir() {
                return Err(KbError::Io {
                    path,
                    source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
                });
            }
            let transfers = dir.join("transfers.tsv");
            if transfers.exists() {
                let text = std::fs::read_to_string(&transfers)
                    .map_err(|source| KbError::Io { path: transfers.display().to_string(), source })?;
                self.transfers.push(text);
            }
            let mut any = false;
            for file in KB_FILES {
                let full = dir.join(file);
                if !full.exists() {
                    continue;
                }
                any = true;
                let source = std::fs::read_to_string(&full)
                    .map_err(|source| KbError::Io { path: full.display().to_string(), source })?;
                self.add_file(file, &full.display().to_string(), &source);
            }
            if !any {
                return Err(KbError::NotKb { path });
            }
        }
        Ok(())
    }
}

impl Kb {
    /// The compiled name automaton.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The source that publishes at `url` (by its web domain), if the KB knows it.
    ///
    /// ```
    /// let kb = mercato_kb::Kb::starter();
    /// let publisher = kb.publisher("https://www.skysports.com/football/news/123");
    /// assert_eq!(publisher.map(|i| kb.sources[i].name.as_str()), Some("Sky Sports"));
    /// ```
    pub fn publisher(&self, url: &str) -> Option<usize> {
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let host = rest.split(['/', '?', '#', ':']).next()?.to_ascii_lowercase();
        // The host itself, then each parent domain ("sport.bbc.co.uk" → "bbc.co.uk").
        let mut domain = host.as_str();
        loop {
            if let Some(&source) = self.domains.get(domain) {
                return Some(source);
            }
            domain = domain.split_once('.')?.1;
        }
    }

    /// The reliability tier of a source named exactly (name or alias, case and accents
    /// ignored).
    ///
    /// ```
    /// let kb = mercato_kb::Kb::starter();
    /// assert_eq!(kb.source_tier("fabrizio romano"), Some(1));
    /// assert_eq!(kb.source_tier("Nobody Writes"), None);
    /// ```
    pub fn source_tier(&self, name: &str) -> Option<u8> {
        let folded = mercato_text::fold::fold_str(name.trim());
        let key = folded.strip_prefix("the ").unwrap_or(&folded);
        self.source_exact.get(key).and_then(|&i| self.sources[i].tier)
    }

    /// The completed moves of a player ([`Kb::players`] index) known from the layers'
    /// `transfers.tsv` files, in file order; empty without such a file. The first call
    /// indexes the files' rows by player name; each player's rows are parsed once.
    pub fn moves(&self, player: usize) -> Vec<Move> {
        if self.transfers.texts.is_empty() {
            return Vec::new();
        }
        let index = self.transfers.index.get_or_init(|| moves::Index::build(&self.transfers.texts));
        if let Some(known) = self.transfers.parsed.lock().ok().and_then(|c| c.get(&player).cloned()) {
            return known;
        }
        let moves = index.moves(&self.transfers.texts, &self.players, player, &self.club_names);
        if let Ok(mut parsed) = self.transfers.parsed.lock() {
            parsed.insert(player, moves.clone());
        }
        moves
    }

    /// The players ([`Kb::players`] indices, in file order) whose name folds to that of
    /// `player`, him included: homonyms ("Bruno Fernandes" born 1974, 1978 and 1994). The
    /// first call indexes every player's name.
    pub fn namesakes(&self, player: usize) -> &[usize] {
        let Some(p) = self.players.get(player) else { return &[] };
        let index = self.player_names.get_or_init(|| {
            let mut index: rustc_hash::FxHashMap<String, Vec<usize>> = rustc_hash::FxHashMap::default();
            for (i, p) in self.players.iter().enumerate() {
                index.entry(mercato_text::fold::fold_str(&p.name)).or_default().push(i);
            }
            index
        });
        index.get(&mercato_text::fold::fold_str(&p.name)).map_or(&[], Vec::as_slice)
    }

    /// The last day of the latest transfer window the layers' `transfers.tsv` files
    /// record (a move not among them came later, or between clubs they do not cover).
    pub fn moves_end(&self) -> Option<NaiveDate> {
        if self.transfers.texts.is_empty() {
            return None;
        }
        self.transfers.index.get_or_init(|| moves::Index::build(&self.transfers.texts)).end
    }

    /// A club ([`Kb::clubs`] index) by its canonical name (case and accents ignored).
    pub fn club_named(&self, name: &str) -> Option<usize> {
        self.club_names.get(&mercato_text::fold::fold_str(name)).copied()
    }

    /// The league of a club, by its canonical name (case and accents ignored).
    pub fn club_league(&self, name: &str) -> Option<&str> {
        let &i = self.club_names.get(&mercato_text::fold::fold_str(name))?;
        Some(self.clubs[i].league.as_str()).filter(|l| !l.is_empty())
    }

    /// Finds a source by a possibly misspelt name ("Diaro Gol" → Diario Gol): exact folded
    /// match on name or alias first, then the closest name by Jaro-Winkler similarity
    /// (≥ 0.93, names of 6 or more letters only).
    pub fn fuzzy_source(&self, name: &str) -> Option<usize> {
        let wanted = mercato_text::fold::fold_str(name.trim());
        let wanted = wanted.trim_start_matches("the ").trim();
        if wanted.is_empty() {
            return None;
        }
        if let Some(&i) = self.source_exact.get(wanted) {
            return Some(i);
        }
        let mut best: Option<(f64, usize)> = None;
        for (folded, i) in &self.source_names {
            // Jaro-Winkler at 0.93 all but requires the same first letter: test that first.
            if folded.len() >= 6
                && wanted.len() >= 6
                && folded.len().abs_diff(wanted.len()) <= 3
                && folded.as_bytes()[0] == wanted.as_bytes()[0]
            {
                let score = strsim::jaro_winkler(folded, wanted);
                if score >= 0.93 && best.is_none_or(|(b, _)| score > b) {
                    best = Some((score, *i));
                }
            }
        }
        best.map(|(_, i)| i)
    }
}

/// Finds the default KB directory: `$MERCATO_KB`, else `../shared/kb` beside the current
/// directory when it exists. `None` means "use the starter KB".
pub fn default_dir() -> Option<std::path::PathBuf> {
    if let Some(dir) = std::env::var_os("MERCATO_KB") {
        return Some(dir.into());
    }
    let shared = Path::new("../shared/kb");
    shared.is_dir().then(|| shared.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_reads_as_chrono_does() {
        let mut cases: Vec<String> = [
            "",
            "2024-02-29",
            "2023-02-29",
            "0000-01-01",
            "9999-12-31",
            "2024-00-10",
            "2024-13-01",
            "2024-01-00",
            "2024-01-32",
            "2024-1-05",
            "2024-01-5",
            "+2024-01-05",
            "2024-01-05 ",
            " 2024-01-05",
            "2024/01/05",
            "20a4-01-05",
            "2024-0a-05",
            "2024-01-0x",
            "12345-01-05",
            "1999-12-31x",
            "１９９９-12-31",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for year in [0, 1, 999, 1899, 1900, 1999, 2000, 2023, 2024, 2100, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    cases.push(format!("{year:04}-{month:02}-{day:02}"));
                }
            }
        }
        for s in &cases {
            assert_eq!(date(s), NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(), "{s:?}");
        }
    }

    #[test]
    fn starter_kb_loads_clean() {
        let kb = Kb::starter();
        assert!(kb.warnings.is_empty(), "{:?}", kb.warnings);
        assert!(kb.clubs.iter().any(|c| c.name == "Juventus"));
        assert!(kb.sources.iter().any(|s| s.name == "Fabrizio Romano"));
    }

    #[test]
    fn fuzzy_source_finds_misspellings() {
        let kb = Kb::starter();
        let found = kb.fuzzy_source("Diaro Gol").map(|i| kb.sources[i].name.as_str());
        assert_eq!(found, Some("Diario Gol"));
        assert_eq!(kb.fuzzy_source("Totally Unknown Herald"), None);
    }
}
