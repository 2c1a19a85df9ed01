//! The likelihood model: how likely a rumoured move is to happen, from the evidence of its
//! thread on one day.
//!
//! A logistic model over a few features of the evidence, each shown as a component with
//! its value and its effect on the log-odds, so that a reader can check every number:
//!
//! | feature | value |
//! |---|---|
//! | `stage` | log-odds of the historical rate of the furthest stage (`data/scores/stage_rates.tsv`) |
//! | `corroboration` | ln of the independent reports (copies never count) |
//! | `sources` | ln(1 + distinct credited sources) |
//! | `credibility` | log-odds of the best credited source's credibility minus that of 0.3 (0 without one) |
//! | `denied` | 1 when an independent report denies the move |
//! | `rivals` | ln(1 + other clubs the player is linked with in the 90 days before) |
//! | `hedged` | share of the thread's claims that are hedged |
//! | `fee` | 1 when an independent report of the thread states a fee for the player |
//!
//! The weights are data (`data/scores/likelihood.tsv`), fitted on the annotated dev articles
//! and their outcomes by `scripts/fit_likelihood.py` (which says how). The intercept is the
//! base rate: most rumours do not happen. Recency is a fixed rule, not fitted (every
//! forecast of the dev set is made on its article's day, so silence cannot be learned
//! there): after [`RECENCY_GRACE_DAYS`] without news the odds halve every
//! [`RECENCY_HALF_LIFE_DAYS`].

use crate::stage_rate;
use serde::Serialize;
use std::sync::OnceLock;

/// Days without news before recency starts to count.
pub const RECENCY_GRACE_DAYS: i64 = 30;
/// After the grace, the odds halve every this many days without news.
pub const RECENCY_HALF_LIFE_DAYS: f64 = 90.0;
/// Credibility is measured against this neutral rate (about the base rate of rumours).
const NEUTRAL_CREDIBILITY: f64 = 0.3;

const SHIPPED: &str = include_str!("../../../data/scores/likelihood.tsv");

/// The names of the model's features, in order.
pub const FEATURES: [&str; 8] =
    ["stage", "corroboration", "sources", "credibility", "denied", "rivals", "hedged", "fee"];

/// What a thread's evidence says on one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The furthest stage reached (`speculation` when none is stated).
    pub stage: String,
    /// Independent articles (not copies).
    pub reports: usize,
    /// Distinct sources credited by them.
    pub sources: usize,
    /// The best credibility among the credited sources, when one has a record or a tier.
    pub credibility: Option<f64>,
    /// Independent reports denying the move.
    pub denials: usize,
    /// Other clubs the player is linked with in the 90 days before.
    pub rivals: usize,
    /// An independent report states a fee for the player.
    pub fee_stated: bool,
    /// Share of the claims that are hedged (0 to 1).
    pub hedged: f64,
    /// Days from the last claim to the day of the estimate.
    pub silent_days: i64,
}

/// One factor of a likelihood, for people to check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    pub name: String,
    /// The feature's value.
    pub value: f64,
    /// Its effect on the log-odds (weight × (value − centre)); `None` for a value that is
    /// not a term.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<f64>,
}

impl Component {
    pub fn new(name: &str, value: f64, effect: Option<f64>) -> Self {
        Component { name: name.to_string(), value, effect }
    }
}

/// What can be wrong in a model file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("likelihood model, line {line}: {why}")]
pub struct ModelError {
    pub line: usize,
    pub why: String,
}

/// A fitted logistic model: an intercept and one weight per feature, and each feature's
/// centre (its mean on the data the model was fitted on). Terms are shown against the
/// centres, so the `base` component is the likelihood of typical evidence (close to the
/// base rate) and each other component says how far this thread's evidence moves it.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub intercept: f64,
    /// Weights in the order of [`FEATURES`].
    pub weights: [f64; FEATURES.len()],
    /// Centres in the order of [`FEATURES`].
    pub centres: [f64; FEATURES.len()],
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(0.01, 0.99);
    (p / (1.0 - p)).ln()
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

impl Model {
    /// The model shipped in `data/scores/likelihood.tsv`.
    pub fn shipped() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        // The shipped file is checked by a test; a broken one falls back to stage only.
        MODEL.get_or_init(|| Model::parse(SHIPPED).unwrap_or_else(|_| Model::stage_only()))
    }

    /// The stage rate alone (weight 1 on `stage`, nothing else).
    pub fn stage_only() -> Model {
        let mut weights = [0.0; FEATURES.len()];
        weights[0] = 1.0;
        Model { intercept: 0.0, weights, centres: [0.0; FEATURES.len()] }
    }

    /// Reads `name<TAB>weight[<TAB>centre]` lines (`#` comments); every feature and
    /// `intercept` must be there exactly once (a missing centre is 0).
    pub fn parse(text: &str) -> Result<Model, ModelError> {
        let mut intercept = None;
        let mut weights = [None; FEATURES.len()];
        let mut centres = [0.0; FEATURES.len()];
        for (k, line) in text.lines().enumerate() {
            let err = |why: String| ModelError { line: k + 1, why };
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut fields = line.split('\t');
            let name = fields.next().unwrap_or("");
            let number = |s: Option<&str>| -> Result<Option<f64>, ModelError> {
                s.map(|s| s.trim().parse().map_err(|_| err(format!("{s:?} is not a number")))).transpose()
            };
            let w = number(fields.next())?.ok_or_else(|| err("expected name<TAB>weight".into()))?;
            let centre = number(fields.next())?;
            let slot = if name == "intercept" {
                &mut intercept
            } else {
                let i =
                    FEATURES.iter().position(|f| *f == name).ok_or_else(|| err(format!("unknown feature {name:?}")))?;
                centres[i] = centre.unwrap_or(0.0);
                &mut weights[i]
            };
            if slot.replace(w).is_some() {
                return Err(err(format!("{name} given twice")));
            }
        }
        let missing = |name: &str| ModelError { line: text.lines().count(), why: format!("no weight for {name}") };
        let intercept = intercept.ok_or_else(|| missing("intercept"))?;
        let mut out = [0.0; FEATURES.len()];
        for (i, w) in weights.iter().enumerate() {
            out[i] = w.ok_or_else(|| missing(FEATURES[i]))?;
        }
        Ok(Model { intercept, weights: out, centres })
    }

    /// The feature values of some evidence, in the order of [`FEATURES`].
    pub fn features(e: &Evidence) -> [f64; FEATURES.len()] {
        [
            logit(stage_rate(&e.stage).unwrap_or(0.09)),
            (e.reports.max(1) as f64).ln(),
            (1.0 + e.sources as f64).ln(),
            e.credibility.map_or(0.0, |c| logit(c) - logit(NEUTRAL_CREDIBILITY)),
            f64::from(u8::from(e.denials > 0)),
            (1.0 + e.rivals as f64).ln(),
            e.hedged,
            f64::from(u8::from(e.fee_stated)),
        ]
    }

    /// The likelihood of the evidence, with every term shown.
    pub fn predict(&self, e: &Evidence) -> (f64, Vec<Component>) {
        let x = Model::features(e);
        let base = self.intercept + self.weights.iter().zip(&self.centres).map(|(w, c)| w * c).sum::<f64>();
        let mut components = vec![Component::new("base", round(sigmoid(base)), Some(round(base)))];
        let mut z = base;
        for (k, name) in FEATURES.iter().enumerate() {
            let effect = self.weights[k] * (x[k] - self.centres[k]);
            z += effect;
            components.push(Component::new(name, round(x[k]), Some(round(effect))));
        }
        let silent = (e.silent_days - RECENCY_GRACE_DAYS).max(0) as f64;
        if silent > 0.0 {
            let effect = -(silent / RECENCY_HALF_LIFE_DAYS) * std::f64::consts::LN_2;
            z += effect;
            components.push(Component::new("recency", e.silent_days as f64, Some(round(effect))));
        }
        (sigmoid(z), components)
    }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn evidence(stage: &str) -> Evidence {
        Evidence {
            stage: stage.into(),
            reports: 1,
            sources: 0,
            credibility: None,
            denials: 0,
            rivals: 0,
            fee_stated: false,
            hedged: 0.0,
            silent_days: 0,
        }
    }

    #[test]
    fn the_shipped_model_parses() {
        assert!(Model::parse(SHIPPED).is_ok(), "{:?}", Model::parse(SHIPPED));
    }

    #[test]
    fn stage_only_gives_the_stage_rate() {
        let (p, _) = Model::stage_only().predict(&evidence("agreement"));
        assert!((p - 0.86).abs() < 1e-9, "{p}");
    }

    #[test]
    fn silence_lowers_the_likelihood() {
        let mut e = evidence("talks");
        let (fresh, _) = Model::stage_only().predict(&e);
        e.silent_days = RECENCY_GRACE_DAYS + 90;
        let (old, components) = Model::stage_only().predict(&e);
        assert!(old < fresh);
        // the odds halve after one half-life
        let odds = |p: f64| p / (1.0 - p);
        assert!((odds(old) * 2.0 - odds(fresh)).abs() < 1e-9);
        assert!(components.iter().any(|c| c.name == "recency"));
    }

    #[test]
    fn centres_move_the_base_not_the_likelihood() {
        let plain = Model::parse("intercept\t-1\nstage\t0.5\ncorroboration\t1\nsources\t0\ncredibility\t0\ndenied\t0\nrivals\t0\nhedged\t0\nfee\t0\n").unwrap();
        let centred = Model::parse("intercept\t-1\nstage\t0.5\t-1.2\ncorroboration\t1\t0.4\nsources\t0\ncredibility\t0\ndenied\t0\nrivals\t0\nhedged\t0\nfee\t0\n").unwrap();
        let e = evidence("talks");
        let ((p, a), (q, b)) = (plain.predict(&e), centred.predict(&e));
        assert!((p - q).abs() < 1e-12);
        assert!((a[0].effect.unwrap() - b[0].effect.unwrap()).abs() > 0.1);
    }

    #[test]
    fn a_bad_model_file_names_its_line() {
        let err = Model::parse("intercept\t0\nstage\tx\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(Model::parse("intercept\t0\n").unwrap_err().why.contains("stage"));
        assert!(Model::parse("intercept\t0\nluck\t1\n").unwrap_err().why.contains("luck"));
    }
}
