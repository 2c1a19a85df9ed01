//! How ambiguous time phrases are read. Each resolved expression names the rule it used
//! ([`crate::TimeExpr::policy`]), so the choice is visible in mercato's output.

/// A month or day-and-month without a year ("in January", "on 30 June").
pub const NEAREST: &str = "no year given: the occurrence nearest the publication date (ties go forward)";
/// "next March", "next summer", "the upcoming window".
pub const NEXT: &str = "'next'/'upcoming': the first occurrence that starts after the publication date";
/// "last March", "last summer".
pub const LAST: &str = "'last'/'previous': the latest occurrence that ended before the publication date";
/// "this summer", "this March", "this winter".
pub const THIS: &str = "'this': the occurrence containing the publication date, else the one in its year";
/// Seasons.
pub const SEASON: &str =
    "football season: 1 July to 30 June (European split season), the calendar year in calendar-year leagues (MLS, Brazil, Scandinavia, ...); it turns over on 1 July";
/// "the 2025 season".
pub const SEASON_YEAR: &str =
    "a season named by one year: the calendar year in calendar-year leagues, else the split season that starts in that year";
/// Transfer windows.
pub const WINDOW: &str =
    "transfer windows are European: summer 1 June to 1 September, winter (January) 1 to 31 January";
/// Summer, winter, spring, autumn.
pub const PERIOD: &str =
    "summer is the summer window, 1 June to 1 September; winter Y is December Y-1 to February Y (around the January window); spring March to May; autumn September to November";
/// "early", "mid", "late", "the end of", halves.
pub const PART: &str =
    "'early'/'the start of' is the first third of the period, 'mid' the middle third, 'late'/'the end of' the last third; halves are halves";
/// "on Tuesday".
pub const WEEKDAY: &str =
    "a bare weekday is the latest such day on or before the publication date; 'next' looks forward";
/// "deadline day".
pub const DEADLINE: &str = "deadline day: the last day of the current transfer window, else of the next one";
/// "two years later".
pub const LATER: &str = "'N later/after': counted from the previous time expression in the article";
/// Numeric dates.
pub const NUMERIC: &str = "numeric dates such as 05/06/2024 are read day first (European order)";
/// Tournaments.
pub const EVENT: &str =
    "a tournament without a year: its edition nearest the publication date ('next'/'last' look forward/back)";
