//! Language knowledge as data: trigger phrases, hedges, attribution phrases, role nouns
//! and the words that are never names, read from `data/lexicon/<lang>/` and compiled into
//! one trie of words once.

use crate::model::Stage;
use mercato_text::Span;
use rustc_hash::FxHashSet as HashSet;

/// What a trigger phrase says about the club it governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerKind {
    To,
    From,
    Done,
    Move,
    Left,
    Spell,
    Stay,
    Denied,
    Current,
    /// A move towards the club: a destination, or a completed move told as history.
    Go,
    /// The club lets the player go; a club after "to" is his destination.
    Send,
    /// "beat(ing) X to" a signing: X is denied; otherwise a game.
    Rival,
    /// "talks with X": X is the destination, or the selling club when another club in
    /// the sentence is the buyer.
    Counterpart,
    /// An opponent in a game ("a win over X"): governs the club, makes no claim.
    Match,
}

impl TriggerKind {
    fn parse(s: &str) -> Option<TriggerKind> {
        Some(match s {
            "to" => TriggerKind::To,
            "from" => TriggerKind::From,
            "done" => TriggerKind::Done,
            "move" => TriggerKind::Move,
            "left" => TriggerKind::Left,
            "spell" => TriggerKind::Spell,
            "stay" => TriggerKind::Stay,
            "denied" => TriggerKind::Denied,
            "current" => TriggerKind::Current,
            "go" => TriggerKind::Go,
            "match" => TriggerKind::Match,
            "send" => TriggerKind::Send,
            "rival" => TriggerKind::Rival,
            "counterpart" => TriggerKind::Counterpart,
            _ => return None,
        })
    }
}

/// Where the governed club stands relative to the phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    After,
    Before,
    Any,
}

impl Side {
    fn parse(s: &str) -> Option<Side> {
        Some(match s {
            "after" => Side::After,
            "before" => Side::Before,
            "any" => Side::Any,
            _ => return None,
        })
    }
}

/// One trigger phrase.
#[derive(Debug, Clone)]
pub struct Trigger {
    pub phrase: String,
    pub kind: TriggerKind,
    pub stage: Option<Stage>,
    pub side: Side,
}

/// The class of a role noun.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleClass {
    Player,
    NonPlayer,
    /// A plural non-playing role ("journalists", "owners"): every name of the list it
    /// heads is a non-player ("The Athletic journalists A and B").
    NonPlayers,
    Demonym,
}

/// A phrase found in text.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub span: Span,
    /// Index into the table the automaton was built from.
    pub index: usize,
}

/// Every lexicon phrase found in one article, each table scanned once.
#[derive(Debug, Default)]
pub struct PhraseHits {
    pub triggers: Vec<Hit>,
    pub hedges: Vec<Hit>,
    pub history: Vec<Hit>,
    pub recent: Vec<Hit>,
    pub roles: Vec<Hit>,
    pub attributions: Vec<Hit>,
    pub completion: Vec<Hit>,
    pub bystanders: Vec<Hit>,
    /// Comparison cues: a move named after one is a standard of comparison (history).
    pub comparisons: Vec<Hit>,
}

/// Hits whose span lies inside `span` (hits are in text order).
pub fn within(hits: &[Hit], span: Span) -> &[Hit] {
    let from = hits.partition_point(|h| h.span.start < span.start);
    let to = hits.partition_point(|h| h.span.start < span.end);
    let slice = &hits[from..to.max(from)];
    let end = slice.iter().rposition(|h| h.span.end <= span.end).map_or(0, |i| i + 1);
    &slice[..end]
}

/// A malformed lexicon row.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{file}:{line}: {message}")]
pub struct LexiconError {
    pub file: &'static str,
    pub line: usize,
    pub message: String,
}

/// All phrase tables in one trie of words, so an article is scanned once: at every word
/// of the folded text the trie is walked over the words that follow (one non-word byte
/// apart), and each table keeps its own leftmost-longest hits, as a separate
/// leftmost-longest scan per table would.
///
/// Words are maximal runs of word bytes (ASCII letters and digits, and every byte of a
/// non-ASCII character); a phrase's words are its alphanumeric runs. This finds what an
/// overlapping Aho-Corasick scan for `" word word "` over the text with its non-word
/// bytes made spaces finds (the tests keep that automaton to compare), with one vocabulary
/// lookup per word instead of a state transition per byte.
#[derive(Debug, Default)]
struct Scanner {
    /// Phrase words of up to eight bytes, packed little-endian into an integer: word id.
    short: U64Map,
    /// Longer phrase words: word id.
    long: rustc_hash::FxHashMap<Box<[u8]>, u32>,
    /// A bit per length (up to 63) of the phrase words, per [`ends`] of their first and
    /// last byte, so that most text words are rejected without a lookup (no false
    /// negatives).
    word_bits: Vec<u64>,
    /// The trie node a phrase's first word leads to, by word id (0: none; ids start at 1).
    root: Vec<u32>,
    /// (node << 32 | word id) → child node.
    next: U64Map,
    /// Per node (node 0 is the root): the phrases ending there, as (table, index in that
    /// table), the first listed per table.
    ends: Vec<Vec<(u8, u32)>>,
}

const TABLES: usize = 9;

/// A phrase with its non-word bytes made spaces (as the scanned text is).
fn spaced(phrase: &str) -> String {
    phrase.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect()
}

/// A word of up to eight bytes as an integer (words hold no zero byte, so the padding
/// keeps lengths apart).
fn pack(word: &[u8]) -> Option<u64> {
    (word.len() <= 8).then(|| word.iter().rev().fold(0u64, |acc, &b| acc << 8 | u64::from(b)))
}

/// [`pack`] of `bytes[start..start + len]` (`len` from 1 to 8), by one load where eight
/// bytes are there to read.
fn pack_at(bytes: &[u8], start: usize, len: usize) -> u64 {
    match bytes.get(start..start + 8).and_then(|chunk| <[u8; 8]>::try_from(chunk).ok()) {
        Some(chunk) => {
            let x = u64::from_le_bytes(chunk);
            if len >= 8 {
                x
            } else {
                x & ((1u64 << (8 * len)) - 1)
            }
        }
        None => pack(bytes.get(start..start + len).unwrap_or_default()).unwrap_or(0),
    }
}

/// A map from non-zero integers to `u32` values: open addressing with linear probing,
/// Fibonacci hashing, a table at most half full (a lookup is a multiply, a load and a
/// compare or two, with no hashing of bytes).
#[derive(Debug, Clone)]
struct U64Map {
    /// Keys (0: empty slot) and their values.
    slots: Vec<(u64, u32)>,
    /// 64 minus the log2 of the table size.
    shift: u32,
    len: usize,
}

impl Default for U64Map {
    fn default() -> U64Map {
        U64Map { slots: vec![(0, 0); 16], shift: 60, len: 0 }
    }
}

impl U64Map {
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    fn get(&self, key: u64) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        loop {
            let (k, v) = self.slots[i];
            if k == key {
                return Some(v);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// The value of `key` (non-zero), `value` inserted first when it is new.
    fn get_or_insert(&mut self, key: u64, value: u32) -> u32 {
        if let Some(v) = self.get(key) {
            return v;
        }
        if 2 * (self.len + 1) > self.slots.len() {
            let size = 2 * self.slots.len();
            let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
            self.shift -= 1;
            self.len = 0;
            for (k, v) in old.into_iter().filter(|(k, _)| *k != 0) {
                self.get_or_insert(k, v);
            }
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        while self.slots[i].0 != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = (key, value);
        self.len += 1;
        value
    }
}

impl Scanner {
    fn new(phrases: [&[(String, usize)]; TABLES]) -> Scanner {
        let mut scanner =
            Scanner { word_bits: vec![0; 1024], root: vec![0], ends: vec![Vec::new()], ..Scanner::default() };
        for (table, list) in phrases.iter().enumerate() {
            for (phrase, index) in list.iter() {
                let spaced = spaced(phrase);
                let mut node = 0u32;
                let mut any = false;
                for word in spaced.split_whitespace() {
                    let id = scanner.word_id(word.as_bytes());
                    node = scanner.child(node, id);
                    any = true;
                }
                if !any {
                    continue;
                }
                let ends = &mut scanner.ends[node as usize];
                // a phrase listed twice in a table: the first one is reported
                if !ends.iter().any(|(t, _)| usize::from(*t) == table) {
                    ends.push((table as u8, *index as u32));
                }
            }
        }
        scanner
    }

    /// The id of a phrase word, added when new.
    fn word_id(&mut self, word: &[u8]) -> u32 {
        let fresh = self.root.len() as u32;
        let id = match pack(word) {
            Some(key) => self.short.get_or_insert(key, fresh),
            None => *self.long.entry(word.into()).or_insert(fresh),
        };
        if id == fresh {
            self.root.push(0);
            if let (Some(&first), Some(&last)) = (word.first(), word.last()) {
                self.word_bits[ends(first, last)] |= 1 << word.len().min(63);
            }
        }
        id
    }

    /// The child of `node` by word `id`, added when new.
    fn child(&mut self, node: u32, id: u32) -> u32 {
        let fresh = self.ends.len() as u32;
        let child = if node == 0 {
            let slot = &mut self.root[id as usize];
            if *slot == 0 {
                *slot = fresh;
            }
            *slot
        } else {
            self.next.get_or_insert(edge(node, id), fresh)
        };
        if child == fresh {
            self.ends.push(Vec::new());
        }
        child
    }

    /// The id of the text word `bytes[start..end]` (0 when no phrase has it).
    #[inline]
    fn lookup(&self, bytes: &[u8], start: usize, end: usize) -> u32 {
        let len = end.saturating_sub(start);
        let (Some(&first), Some(&last)) = (bytes.get(start), bytes.get(end.wrapping_sub(1))) else { return 0 };
        if self.word_bits[ends(first, last)] & (1 << len.min(63)) == 0 {
            return 0;
        }
        if len <= 8 {
            self.short.get(pack_at(bytes, start, len)).unwrap_or(0)
        } else {
            bytes.get(start..end).and_then(|word| self.long.get(word)).copied().unwrap_or(0)
        }
    }

    fn scan(&self, folded: &mercato_text::fold::Folded, original: &str, runs: &[(u32, u32)]) -> [Vec<Hit>; TABLES] {
        let mut hits: [Vec<Hit>; TABLES] = Default::default();
        if self.ends.len() <= 1 {
            return hits;
        }
        let bytes = folded.text.as_bytes();
        // the words: (start, end, id) in the folded text
        let words: Vec<(u32, u32, u32)> =
            runs.iter().map(|&(start, end)| (start, end, self.lookup(bytes, start as usize, end as usize))).collect();
        let mut last_end = [0u32; TABLES];
        let mut longest: [Option<(u32, u32)>; TABLES] = [None; TABLES];
        for (i, &(start, _, id)) in words.iter().enumerate() {
            let mut node = self.root[id as usize];
            if node == 0 {
                continue;
            }
            let mut found = false;
            let mut j = i;
            loop {
                let end = words[j].1;
                for &(table, index) in &self.ends[node as usize] {
                    longest[usize::from(table)] = Some((end, index));
                    found = true;
                }
                let Some(&(next_start, _, next_id)) = words.get(j + 1) else { break };
                if next_start != end + 1 || next_id == 0 {
                    break;
                }
                match self.next.get(edge(node, next_id)) {
                    Some(child) => node = child,
                    None => break,
                }
                j += 1;
            }
            if !found {
                continue;
            }
            for (table, slot) in longest.iter_mut().enumerate() {
                let Some((end, index)) = slot.take() else { continue };
                if start < last_end[table] {
                    continue;
                }
                last_end[table] = end;
                let span = Span::new(folded.start_of(start as usize), folded.end_of(end as usize, original));
                hits[table].push(Hit { span, index: index as usize });
            }
        }
        hits
    }
}

/// The index in [`Scanner::word_bits`] of a word's first and last byte: their low five
/// bits (an ASCII letter's whatever its case; other bytes may share an index: a false
/// positive at most).
fn ends(first: u8, last: u8) -> usize {
    usize::from(first & 0x1f) << 5 | usize::from(last & 0x1f)
}

/// The key of a trie edge.
fn edge(node: u32, id: u32) -> u64 {
    u64::from(node) << 32 | u64::from(id)
}

/// All language knowledge for one language.
#[derive(Debug)]
pub struct Lexicon {
    pub triggers: Vec<Trigger>,
    pub hedges: Vec<String>,
    pub attributions: Vec<(String, Side, bool)>,
    pub history: Vec<String>,
    pub roles: Vec<(String, RoleClass)>,
    pub not_names: HashSet<String>,
    /// Role phrases, lower case, for word lookups.
    pub role_words: HashSet<String>,
    /// Words that make a capitalised run a place or institution ("Lane", "Stadium").
    pub place_words: HashSet<String>,
    /// Every word used in a trigger, hedge or attribution phrase (lower case): such a
    /// word capitalised at the head of a run ("Claims Toni Freixa") is not a name.
    pub phrase_words: HashSet<String>,
    /// Words that, just before a completion cue, mean the move is not done yet ("set to
    /// complete", "once it is finalised").
    pub unfinished: HashSet<String>,
    /// Prospect words and the stage they give (`prospects.tsv`): right before a
    /// completing trigger, or before the "to" of its infinitive ("hope to secure the
    /// signing of X"), the move is not made yet.
    /// The flag says whether the word stands before "to" (else right before the verb).
    pub prospects: rustc_hash::FxHashMap<String, (Stage, bool)>,
    /// Completion cues that only announce ("announced", "confirmed"): they do not make a
    /// rumour with a stage of its own ("reached an agreement") a completed move.
    pub announcing: HashSet<String>,
    /// Trigger phrases that bring a player in (`arrivals.tsv`): in a round-up under club
    /// headings, their player joined the heading's club.
    pub arrivals: HashSet<String>,
    /// History cues that tell where the sentence's own move started (`origins.tsv`).
    pub origins: HashSet<String>,
    /// Words that open a fronted participial clause ("After ending their interest in
    /// X, Liverpool ..."): its verb is the act of the main clause's subject club.
    pub fronted: HashSet<String>,
    /// Words that may open a sentence before its subject club ("But", "Meanwhile").
    pub openers: HashSet<String>,
    /// Adjectives in a player's description ("young", "veteran", "former").
    pub descriptors: HashSet<String>,
    /// Verbs of saying after which "that" opens a reported clause ("told ESPN that").
    pub reporting: HashSet<String>,
    /// Words that open a condition ("if", "unless", "should").
    pub conditionals: HashSet<String>,
    /// Hedges that tell a claim is second-hand, not in doubt ("reportedly", "said to be").
    pub hearsay: HashSet<String>,
    /// Loan words ("loan", "loanee"): a sentence with one may name the owner or the
    /// borrower, so its club is not stated as the player's one current club.
    pub loans: HashSet<String>,
    /// Words of a fee ("a", "record", "million") between a club paid and "for" + player.
    pub fee_words: HashSet<String>,
    /// Return words ("rejoin", "returned", "former") between a move's verb and its club:
    /// he goes back to a club he played for.
    pub returns: HashSet<String>,
    /// Phrases that join listed players' names ("and", "in addition to"), each with the
    /// space after it, as they open the gap between two names.
    pub joiners: Vec<String>,
    /// Words that open a reported clause after a verb of announcing ("that", "he").
    pub reported_openers: HashSet<String>,
    /// Words that may stand between a club's verb and its player, and between him and a
    /// stay phrase after him ("have offered X a new contract").
    pub object_gaps: HashSet<String>,
    /// Words that, between a role noun and the name after it, keep the role off that name
    /// ("the same agent as X", "the agent of X").
    pub role_breaks: HashSet<String>,
    /// Nationality adjectives (lower case) and the country they name, as the KB writes
    /// it ("portuguese" → "Portugal"): "Portuguese newspaper Record".
    pub demonyms: rustc_hash::FxHashMap<String, String>,
    /// Nouns that stand for a club after a nationality adjective or a league's name
    /// ("the German club", "the Serie A side").
    pub club_nouns: HashSet<String>,
    /// Where the bystanders of each bystander phrase stand (its hit index is the key).
    pub bystander_sides: Vec<Side>,
    /// Per bystander phrase: with no player named before it in the sentence, the players
    /// listed after it are the movers themselves ("a host of Chelsea players, including X
    /// and Y, have left"), not bystanders.
    pub bystander_lists: Vec<bool>,
    /// The phrases of every table, kept to build the one-pass scanner.
    table_phrases: [Vec<(String, usize)>; TABLES],
    scanner: Scanner,
}

const EN_TRIGGERS: &str = include_str!("../../../data/lexicon/en/triggers.tsv");
const EN_HEDGES: &str = include_str!("../../../data/lexicon/en/hedges.tsv");
const EN_ATTRIBUTION: &str = include_str!("../../../data/lexicon/en/attribution.tsv");
const EN_ROLES: &str = include_str!("../../../data/lexicon/en/roles.tsv");
const EN_NOT_NAMES: &str = include_str!("../../../data/lexicon/en/not_names.txt");
const EN_HISTORY: &str = include_str!("../../../data/lexicon/en/history.tsv");
const EN_RECENT: &str = include_str!("../../../data/lexicon/en/recent.tsv");
const EN_COMPLETION: &str = include_str!("../../../data/lexicon/en/completion.tsv");
const EN_UNFINISHED: &str = include_str!("../../../data/lexicon/en/unfinished.txt");
const EN_ANNOUNCING: &str = include_str!("../../../data/lexicon/en/announcing.txt");
const EN_ARRIVALS: &str = include_str!("../../../data/lexicon/en/arrivals.tsv");
const EN_ORIGINS: &str = include_str!("../../../data/lexicon/en/origins.tsv");
const EN_FRONTED: &str = include_str!("../../../data/lexicon/en/fronted.txt");
const EN_BYSTANDERS: &str = include_str!("../../../data/lexicon/en/bystanders.tsv");
const EN_PLACE_WORDS: &str = include_str!("../../../data/lexicon/en/place_words.txt");
const EN_COMPARISONS: &str = include_str!("../../../data/lexicon/en/comparisons.tsv");
const EN_OPENERS: &str = include_str!("../../../data/lexicon/en/openers.txt");
const EN_DESCRIPTORS: &str = include_str!("../../../data/lexicon/en/descriptors.txt");
const EN_REPORTING: &str = include_str!("../../../data/lexicon/en/reporting.txt");
const EN_CONDITIONALS: &str = include_str!("../../../data/lexicon/en/conditionals.txt");
const EN_HEARSAY: &str = include_str!("../../../data/lexicon/en/hearsay.tsv");
const EN_LOANS: &str = include_str!("../../../data/lexicon/en/loans.txt");
const EN_FEE_WORDS: &str = include_str!("../../../data/lexicon/en/fee_words.txt");
const EN_RETURNS: &str = include_str!("../../../data/lexicon/en/returns.txt");
const EN_JOINERS: &str = include_str!("../../../data/lexicon/en/joiners.txt");
const EN_REPORTED_OPENERS: &str = include_str!("../../../data/lexicon/en/reported_openers.txt");
const EN_OBJECT_GAPS: &str = include_str!("../../../data/lexicon/en/object_gaps.txt");
const EN_ROLE_BREAKS: &str = include_str!("../../../data/lexicon/en/role_breaks.txt");
const EN_PROSPECTS: &str = include_str!("../../../data/lexicon/en/prospects.tsv");
const EN_DEMONYMS: &str = include_str!("../../../data/lexicon/en/demonyms.tsv");
const EN_CLUB_NOUNS: &str = include_str!("../../../data/lexicon/en/club_nouns.txt");

/// Expands `{a|b|}` alternations: `join{|s|ed}` → `join`, `joins`, `joined`.
pub fn expand(phrase: &str) -> Vec<String> {
    let mut out: Vec<String> =
        expand_raw(phrase).iter().map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    out.sort();
    out.dedup();
    out
}

fn expand_raw(phrase: &str) -> Vec<String> {
    let Some(open) = phrase.find('{') else {
        return vec![phrase.to_string()];
    };
    let Some(close) = phrase[open..].find('}').map(|c| open + c) else {
        return vec![phrase.to_string()];
    };
    let head = &phrase[..open];
    let rests = expand_raw(&phrase[close + 1..]);
    let mut out = Vec::new();
    for alt in phrase[open + 1..close].split('|') {
        for rest in &rests {
            out.push(format!("{head}{alt}{rest}"));
        }
    }
    out
}

/// The phrases of a one-column `phrase` file, alternations expanded.
fn phrase_list(source: &str) -> Vec<String> {
    rows(source).flat_map(|(_, fields)| expand(fields[0])).collect()
}

/// The phrases of the bystanders file (`phrase`, `side`, `alone`), alternations
/// expanded, each with its side (a missing or unknown side reads as `after`; the lexicon
/// tests reject such rows) and whether its list names the movers when alone.
fn bystander_list(source: &str) -> (Vec<String>, Vec<Side>, Vec<bool>) {
    let (mut phrases, mut sides, mut lists) = (Vec::new(), Vec::new(), Vec::new());
    for (_, fields) in rows(source) {
        let side = fields.get(1).and_then(|s| Side::parse(s)).unwrap_or(Side::After);
        let movers = fields.get(2) == Some(&"movers");
        for phrase in expand(fields[0]) {
            phrases.push(phrase);
            sides.push(side);
            lists.push(movers);
        }
    }
    (phrases, sides, lists)
}

/// The words of a one-word-a-line file (`#` comments).
fn word_list(source: &str) -> HashSet<String> {
    source.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect()
}

/// Phrases paired with their index, as the scanner takes them.
fn indexed(phrases: &[String]) -> Vec<(String, usize)> {
    phrases.iter().cloned().enumerate().map(|(i, p)| (p, i)).collect()
}

fn rows(source: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    source
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1) // header
        .map(|(i, l)| (i + 1, l.split('\t').map(str::trim).collect()))
}

impl Lexicon {
    /// The shipped English lexicon. The files are checked by tests, so this is infallible
    /// in a release; a bad row would surface there first.
    pub fn english() -> Lexicon {
        match Lexicon::parse_tables(EN_TRIGGERS, EN_HEDGES, EN_ATTRIBUTION, EN_ROLES, EN_NOT_NAMES, EN_HISTORY) {
            Ok(mut lexicon) => {
                // Set every table, then compile the scanner once.
                lexicon.table_phrases[3] = indexed(&phrase_list(EN_RECENT));
                lexicon.table_phrases[6] = indexed(&phrase_list(EN_COMPLETION));
                lexicon.table_phrases[8] = indexed(&phrase_list(EN_COMPARISONS));
                let (phrases, sides, lists) = bystander_list(EN_BYSTANDERS);
                lexicon.table_phrases[7] = indexed(&phrases);
                lexicon.bystander_sides = sides;
                lexicon.bystander_lists = lists;
                lexicon.unfinished = word_list(EN_UNFINISHED);
                lexicon.prospects = rows(EN_PROSPECTS)
                    .filter_map(|(_, cols)| {
                        let stage = Stage::parse(cols.get(1)?)?;
                        Some((cols.first()?.to_string(), (stage, cols.get(2) == Some(&"to"))))
                    })
                    .collect();
                lexicon.announcing = word_list(EN_ANNOUNCING);
                lexicon.arrivals = phrase_list(EN_ARRIVALS).into_iter().collect();
                lexicon.origins = phrase_list(EN_ORIGINS).into_iter().collect();
                lexicon.fronted = word_list(EN_FRONTED);
                lexicon.place_words = word_list(EN_PLACE_WORDS);
                lexicon.openers = word_list(EN_OPENERS);
                lexicon.descriptors = word_list(EN_DESCRIPTORS);
                lexicon.reporting = word_list(EN_REPORTING);
                lexicon.conditionals = word_list(EN_CONDITIONALS);
                lexicon.hearsay = phrase_list(EN_HEARSAY).into_iter().collect();
                lexicon.loans = word_list(EN_LOANS);
                lexicon.fee_words = word_list(EN_FEE_WORDS);
                lexicon.returns = word_list(EN_RETURNS);
                lexicon.reported_openers = word_list(EN_REPORTED_OPENERS);
                lexicon.object_gaps = word_list(EN_OBJECT_GAPS);
                lexicon.role_breaks = word_list(EN_ROLE_BREAKS);
                lexicon.joiners = {
                    let mut joiners: Vec<String> = word_list(EN_JOINERS).into_iter().map(|j| format!("{j} ")).collect();
                    joiners.sort();
                    joiners
                };
                lexicon.demonyms = rows(EN_DEMONYMS)
                    .filter_map(|(_, cols)| Some((cols.first()?.to_lowercase(), cols.get(1)?.to_string())))
                    .collect();
                lexicon.club_nouns = word_list(EN_CLUB_NOUNS);
                lexicon.rebuild_scanner();
                lexicon
            }
            Err(_) => Lexicon::empty(),
        }
    }

    fn empty() -> Lexicon {
        Lexicon {
            triggers: Vec::new(),
            hedges: Vec::new(),
            attributions: Vec::new(),
            history: Vec::new(),
            roles: Vec::new(),
            not_names: HashSet::default(),
            role_words: HashSet::default(),
            place_words: HashSet::default(),
            phrase_words: HashSet::default(),
            bystander_sides: Vec::new(),
            bystander_lists: Vec::new(),
            unfinished: HashSet::default(),
            prospects: rustc_hash::FxHashMap::default(),
            announcing: HashSet::default(),
            arrivals: HashSet::default(),
            origins: HashSet::default(),
            fronted: HashSet::default(),
            openers: HashSet::default(),
            descriptors: HashSet::default(),
            reporting: HashSet::default(),
            conditionals: HashSet::default(),
            hearsay: HashSet::default(),
            loans: HashSet::default(),
            fee_words: HashSet::default(),
            returns: HashSet::default(),
            joiners: Vec::new(),
            reported_openers: HashSet::default(),
            object_gaps: HashSet::default(),
            role_breaks: HashSet::default(),
            demonyms: rustc_hash::FxHashMap::default(),
            club_nouns: HashSet::default(),
            table_phrases: Default::default(),
            scanner: Scanner::default(),
        }
    }

    /// Parses the lexicon files and compiles the scanner. The tables not given here
    /// (recency, completion, bystanders, place and not-yet words) stay empty; only
    /// [`Lexicon::english`] has them all.
    pub fn parse(
        triggers: &str,
        hedges: &str,
        attribution: &str,
        roles: &str,
        not_names: &str,
        history: &str,
    ) -> Result<Lexicon, LexiconError> {
        let mut lexicon = Lexicon::parse_tables(triggers, hedges, attribution, roles, not_names, history)?;
        lexicon.rebuild_scanner();
        Ok(lexicon)
    }

    /// The tables of [`Lexicon::parse`], scanner not yet compiled.
    fn parse_tables(
        triggers: &str,
        hedges: &str,
        attribution: &str,
        roles: &str,
        not_names: &str,
        history: &str,
    ) -> Result<Lexicon, LexiconError> {
        let mut lexicon = Lexicon::empty();
        let mut trigger_phrases = Vec::new();
        for (line, fields) in rows(triggers) {
            let err = |message: String| LexiconError { file: "triggers.tsv", line, message };
            let [phrase, kind, stage, side] = fields[..] else {
                return Err(err(format!("expected 4 fields, found {}", fields.len())));
            };
            let kind = TriggerKind::parse(kind).ok_or_else(|| err(format!("unknown kind {kind:?}")))?;
            let stage = match stage {
                "-" | "" => None,
                s => Some(Stage::parse(s).ok_or_else(|| err(format!("unknown stage {s:?}")))?),
            };
            let side = Side::parse(side).ok_or_else(|| err(format!("unknown club side {side:?}")))?;
            for expanded in expand(phrase) {
                trigger_phrases.push((mercato_text::fold::fold_str(&expanded), lexicon.triggers.len()));
                lexicon.triggers.push(Trigger { phrase: expanded, kind, stage, side });
            }
        }
        lexicon.hedges = phrase_list(hedges);
        let hedge_phrases = indexed(&lexicon.hedges);
        let mut attribution_phrases = Vec::new();
        for (line, fields) in rows(attribution) {
            let err = |message: String| LexiconError { file: "attribution.tsv", line, message };
            let [phrase, side, open] = fields[..] else {
                return Err(err(format!("expected 3 fields, found {}", fields.len())));
            };
            let side = Side::parse(side).ok_or_else(|| err(format!("unknown side {side:?}")))?;
            let open = match open {
                "yes" => true,
                "no" => false,
                other => return Err(err(format!("open must be yes or no, not {other:?}"))),
            };
            for expanded in expand(phrase) {
                attribution_phrases.push((expanded.clone(), lexicon.attributions.len()));
                lexicon.attributions.push((expanded, side, open));
            }
        }
        lexicon.history = phrase_list(history);
        let history_phrases = indexed(&lexicon.history);
        let mut role_phrases = Vec::new();
        for (line, fields) in rows(roles) {
            let err = |message: String| LexiconError { file: "roles.tsv", line, message };
            let [phrase, class] = fields[..] else {
                return Err(err(format!("expected 2 fields, found {}", fields.len())));
            };
            let class = match class {
                "player" => RoleClass::Player,
                "nonplayer" => RoleClass::NonPlayer,
                "nonplayers" => RoleClass::NonPlayers,
                "demonym" => RoleClass::Demonym,
                other => return Err(err(format!("unknown class {other:?}"))),
            };
            role_phrases.push((mercato_text::fold::fold_str(phrase), lexicon.roles.len()));
            lexicon.role_words.insert(phrase.to_lowercase());
            lexicon.roles.push((phrase.to_string(), class));
        }
        lexicon.not_names = word_list(not_names);
        lexicon.table_phrases[0] = trigger_phrases;
        lexicon.table_phrases[1] = hedge_phrases;
        lexicon.table_phrases[2] = history_phrases;
        lexicon.table_phrases[4] = role_phrases;
        lexicon.table_phrases[5] = attribution_phrases;
        for phrase in lexicon
            .triggers
            .iter()
            .map(|t| t.phrase.as_str())
            .chain(lexicon.hedges.iter().map(String::as_str))
            .chain(lexicon.attributions.iter().map(|(p, _, _)| p.as_str()))
        {
            for word in phrase.split_whitespace() {
                if word.len() > 2 {
                    lexicon.phrase_words.insert(word.to_string());
                }
            }
        }
        Ok(lexicon)
    }

    fn rebuild_scanner(&mut self) {
        self.scanner = Scanner::new(std::array::from_fn(|table| self.table_phrases[table].as_slice()));
    }

    /// Scans an article for every phrase table.
    pub fn scan(&self, folded: &mercato_text::fold::Folded, text: &str) -> PhraseHits {
        self.scan_words(folded, text, &mercato_text::fold::word_runs(&folded.text))
    }

    /// [`Lexicon::scan`], given the folded text's words (`mercato_text::fold::word_runs`).
    pub fn scan_words(&self, folded: &mercato_text::fold::Folded, text: &str, words: &[(u32, u32)]) -> PhraseHits {
        let [triggers, hedges, history, recent, roles, attributions, completion, bystanders, comparisons] =
            self.scanner.scan(folded, text, words);
        PhraseHits { triggers, hedges, history, recent, roles, attributions, completion, bystanders, comparisons }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mercato_text::fold::is_word_byte;

    #[test]
    fn shipped_english_files_parse() {
        let parsed = Lexicon::parse(EN_TRIGGERS, EN_HEDGES, EN_ATTRIBUTION, EN_ROLES, EN_NOT_NAMES, EN_HISTORY);
        let lexicon = parsed.expect("shipped lexicon parses");
        assert!(lexicon.triggers.len() > 100);
        assert!(lexicon.not_names.contains("However"));
    }

    #[test]
    fn no_trigger_phrase_is_listed_twice() {
        let lexicon = Lexicon::english();
        let mut seen = std::collections::HashSet::new();
        for trigger in &lexicon.triggers {
            assert!(seen.insert(trigger.phrase.as_str()), "{:?} is listed twice", trigger.phrase);
        }
    }

    #[test]
    fn every_bystander_row_has_a_side() {
        for (line, fields) in rows(EN_BYSTANDERS) {
            let side = fields.get(1).and_then(|s| Side::parse(s));
            assert!(
                matches!(side, Some(Side::After | Side::Before)),
                "bystanders.tsv:{line}: side must be after or before"
            );
        }
        let lexicon = Lexicon::english();
        assert_eq!(lexicon.bystander_sides.len(), lexicon.table_phrases[7].len());
        assert_eq!(lexicon.bystander_lists.len(), lexicon.table_phrases[7].len());
        for (line, fields) in rows(EN_BYSTANDERS) {
            let alone = fields.get(2).copied().unwrap_or("bystanders");
            assert!(
                matches!(alone, "bystanders" | "movers"),
                "bystanders.tsv:{line}: alone must be bystanders or movers"
            );
        }
    }

    #[test]
    fn prospect_rows_are_one_lower_case_word_and_a_stage() {
        for (line, fields) in rows(EN_PROSPECTS) {
            let word = fields.first().copied().unwrap_or("");
            assert!(
                !word.is_empty() && !word.contains(' ') && word.to_lowercase() == word,
                "prospects.tsv:{line}: {word:?}"
            );
            assert!(fields.get(1).and_then(|s| Stage::parse(s)).is_some(), "prospects.tsv:{line}: unknown stage");
            assert!(matches!(fields.get(2), Some(&("verb" | "to"))), "prospects.tsv:{line}: before must be verb or to");
        }
        let lexicon = Lexicon::english();
        assert_eq!(lexicon.prospects.get("close"), Some(&(Stage::Agreement, true)));
        assert_eq!(lexicon.prospects.get("will"), Some(&(Stage::Speculation, false)));
        assert!(!lexicon.prospects.contains_key("can"), "\"we can confirm the signing\" announces a done deal");
    }

    #[track_caller]
    fn single_lower_case_words(words: &HashSet<String>, file: &str) {
        for word in words {
            assert!(!word.contains(' ') && word.to_lowercase() == *word, "{file}: {word:?}");
        }
    }

    #[test]
    fn unfinished_words_are_single_lower_case_words() {
        let lexicon = Lexicon::english();
        assert!(lexicon.unfinished.contains("once"));
        single_lower_case_words(&lexicon.unfinished, "unfinished.txt");
    }

    #[test]
    fn arrivals_are_trigger_phrases() {
        let lexicon = Lexicon::english();
        assert!(lexicon.arrivals.contains("brought over from"));
        for phrase in &lexicon.arrivals {
            assert!(lexicon.triggers.iter().any(|t| t.phrase == *phrase), "arrivals.tsv: {phrase:?} is no trigger");
        }
    }

    #[test]
    fn origins_are_history_phrases() {
        let lexicon = Lexicon::english();
        assert!(lexicon.origins.contains("after leaving"));
        for phrase in &lexicon.origins {
            assert!(lexicon.history.contains(phrase), "origins.tsv: {phrase:?} is no history.tsv phrase");
        }
    }

    #[test]
    fn hearsay_phrases_are_hedges() {
        let lexicon = Lexicon::english();
        assert!(lexicon.hearsay.contains("reportedly"));
        for phrase in &lexicon.hearsay {
            assert!(lexicon.hedges.contains(phrase), "hearsay.tsv: {phrase:?} is no hedges.tsv phrase");
        }
    }

    #[test]
    fn openers_are_single_lower_case_words() {
        let lexicon = Lexicon::english();
        assert!(lexicon.openers.contains("meanwhile"));
        single_lower_case_words(&lexicon.openers, "openers.txt");
    }

    #[test]
    fn reporting_verbs_conditionals_and_loans_are_single_lower_case_words() {
        let lexicon = Lexicon::english();
        assert!(lexicon.reporting.contains("told"));
        single_lower_case_words(&lexicon.reporting, "reporting.txt");
        assert!(lexicon.conditionals.contains("unless"));
        single_lower_case_words(&lexicon.conditionals, "conditionals.txt");
        assert!(lexicon.loans.contains("loanee"));
        single_lower_case_words(&lexicon.loans, "loans.txt");
        assert!(lexicon.fee_words.contains("record"));
        single_lower_case_words(&lexicon.fee_words, "fee_words.txt");
    }

    #[test]
    fn object_gaps_are_single_lower_case_words() {
        let lexicon = Lexicon::english();
        assert!(lexicon.object_gaps.contains("'s") && lexicon.object_gaps.contains("to"));
        // a negation or "that" must break the chain from a club's verb to its player
        assert!(!lexicon.object_gaps.contains("not") && !lexicon.object_gaps.contains("that"));
        single_lower_case_words(&lexicon.object_gaps, "object_gaps.txt");
    }

    #[test]
    fn role_breaks_are_single_lower_case_words() {
        let lexicon = Lexicon::english();
        assert!(lexicon.role_breaks.contains("as") && !lexicon.role_breaks.contains("of"));
        single_lower_case_words(&lexicon.role_breaks, "role_breaks.txt");
    }

    #[test]
    fn club_nouns_are_single_lower_case_words() {
        let lexicon = Lexicon::english();
        assert!(lexicon.club_nouns.contains("side") && lexicon.club_nouns.contains("club"));
        // "the German team" is mostly the national team
        assert!(!lexicon.club_nouns.contains("team"));
        single_lower_case_words(&lexicon.club_nouns, "club_nouns.txt");
    }

    #[test]
    fn descriptors_are_single_lower_case_words() {
        let lexicon = Lexicon::english();
        assert!(lexicon.descriptors.contains("veteran"));
        single_lower_case_words(&lexicon.descriptors, "descriptors.txt");
    }

    #[test]
    fn expands_alternations() {
        assert_eq!(expand("join{|s|ed}"), vec!["join", "joined", "joins"]);
        assert_eq!(expand("{a|an} {bid|offer}").len(), 4);
        assert_eq!(expand("spent {|two} years at"), vec!["spent two years at", "spent years at"]);
    }

    #[test]
    fn rejects_bad_rows() {
        let bad = Lexicon::parse("phrase\tkind\tstage\tclub\nlinked with\tmaybe\t-\tafter\n", "", "", "", "", "");
        assert_eq!(bad.err().map(|e| e.line), Some(2));
    }

    /// The scan as one overlapping Aho-Corasick automaton over the text with its
    /// non-word bytes made spaces (the form the word trie replaced), for comparison.
    struct Automaton {
        automaton: aho_corasick::AhoCorasick,
        owner: Vec<(usize, usize)>,
    }

    fn automaton(lexicon: &Lexicon) -> Automaton {
        let mut patterns: Vec<String> = Vec::new();
        let mut owner = Vec::new();
        for (table, list) in lexicon.table_phrases.iter().enumerate() {
            for (phrase, index) in list.iter() {
                let spaced = spaced(phrase);
                let words = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
                if words.is_empty() {
                    continue;
                }
                patterns.push(format!(" {words} "));
                owner.push((table, *index));
            }
        }
        let automaton = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(&patterns)
            .expect("automaton builds");
        Automaton { automaton, owner }
    }

    fn automaton_scan(
        Automaton { automaton, owner }: &Automaton,
        folded: &mercato_text::fold::Folded,
        original: &str,
    ) -> [Vec<Hit>; TABLES] {
        let mut raw: [Vec<(usize, usize, usize)>; TABLES] = Default::default();
        let mut haystack = vec![b' '];
        haystack.extend(folded.text.bytes().map(|b| if is_word_byte(b) { b } else { b' ' }));
        haystack.push(b' ');
        for m in automaton.find_overlapping_iter(haystack.as_slice()) {
            let (table, index) = owner[m.pattern().as_usize()];
            raw[table].push((m.start(), m.end() - 2, index));
        }
        raw.map(|mut found| {
            found.sort_by_key(|(start, end, _)| (*start, std::cmp::Reverse(*end)));
            let mut hits = Vec::new();
            let mut last_end = 0;
            for (start, end, index) in found {
                if start < last_end {
                    continue;
                }
                last_end = end;
                hits.push(Hit { span: Span::new(folded.start_of(start), folded.end_of(end, original)), index });
            }
            hits
        })
    }

    fn same_hits(lexicon: &Lexicon, automaton: &Automaton, text: &str) {
        let folded = mercato_text::fold::fold(text);
        let words = lexicon.scanner.scan(&folded, text, &mercato_text::fold::word_runs(&folded.text));
        let automaton = automaton_scan(automaton, &folded, text);
        for table in 0..TABLES {
            let a: Vec<(usize, usize, usize)> =
                words[table].iter().map(|h| (h.span.start, h.span.end, h.index)).collect();
            let b: Vec<(usize, usize, usize)> =
                automaton[table].iter().map(|h| (h.span.start, h.span.end, h.index)).collect();
            assert_eq!(a, b, "table {table} in {text:?}");
        }
    }

    #[test]
    fn word_trie_finds_what_the_automaton_finds() {
        let lexicon = Lexicon::english();
        let automaton = automaton(&lexicon);
        for text in [
            "Juventus have shown interest from afar; he is linked with a move to Roma.",
            "Chelsea are set to complete the signing of the defender, according to reports. He could join on loan.",
            "linked  with a move to, linked-with a move-to. The club's manager said: \"He has signed a new deal\".",
            "According to Sky Sports, the 25-year-old striker joined Arsenal from Ajax in 2019 for a fee of 40m.",
            "Ödegaard’s agent confirmed talks with Real Madrid, who are in advanced talks over a permanent deal.",
            "is close to joining is close to joining close to joining, reportedly, reported by, reports claim",
            "",
            "to",
            " a move to",
            "a move to ",
            "the Spaniard, the defender, the midfielder and the coach were among the players who left last summer",
        ] {
            same_hits(&lexicon, &automaton, text);
        }
        // every phrase alone and between words
        for list in &lexicon.table_phrases {
            for (phrase, _) in list {
                same_hits(&lexicon, &automaton, phrase);
                same_hits(
                    &lexicon,
                    &automaton,
                    &format!("He is {phrase} the club, {phrase}-{phrase}. {phrase} {phrase}"),
                );
            }
        }
        // optionally, every article of a JSONL corpus
        if let Ok(path) = std::env::var("MERCATO_SCAN_CORPUS") {
            let corpus = std::fs::read_to_string(path).expect("corpus readable");
            for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
                let article: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
                same_hits(&lexicon, &automaton, article["text"].as_str().unwrap_or(""));
            }
        }
    }

    #[test]
    fn packing_at_an_offset_is_packing_the_word() {
        let text = b"a bc defghijk lmnopqrs t";
        for start in 0..text.len() {
            for len in 1..=8.min(text.len() - start) {
                assert_eq!(Some(pack_at(text, start, len)), pack(&text[start..start + len]), "{start} {len}");
            }
        }
    }

    #[test]
    fn u64_map_is_a_map() {
        let mut map = U64Map::default();
        let mut plain = std::collections::HashMap::new();
        for k in 1..3000u64 {
            let key = k.wrapping_mul(0x1234_5678_9abc_def1) | 1;
            assert_eq!(map.get_or_insert(key, k as u32), *plain.entry(key).or_insert(k as u32));
            assert_eq!(map.get_or_insert(key, 0), k as u32);
        }
        for k in 1..6000u64 {
            let key = k.wrapping_mul(0x1234_5678_9abc_def1) | 1;
            assert_eq!(map.get(key), plain.get(&key).copied());
        }
    }

    #[test]
    fn finds_longest_trigger() {
        let lexicon = Lexicon::english();
        let text = "Juventus have shown interest from afar; he is linked with a move to Roma.";
        let folded = mercato_text::fold::fold(text);
        let hits: Vec<&str> =
            lexicon.scan(&folded, text).triggers.iter().map(|h| &text[h.span.start..h.span.end]).collect();
        assert!(hits.contains(&"linked with"), "{hits:?}");
        assert!(hits.contains(&"a move to"), "{hits:?}");
    }
}
