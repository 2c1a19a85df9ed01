//! How good the forecasts are: AUC, Brier score against the base rate and the stage-only
//! baseline, a reliability table and an SVG reliability diagram.
//!
//! Outcomes are JSON lines `{"id", "player", "club", "outcome"}` with `outcome` `joined` or
//! `not_joined` (other values, such as `unknown`, are left out). A forecast and an outcome
//! match on the article id and the accent- and case-folded player and club names; outcomes
//! with no forecast (links mercato did not extract) are counted, not scored.

use crate::forecast::Forecast;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One known outcome of a rumoured move.
#[derive(Debug, Clone, Deserialize)]
pub struct Outcome {
    pub id: String,
    pub player: String,
    pub club: String,
    pub outcome: String,
}

/// What can be wrong in an outcomes file.
#[derive(Debug, thiserror::Error)]
#[error("outcomes line {line}: {why}")]
pub struct OutcomesError {
    pub line: usize,
    pub why: String,
}

/// Reads outcomes JSON lines (blank lines skipped).
pub fn read_outcomes(text: &str) -> Result<Vec<Outcome>, OutcomesError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(k, l)| serde_json::from_str(l).map_err(|e| OutcomesError { line: k + 1, why: e.to_string() }))
        .collect()
}

/// One bin of the reliability table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    pub from: f64,
    pub to: f64,
    pub count: usize,
    pub mean_forecast: f64,
    pub observed: f64,
}

/// Scores of one way of forecasting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    pub auc: f64,
    pub brier: f64,
}

/// The calibration report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Outcomes with `joined`/`not_joined`.
    pub outcomes: usize,
    /// ... of which mercato forecast the link.
    pub matched: usize,
    /// Share of matched rumours that happened.
    pub base_rate: f64,
    pub model: Scores,
    /// The base rate for every rumour.
    pub base_rate_brier: f64,
    /// The historical rate of the extracted stage alone.
    pub stage_only: Scores,
    pub reliability: Vec<Bin>,
}

fn key(id: &str, player: &str, club: &str) -> (String, String, String) {
    (id.to_string(), mercato_store::player_key(player), mercato_store::player_key(club))
}

/// Area under the ROC curve (the chance a random hit is ranked above a random miss; ties
/// count half).
pub fn auc(pairs: &[(f64, bool)]) -> f64 {
    let mut sorted: Vec<(f64, bool)> = pairs.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut rank_sum, mut k) = (0.0, 0);
    while k < sorted.len() {
        let mut j = k;
        while j < sorted.len() && sorted[j].0 == sorted[k].0 {
            j += 1;
        }
        // average rank (1-based) of the tie group
        let rank = (k + 1 + j) as f64 / 2.0;
        rank_sum += rank * sorted[k..j].iter().filter(|p| p.1).count() as f64;
        k = j;
    }
    let pos = pairs.iter().filter(|p| p.1).count() as f64;
    let neg = pairs.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return f64::NAN;
    }
    (rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg)
}

/// Mean squared error of probabilities against outcomes.
pub fn brier(pairs: &[(f64, bool)]) -> f64 {
    pairs.iter().map(|(p, y)| (p - f64::from(u8::from(*y))).powi(2)).sum::<f64>() / pairs.len().max(1) as f64
}

/// Scores the forecasts against the outcomes.
pub fn evaluate(forecasts: &[Forecast], outcomes: &[Outcome]) -> Report {
    let by_key: HashMap<_, &Forecast> = forecasts.iter().map(|f| (key(&f.id, &f.player, &f.club), f)).collect();
    let known: Vec<&Outcome> = outcomes.iter().filter(|o| o.outcome == "joined" || o.outcome == "not_joined").collect();
    let mut model = Vec::new();
    let mut stage = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for o in &known {
        let k = key(&o.id, &o.player, &o.club);
        if !seen.insert(k.clone()) {
            continue;
        }
        if let Some(f) = by_key.get(&k) {
            let y = o.outcome == "joined";
            model.push((f.likelihood, y));
            let rate = mercato_threads::stage_rate(&f.evidence.stage).unwrap_or(0.09);
            stage.push((rate, y));
        }
    }
    let base_rate = model.iter().filter(|p| p.1).count() as f64 / model.len().max(1) as f64;
    let base: Vec<(f64, bool)> = model.iter().map(|(_, y)| (base_rate, *y)).collect();
    Report {
        outcomes: known.len(),
        matched: model.len(),
        base_rate,
        model: Scores { auc: auc(&model), brier: brier(&model) },
        base_rate_brier: brier(&base),
        stage_only: Scores { auc: auc(&stage), brier: brier(&stage) },
        reliability: reliability(&model, 10),
    }
}

fn reliability(pairs: &[(f64, bool)], bins: usize) -> Vec<Bin> {
    (0..bins)
        .filter_map(|b| {
            let (from, to) = (b as f64 / bins as f64, (b + 1) as f64 / bins as f64);
            let inside: Vec<&(f64, bool)> =
                pairs.iter().filter(|(p, _)| *p >= from && (*p < to || (b + 1 == bins && *p <= to))).collect();
            (!inside.is_empty()).then(|| Bin {
                from,
                to,
                count: inside.len(),
                mean_forecast: inside.iter().map(|p| p.0).sum::<f64>() / inside.len() as f64,
                observed: inside.iter().filter(|p| p.1).count() as f64 / inside.len() as f64,
            })
        })
        .collect()
}

/// A reliability diagram: forecast (x) against observed share (y) per bin, dot area by
/// count, with the diagonal of perfect calibration.
pub fn svg(report: &Report) -> String {
    let (w, h, m) = (420.0, 420.0, 50.0);
    let x = |p: f64| m + p * (w - 2.0 * m);
    let y = |p: f64| h - m - p * (h - 2.0 * m);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <title>Reliability diagram</title>\n"
    );
    s += &format!(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>\n",
        x(0.0),
        y(0.0),
        x(1.0),
        y(1.0)
    );
    s += &format!(
        "<rect x=\"{m}\" y=\"{m}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"black\"/>\n",
        w - 2.0 * m,
        h - 2.0 * m
    );
    for k in 0..=5 {
        let p = k as f64 / 5.0;
        s += &format!("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{p:.1}</text>\n", x(p), h - m + 18.0);
        s += &format!("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{p:.1}</text>\n", m - 6.0, y(p) + 4.0);
    }
    s += &format!("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">forecast likelihood</text>\n", w / 2.0, h - 12.0);
    s += &format!(
        "<text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\">share that happened</text>\n",
        h / 2.0,
        h / 2.0
    );
    let points: Vec<String> =
        report.reliability.iter().map(|b| format!("{:.1},{:.1}", x(b.mean_forecast), y(b.observed))).collect();
    s += &format!("<polyline points=\"{}\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>\n", points.join(" "));
    let max = report.reliability.iter().map(|b| b.count).max().unwrap_or(1) as f64;
    for b in &report.reliability {
        s += &format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\" fill=\"#1f5fa8\"><title>{} forecasts, mean {:.2}, \
             happened {:.2}</title></circle>\n",
            x(b.mean_forecast),
            y(b.observed),
            3.0 + 9.0 * (b.count as f64 / max).sqrt(),
            b.count,
            b.mean_forecast,
            b.observed
        );
    }
    s += &format!(
        "<text x=\"{m}\" y=\"30\">AUC {:.3}, Brier {:.3} (base rate {:.3}), {} rumours</text>\n</svg>\n",
        report.model.auc, report.model.brier, report.base_rate_brier, report.matched
    );
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn auc_counts_ordered_pairs_and_ties_half() {
        assert_eq!(auc(&[(0.9, true), (0.1, false)]), 1.0);
        assert_eq!(auc(&[(0.1, true), (0.9, false)]), 0.0);
        assert_eq!(auc(&[(0.5, true), (0.5, false)]), 0.5);
        // 3 hits over 2 misses: 5 of the 6 pairs ordered
        let pairs = [(0.9, true), (0.8, true), (0.3, true), (0.4, false), (0.2, false)];
        assert!((auc(&pairs) - 5.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn brier_is_mean_squared_error() {
        assert!((brier(&[(1.0, true), (0.0, false)])).abs() < 1e-12);
        assert!((brier(&[(0.5, true), (0.5, false)]) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn reliability_bins_hold_their_forecasts() {
        let bins = reliability(&[(0.05, false), (0.15, true), (0.95, true), (1.0, true)], 10);
        assert_eq!(bins.len(), 3);
        assert_eq!(bins[2].count, 2);
        assert_eq!(bins[1].observed, 1.0);
    }

    #[test]
    fn bad_outcomes_name_their_line() {
        let err = read_outcomes("{\"id\":\"a\",\"player\":\"p\",\"club\":\"c\",\"outcome\":\"joined\"}\n{oops\n")
            .unwrap_err();
        assert_eq!(err.line, 2);
    }
}
