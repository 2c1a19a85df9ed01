//! # mercato-extract: the *recognise → claims* stages
//!
//! Pure functions from an article's text and a [`mercato_kb::Kb`] to an [`Extraction`]:
//! links (player, club, kind, stage, hedged, attributed_to, evidence), sources and facts,
//! as `spec/claims.md` defines them.
//!
//! **Architecture Invariant:** this crate does no IO; language knowledge comes from the
//! data files under `data/lexicon/<lang>/`, compiled in.

pub mod model;

pub use model::*;
use mercato_kb::Kb;

/// The extractor: a KB plus compiled lexicons. Build once, share across threads.
pub struct Extractor {
    kb: Kb,
}

impl Extractor {
    pub fn new(kb: Kb) -> Extractor {
        Extractor { kb }
    }

    pub fn kb(&self) -> &Kb {
        &self.kb
    }

    /// Extracts links, sources and facts from one article. Never fails: problems are
    /// reported in [`Extraction::diagnostics`].
    pub fn extract(&self, article: ArticleInput<'_>) -> Extraction {
        Extraction {
            id: article.id.to_string(),
            published: Published { date: None, how: DateHow::Unknown, range: None },
            links: Vec::new(),
            sources: Vec::new(),
            facts: Vec::new(),
            diagnostics: Vec::new(),
        }
    }
}
