//! How ambiguous time phrases are read. Each resolved expression names the rule it used
//! by a short key ([`crate::TimeExpr::policy`]), so the choice is visible in mercato's
//! output; [`RULES`] (and the README) say what each key means.

/// A month or day-and-month without a year ("in January", "on 30 June").
pub const NEAREST: &str = "nearest";
/// "next March", "next summer", "the upcoming window".
pub const NEXT: &str = "next";
/// "last March", "last summer".
pub const LAST: &str = "last";
/// "this summer", "this March", "this winter".
pub const THIS: &str = "this";
/// Seasons.
pub const SEASON: &str = "season";
/// "the 2025 season".
pub const SEASON_YEAR: &str = "season_year";
/// Apertura and Clausura.
pub const LEAGUE_HALF: &str = "league_half";
/// Transfer windows.
pub const WINDOW: &str = "window";
/// Summer, winter, spring, autumn.
pub const PERIOD: &str = "period";
/// "early", "mid", "late", "the end of", halves.
pub const PART: &str = "part";
/// "on Tuesday".
pub const WEEKDAY: &str = "weekday";
/// "deadline day".
pub const DEADLINE: &str = "deadline";
/// "two years later".
pub const LATER: &str = "later";
/// Numeric dates.
pub const NUMERIC: &str = "numeric";
/// Tournaments.
pub const EVENT: &str = "event";

/// Every policy key with the rule it stands for.
pub const RULES: [(&str, &str); 15] = [
    ("nearest", "no year given: the occurrence nearest the publication date (ties go forward)"),
    ("next", "'next'/'upcoming': the first occurrence that starts after the publication date"),
    ("last", "'last'/'previous': the latest occurrence that ended before the publication date"),
    ("this", "'this': the occurrence containing the publication date, else the one in its year"),
    ("season", "football season: 1 July to 30 June (European split season), the calendar year in calendar-year leagues (MLS, Brazil, Scandinavia, ...); it turns over on 1 July"),
    ("season_year", "a season named by one year: the calendar year in calendar-year leagues, else the split season that starts in that year"),
    ("league_half", "Apertura Y (Liga MX and other Latin American leagues) is July to December Y, Clausura Y January to May Y; without a year, the one nearest the publication date"),
    ("window", "transfer windows are European: summer 1 June to 1 September, winter (January) 1 to 31 January"),
    ("period", "summer is the summer window, 1 June to 1 September; winter Y is December Y-1 to February Y (around the January window); spring March to May; autumn September to November"),
    ("part", "'early'/'the start of' is the first third of the period, 'mid' the middle third, 'late'/'the end of' the last third; halves are halves"),
    ("weekday", "a bare weekday is the latest such day on or before the publication date; 'next' looks forward"),
    ("deadline", "deadline day: the last day of the current transfer window, else of the next one"),
    ("later", "'N later/after': counted from the previous time expression in the article"),
    ("numeric", "numeric dates such as 05/06/2024 are read day first (European order)"),
    ("event", "a tournament without a year: its edition nearest the publication date ('next'/'last' look forward/back)"),
];

/// The rule a policy key stands for.
pub fn describe(key: &str) -> Option<&'static str> {
    RULES.iter().find(|(k, _)| *k == key).map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_key_is_described_once() {
        for (i, (key, _)) in super::RULES.iter().enumerate() {
            assert!(super::describe(key).is_some());
            assert!(!super::RULES[i + 1..].iter().any(|(k, _)| k == key), "{key} twice");
        }
    }
}
