//! # mercato-forecast: learning from what happened
//!
//! The outcome side of mercato, on top of the store and the threads stage:
//!
//! * [`transfers`]: records of completed transfers (the KB's `transfers.tsv` layout or a
//!   user's own CSV/TSV) and the rule that turns them into moves that resolve threads;
//! * [`forecast`]: the likelihood of every rumoured move as mercato would have said it on
//!   its article's day, from nothing dated after it;
//! * [`evaluate`]: AUC, Brier score, baselines, a reliability table and diagram.
//!
//! The model's weights are data (`data/scores/likelihood.tsv`), fitted on the annotated
//! dev articles by `scripts/fit_likelihood.py`.

pub mod evaluate;
pub mod forecast;
pub mod transfers;

pub use evaluate::{evaluate, read_outcomes, Outcome, Report};
pub use forecast::{forecast, Article, Forecast};
