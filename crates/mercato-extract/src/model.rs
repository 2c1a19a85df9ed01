//! The data types that flow out of extraction: the contract of `spec/claims.md`.

use mercato_text::Span;
use serde::Serialize;

/// One article to extract from.
#[derive(Debug, Clone, Copy)]
pub struct ArticleInput<'a> {
    pub id: &'a str,
    pub text: &'a str,
    /// The input's own `published` field, if any (`YYYY-MM-DD`).
    pub published: Option<&'a str>,
    /// Where the article was published; its site is never credited as a source.
    pub url: Option<&'a str>,
}

/// How the publication date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DateHow {
    Header,
    Metadata,
    Inferred,
    Unknown,
}

impl DateHow {
    pub fn as_str(self) -> &'static str {
        match self {
            DateHow::Header => "header",
            DateHow::Metadata => "metadata",
            DateHow::Inferred => "inferred",
            DateHow::Unknown => "unknown",
        }
    }
}

/// The article's publication date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Published {
    pub date: Option<String>,
    pub how: DateHow,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<[String; 2]>,
}

/// What an article says about a (player, club) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// A possible, rumoured or in-progress destination.
    To,
    /// The club the player is (or may be) leaving in the move discussed.
    From,
    /// A move completed in the story's present.
    Done,
    /// The player stays.
    Stay,
    /// A move ruled out.
    Denied,
    /// A completed move given as background history.
    Past,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::To => "to",
            LinkKind::From => "from",
            LinkKind::Done => "done",
            LinkKind::Stay => "stay",
            LinkKind::Denied => "denied",
            LinkKind::Past => "past",
        }
    }
}

/// How far along a rumoured move is (for `to` links), in ladder order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Speculation,
    Interest,
    Talks,
    Offer,
    Agreement,
    Medical,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Speculation => "speculation",
            Stage::Interest => "interest",
            Stage::Talks => "talks",
            Stage::Offer => "offer",
            Stage::Agreement => "agreement",
            Stage::Medical => "medical",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Some(match s {
            "speculation" => Stage::Speculation,
            "interest" => Stage::Interest,
            "talks" => Stage::Talks,
            "offer" => Stage::Offer,
            "agreement" => Stage::Agreement,
            "medical" => Stage::Medical,
            _ => return None,
        })
    }
}

/// Byte offsets into the input text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub start: usize,
    pub end: usize,
}

impl From<Span> for Evidence {
    fn from(span: Span) -> Evidence {
        Evidence { start: span.start, end: span.end }
    }
}

/// One (player, club, kind) claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub player: String,
    pub club: String,
    pub kind: LinkKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    pub hedged: bool,
    pub attributed_to: Vec<String>,
    pub evidence: Evidence,
    /// When the article places the move ("in the summer of 2021", "in January"): the time
    /// expression of the evidence sentence nearest the club's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<LinkTime>,
}

/// The time of a link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkTime {
    pub text: String,
    /// `[first day, last day]`; absent when a relative expression had no date to count from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<mercato_time::Interval>,
    pub grain: mercato_time::Grain,
}

/// A stated attribute (`age`, `birth_date`, `contract_expiry`, `contract_length`, `fee`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub subject: String,
    pub attribute: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub club: Option<String>,
    /// Normalised: dates `YYYY-MM-DD`/`YYYY-MM`, ages as integers, lengths as ISO 8601
    /// durations (`P2Y`), fees as whole units of `currency`. When a relative date could
    /// not be placed (no publication date), the stated words.
    pub value: String,
    /// The words the value was read from ("the end of December", "€60 million").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stated: Option<String>,
    /// ISO 4217 code of a fee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    pub evidence: Evidence,
}

/// Everything extracted from one article, plus what went wrong (never an error).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extraction {
    pub id: String,
    pub published: Published,
    pub links: Vec<Link>,
    pub sources: Vec<String>,
    pub facts: Vec<Fact>,
    /// Every temporal expression, placed relative to the (stated or inferred) date, with
    /// its grain, tense and the policy key of an ambiguous reading (the CLI writes them
    /// with `--times`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub times: Vec<mercato_time::TimeExpr>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<String>,
}
