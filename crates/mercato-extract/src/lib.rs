//! # mercato-extract: the *recognise → claims* stages
//!
//! Pure functions from an article's text and a [`mercato_kb::Kb`] to an [`Extraction`]:
//! links (player, club, kind, stage, hedged, attributed_to, evidence), sources and facts,
//! as `spec/claims.md` defines them.
//!
//! The pipeline inside: [`doc::Doc`] (mask crawl residue, split sentences, tokenize) →
//! [`recognise::recognise`] (clubs, people, players, references) → [`claims::claims`]
//! (trigger-governed claims per sentence) → [`claims::decide`] (one state per pair) →
//! [`sources::credits`] and [`facts::facts`].
//!
//! **Architecture Invariant:** this crate does no IO; language knowledge comes from the
//! data files under `data/lexicon/<lang>/`, compiled in.
//!
//! ```
//! use mercato_extract::{ArticleInput, Extractor, LinkKind};
//! let extractor = Extractor::new(mercato_kb::Kb::starter());
//! let out = extractor.extract(ArticleInput {
//!     id: "x1",
//!     text: " date 2024-07-01 Juventus are interested in Sergio Ramos.",
//!     published: None,
//!     url: None,
//! });
//! assert_eq!(out.links[0].club, "Juventus");
//! assert_eq!(out.links[0].kind, LinkKind::To);
//! ```

pub mod claims;
pub mod dating;
pub mod doc;
pub mod facts;
pub mod lexicon;
pub mod model;
pub mod recognise;
pub mod sources;

use lexicon::Lexicon;
use mercato_kb::Kb;
use mercato_text::mask::Boilerplate;
use mercato_time::{SeasonStyle, TimeExpr, TimeLexicon};
pub use model::*;
use recognise::MentionKind;

/// The extractor: a KB plus compiled lexicons. Build once, share across threads.
pub struct Extractor {
    kb: Kb,
    lexicon: Lexicon,
    boilerplate: Boilerplate,
    time: TimeLexicon,
    hide_dates: bool,
}

impl Extractor {
    pub fn new(kb: Kb) -> Extractor {
        Extractor {
            kb,
            lexicon: Lexicon::english(),
            boilerplate: Boilerplate::english(),
            time: TimeLexicon::english(),
            hide_dates: false,
        }
    }

    /// Ignores every article's date header and `published` field, so the date is
    /// inferred from the text (to measure date inference on dated articles).
    pub fn hiding_dates(mut self) -> Extractor {
        self.hide_dates = true;
        self
    }

    pub fn kb(&self) -> &Kb {
        &self.kb
    }

    /// Extracts links, sources and facts from one article. Never fails: problems are
    /// reported in [`Extraction::diagnostics`].
    pub fn extract(&self, article: ArticleInput<'_>) -> Extraction {
        let Analysis { published, diagnostics, doc, hits, rec, claims, decided, times, ages, style, .. } =
            self.analyse(article);
        let publisher = article.url.and_then(|u| self.kb.publisher(u));
        let credits = sources::credits(&doc, &rec, &self.lexicon, &hits, &self.kb, publisher);
        let mut links = Vec::new();
        let decided = decided.unwrap_or_else(|| claims::decide(&claims));
        let decided_kinds: Vec<(usize, usize, LinkKind)> = decided.iter().map(|d| (d.0, d.1, d.2)).collect();
        for (person, club, kind, stage, hedged, sentence) in decided {
            let attributed_to: Vec<String> =
                credits.iter().filter(|c| c.sentence == sentence).map(|c| c.name.clone()).collect();
            links.push(Link {
                player: rec.persons[person].name.clone(),
                club: self.kb.clubs[club].name.clone(),
                kind,
                stage,
                hedged: hedged && kind == LinkKind::To,
                attributed_to,
                evidence: Evidence::from(doc.sentences[sentence]),
                when: link_time(&doc, &rec, &times, club, sentence),
            });
        }
        let mut sources: Vec<String> = Vec::new();
        for credit in &credits {
            if !sources.contains(&credit.name) {
                sources.push(credit.name.clone());
            }
        }
        let player_at = |sentence: usize| {
            rec.mentions.iter().filter(|m| m.sentence <= sentence).rev().find_map(|m| match m.kind {
                MentionKind::Person(p) if rec.persons[p].is_player => Some(p),
                _ => None,
            })
        };
        let subject_at = |sentence: usize| -> Option<(String, Option<String>)> {
            let person = player_at(sentence)?;
            // The contract's club: a club the player stays at or is leaving, preferring
            // one named in the same sentence.
            let club = claims
                .iter()
                .filter(|c| c.person == person && matches!(c.kind, LinkKind::Stay | LinkKind::From))
                .min_by_key(|c| (c.sentence != sentence, c.kind != LinkKind::Stay, c.sentence))
                .map(|c| self.kb.clubs[c.club].name.clone());
            Some((rec.persons[person].name.clone(), club))
        };
        let destination_at = |sentence: usize| -> Option<String> {
            let person = player_at(sentence)?;
            // the club the sentence moves him to: a completed move first, then history,
            // then a rumour
            claims
                .iter()
                .filter(|c| c.person == person && c.sentence == sentence)
                .filter(|c| matches!(c.kind, LinkKind::To | LinkKind::Done | LinkKind::Past))
                .min_by_key(|c| match c.kind {
                    LinkKind::Done => 0,
                    LinkKind::Past => 1,
                    _ => 2,
                })
                .map(|c| self.kb.clubs[c.club].name.clone())
        };
        let style_of = |club: &str| {
            self.kb.clubs.iter().find(|c| c.name == club).map_or(style, |c| self.time.season_style(&c.league))
        };
        let mut facts = facts::facts(&facts::FactInput {
            doc: &doc,
            rec: &rec,
            times: &times,
            time: &self.time,
            ages: &ages,
            subject_at: &subject_at,
            style_of: &style_of,
            destination_at: &destination_at,
        });
        let club_name = |club: usize| self.kb.clubs[club].name.clone();
        facts.extend(facts::current_clubs(&doc, &rec, &claims, &decided_kinds, &self.lexicon.loans, &club_name));
        Extraction { id: article.id.to_string(), published, links, sources, facts, times, diagnostics }
    }
}

/// The time expression of a link's sentence nearest a mention of its club.
fn link_time(
    doc: &doc::Doc<'_>,
    rec: &recognise::Recognised,
    times: &[TimeExpr],
    club: usize,
    sentence: usize,
) -> Option<LinkTime> {
    let span = doc.sentences[sentence];
    let club_at: Vec<usize> = rec
        .mentions
        .iter()
        .filter(|m| m.sentence == sentence && m.kind == MentionKind::Club(club))
        .map(|m| m.span.start)
        .collect();
    times
        .iter()
        .filter(|t| t.start >= span.start && t.end <= span.end)
        .min_by_key(|t| club_at.iter().map(|&c| c.abs_diff(t.start)).min().unwrap_or(usize::MAX))
        .map(|t| LinkTime { text: t.text.clone(), value: t.value, grain: t.grain })
}

/// What the recogniser saw in an article, for debugging rules (the `dump` example
/// prints it with `MERCATO_EXPLAIN=1`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Explanation {
    /// People with whether they were judged players.
    pub persons: Vec<(String, bool)>,
    /// Clubs mentioned (canonical names, in text order, repeated per mention).
    pub clubs: Vec<String>,
    /// Every claim before the per-pair decision: player, club, kind, sentence index.
    pub claims: Vec<(String, String, LinkKind, usize)>,
    /// For an undated article, the clues to its date: "first..last weight why".
    pub date_clues: Vec<String>,
}

/// One state per (person, club) pair, as [`claims::decide`] gives it.
type Decided = (usize, usize, LinkKind, Option<Stage>, bool, usize);

/// The stages up to the raw claims, shared by [`Extractor::extract`] and
/// [`Extractor::explain`].
struct Analysis<'a> {
    published: Published,
    diagnostics: Vec<String>,
    doc: doc::Doc<'a>,
    hits: lexicon::PhraseHits,
    rec: recognise::Recognised,
    claims: Vec<claims::Claim>,
    /// `claims::decide(&claims)` when it was already made (for date inference).
    decided: Option<Vec<Decided>>,
    times: Vec<TimeExpr>,
    ages: Vec<facts::Age>,
    style: SeasonStyle,
    /// Date clues, for an article without a date.
    clues: Vec<mercato_time::Constraint>,
}

impl Extractor {
    /// clean → recognise → resolve time → claims.
    fn analyse<'a>(&self, article: ArticleInput<'a>) -> Analysis<'a> {
        let mut diagnostics = Vec::new();
        let header = mercato_text::header::parse_header(article.text);
        let mut published = if self.hide_dates {
            Published { date: None, how: DateHow::Unknown, range: None }
        } else {
            published(header.as_ref(), article.published, &mut diagnostics)
        };
        let body_start = header.as_ref().map_or(0, |h| h.body_start);
        let doc = doc::Doc::new(article.text, body_start, &self.boilerplate);
        let hits = self.lexicon.scan_words(&doc.folded, &doc.masked, &doc.words);
        let rec = recognise::recognise(&doc, &self.kb, &self.lexicon, &hits);
        // resolve time
        let style = self.season_style(&rec);
        let anchor = published.date.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let mut times = self.time.find_from(&doc.masked, body_start, anchor, style);
        let ages = facts::ages(&doc, &rec);
        let mut clues = Vec::new();
        let mut inferred = None;
        if anchor.is_none() {
            clues = dating::constraints(&doc, &rec, &self.kb, &ages, &times);
            inferred = mercato_time::infer(&clues);
        }
        // "Now", for telling history from news: the publication year, else the latest
        // year the article writes.
        let now_year = anchor
            .or(inferred.as_ref().map(|f| f.date))
            .map(|d| chrono::Datelike::year(&d))
            .or_else(|| latest_year(&doc));
        let mut claims = claims::claims(&doc, &rec, &self.lexicon, &hits, now_year);
        let mut today = anchor;
        let mut decided = None;
        if anchor.is_none() {
            // the players' completed moves, read against the links the text makes
            let all = claims::decide(&claims);
            let links: Vec<(usize, usize, LinkKind)> =
                all.iter().map(|&(person, club, kind, ..)| (person, club, kind)).collect();
            decided = Some(all);
            let kb_clues = dating::move_constraints(&rec, &self.kb, &links);
            if !kb_clues.is_empty() {
                dating::with_kb_clues(&mut clues, kb_clues);
                inferred = mercato_time::infer(&clues);
            }
            if let Some(found) = inferred {
                today = Some(found.date);
                for conflict in &found.conflicts {
                    diagnostics.push(format!("date inference: a clue disagrees with the inferred range: {conflict}"));
                }
                published = Published {
                    date: Some(found.date.to_string()),
                    how: DateHow::Inferred,
                    range: Some([found.range.start.to_string(), found.range.end.to_string()]),
                };
                self.time.place(&mut times, Some(found.date), style);
                // The players' moves in the KB moved "now" to another year: history is
                // told against that year ("returned in 2009" in an article of 2012).
                // (only when a year the claims compare with "now" falls between the two)
                let year = chrono::Datelike::year(&found.date);
                if now_year != Some(year) && claims::now_matters(&doc, now_year, year) {
                    claims = claims::claims(&doc, &rec, &self.lexicon, &hits, Some(year));
                    decided = None;
                }
            }
        }
        // A former player (the Solskjaer of a 2019 article) is spoken of as a manager,
        // pundit or executive: he keeps his history but is the subject of no current move.
        if let Some(today) = today {
            let retired: Vec<bool> =
                (0..rec.persons.len()).map(|p| dating::retired(&rec, &self.kb, p, today)).collect();
            let before = claims.len();
            claims.retain(|c| c.kind == LinkKind::Past || !retired.get(c.person).copied().unwrap_or(false));
            if claims.len() != before {
                decided = None;
            }
        }
        Analysis { published, diagnostics, doc, hits, rec, claims, decided, times, ages, style, clues }
    }

    /// The article's football calendar: calendar-year seasons when most club mentions are
    /// of calendar-year leagues (MLS, Brazil, Scandinavia, ...).
    fn season_style(&self, rec: &recognise::Recognised) -> SeasonStyle {
        let (mut calendar, mut split) = (0, 0);
        for m in &rec.mentions {
            if let MentionKind::Club(c) = m.kind {
                match self.time.season_style(&self.kb.clubs[c].league) {
                    SeasonStyle::Calendar => calendar += 1,
                    SeasonStyle::Split => split += 1,
                }
            }
        }
        if calendar > split {
            SeasonStyle::Calendar
        } else {
            SeasonStyle::Split
        }
    }

    /// Explains an extraction: the entities and raw claims behind it.
    pub fn explain(&self, article: ArticleInput<'_>) -> Explanation {
        let Analysis { rec, claims, clues, .. } = self.analyse(article);
        Explanation {
            persons: rec.persons.iter().map(|p| (p.name.clone(), p.is_player)).collect(),
            clubs: rec
                .mentions
                .iter()
                .filter_map(|m| match m.kind {
                    MentionKind::Club(c) => Some(self.kb.clubs[c].name.clone()),
                    _ => None,
                })
                .collect(),
            claims: claims
                .iter()
                .map(|c| (rec.persons[c.person].name.clone(), self.kb.clubs[c.club].name.clone(), c.kind, c.sentence))
                .collect(),
            date_clues: clues
                .iter()
                .map(|c| format!("{}..{} {} {}", c.range.start, c.range.end, c.weight, c.why))
                .collect(),
        }
    }
}

fn published(
    header: Option<&mercato_text::header::Header>,
    metadata: Option<&str>,
    diagnostics: &mut Vec<String>,
) -> Published {
    if let Some(header) = header {
        return Published { date: Some(header.date.to_string()), how: DateHow::Header, range: None };
    }
    if let Some(meta) = metadata.map(str::trim).filter(|m| !m.is_empty()) {
        let day = meta.get(..10).unwrap_or(meta);
        if chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok() {
            return Published { date: Some(day.to_string()), how: DateHow::Metadata, range: None };
        }
        diagnostics.push(format!("published field {meta:?} is not a YYYY-MM-DD date; ignored"));
    }
    Published { date: None, how: DateHow::Unknown, range: None }
}

/// The latest plausible year written in the article (a stand-in for "now" when the
/// article is undated).
fn latest_year(doc: &doc::Doc<'_>) -> Option<i32> {
    doc.tokens
        .iter()
        .filter_map(|t| {
            // a year is four bytes: shorter and longer tokens are not sliced
            (t.span.len() == 4).then(|| doc.slice(t.span).parse::<i32>().ok()).flatten()
        })
        .filter(|y| (1990..=2100).contains(y))
        .max()
}
