//! The timeline chart of a player page: one row per source, one marker per claim at its
//! article's date. A claim's kind is told by the marker's shape and its letter, never by
//! colour alone; each marker's tooltip names the date, kind, club, stage and article.

use maud::{html, Markup};
use mercato_store::LinkRecord;

const WIDTH: f64 = 760.0;
const LEFT: f64 = 170.0;
const RIGHT: f64 = 20.0;
/// Room kept right of the last day for claims set side by side.
const STACK_ROOM: f64 = 110.0;
const ROW: f64 = 30.0;
const TOP: f64 = 34.0;
/// Claims on the same day and row are set side by side this far apart.
const STEP: f64 = 13.0;

/// The letter and the shape of a claim's kind.
fn mark(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "to" => ("T", "circle"),
        "done" => ("D", "square"),
        "denied" => ("X", "cross"),
        "from" => ("F", "diamond"),
        "past" => ("P", "triangle"),
        "stay" => ("S", "bar"),
        _ => ("?", "circle"),
    }
}

/// The kinds, as the legend lists them.
const KINDS: [(&str, &str); 6] = [
    ("to", "rumour"),
    ("done", "done deal"),
    ("denied", "denied"),
    ("from", "leaving"),
    ("past", "history"),
    ("stay", "staying"),
];

fn shape(kind: &str, x: f64, y: f64) -> Markup {
    let (_, shape) = mark(kind);
    let r = 6.0;
    match shape {
        "square" => html! { rect x=(x - r) y=(y - r) width=(2.0 * r) height=(2.0 * r) class={"k-" (kind)} {} },
        "diamond" => html! {
            polygon points=(format!("{x},{} {},{y} {x},{} {},{y}", y - r - 1.0, x + r + 1.0, y + r + 1.0, x - r - 1.0)) class={"k-" (kind)} {}
        },
        "triangle" => html! {
            polygon points=(format!("{x},{} {},{} {},{}", y - r, x + r, y + r, x - r, y + r)) class={"k-" (kind)} {}
        },
        "cross" => html! {
            path d=(format!("M{} {} L{} {} M{} {} L{} {}", x - r, y - r, x + r, y + r, x - r, y + r, x + r, y - r)) class={"k-" (kind)} stroke-width="3" {}
        },
        "bar" => html! { rect x=(x - 2.0) y=(y - r - 1.0) width="4" height=(2.0 * r + 2.0) class={"k-" (kind)} {} },
        _ => html! { circle cx=(x) cy=(y) r=(r) class={"k-" (kind)} {} },
    }
}

/// The chart, as inline SVG; an empty note when no claim is dated.
pub fn timeline(links: &[LinkRecord]) -> Markup {
    let dated: Vec<(&LinkRecord, chrono::NaiveDate)> =
        links.iter().filter_map(|l| mercato_threads::date(l.published.as_deref()).map(|d| (l, d))).collect();
    let (Some(first), Some(last)) = (dated.iter().map(|d| d.1).min(), dated.iter().map(|d| d.1).max()) else {
        return html! { p { "No dated claim to chart." } };
    };
    let mut rows: Vec<String> =
        dated.iter().map(|(l, _)| source_of(l)).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    rows.truncate(30);
    let span = (last - first).num_days().max(1) as f64;
    let x =
        |d: chrono::NaiveDate| LEFT + 8.0 + (d - first).num_days() as f64 / span * (WIDTH - LEFT - RIGHT - STACK_ROOM);
    let height = TOP + ROW * rows.len() as f64 + 80.0;
    // each claim's place: side by side with the claims of the same day and row
    let mut seen: std::collections::HashMap<(usize, chrono::NaiveDate), usize> = std::collections::HashMap::new();
    let placed: Vec<(&LinkRecord, chrono::NaiveDate, f64, f64)> = dated
        .iter()
        .filter_map(|(l, d)| {
            let row = rows.iter().position(|r| *r == source_of(l))?;
            let k = seen.entry((row, *d)).or_insert(0);
            *k += 1;
            Some((*l, *d, x(*d) + STEP * (*k - 1) as f64, TOP + ROW * row as f64))
        })
        .collect();
    let bottom = TOP + ROW * rows.len() as f64 - 10.0;
    let years: Vec<i32> = {
        use chrono::Datelike;
        (first.year()..=last.year()).collect()
    };
    html! {
        svg class="timeline" role="img" width=(WIDTH) height=(height) viewBox=(format!("0 0 {WIDTH} {height}"))
            xmlns="http://www.w3.org/2000/svg" {
            title { "Claims by date and source" }
            @for (k, source) in rows.iter().enumerate() {
                @let y = TOP + ROW * k as f64;
                line x1=(LEFT) x2=(WIDTH - RIGHT) y1=(y) y2=(y) class="grid" {}
                text x=(LEFT - 8.0) y=(y + 4.0) text-anchor="end" { (cut(source, 24)) }
            }
            @for year in &years {
                @if let Some(d) = chrono::NaiveDate::from_ymd_opt(*year, 1, 1) {
                    @if d >= first && d <= last {
                        line x1=(x(d)) x2=(x(d)) y1=(TOP - 14.0) y2=(TOP + ROW * rows.len() as f64) class="year" {}
                        text x=(x(d) + 3.0) y=(TOP - 16.0) { (year) }
                    }
                }
            }
            text x=(LEFT) y=(bottom + 14.0) class="axis" { "first claim " (first) }
            text x=(WIDTH - RIGHT) y=(bottom + 14.0) text-anchor="end" class="axis" { "last claim " (last) }
            @for (l, d, cx, cy) in &placed {
                g class="claim" {
                    title { (d) " " (l.kind) " " (l.club) (l.stage.as_deref().map(|s| format!(" ({s})")).unwrap_or_default()) " — article " (l.article) }
                    (shape(&l.kind, *cx, *cy))
                    text x=(cx) y=(cy - 9.0) text-anchor="middle" class="letter" { (mark(&l.kind).0) }
                }
            }
            @let ly = TOP + ROW * rows.len() as f64 + 40.0;
            @for (k, (kind, label)) in KINDS.iter().enumerate() {
                @let lx = 20.0 + 122.0 * k as f64;
                (shape(kind, lx, ly))
                text x=(lx + 12.0) y=(ly + 4.0) { (mark(kind).0) " " (label) }
            }
        }
    }
}

/// The row a claim is drawn on: its sentence's source, else its article's, else none.
fn source_of(l: &LinkRecord) -> String {
    l.sources.first().or(l.article_sources.first()).cloned().unwrap_or_else(|| "(no source named)".to_string())
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}
