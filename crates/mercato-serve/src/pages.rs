//! The web pages: the rumour board, player, club, source and article pages. Rendered on
//! the server with maud, which escapes every interpolated string: article text, names and
//! evidence can never become markup. No script is served.

use crate::{cached, read, AppState, HttpError, Params};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use mercato_answers::{self as answers, Read, RumourFilter};
use mercato_store::Store;
use mercato_threads::{Status, Thread};
use std::collections::HashMap;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(board))
        .route("/players/{name}", get(player))
        .route("/clubs/{name}", get(club))
        .route("/sources/{name}", get(source))
        .route("/articles/{id}", get(article))
}

const STYLE: &str = r#"
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d232a; background: #f7f7f5; }
header { background: #12343b; color: white; padding: .6em 1.2em; display: flex; gap: 1.5em; align-items: center; flex-wrap: wrap; }
header a { color: white; font-weight: 600; text-decoration: none; }
main { padding: 1em 1.2em; max-width: 1100px; }
table { border-collapse: collapse; width: 100%; background: white; margin: .5em 0 1.2em; }
th, td { text-align: left; padding: .35em .5em; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #eef1f2; font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { font-weight: 600; white-space: nowrap; padding: 0 .35em; border-radius: 3px; border: 1px solid; }
.s-open { color: #1f5fa8; } .s-advanced { color: #0b7a3e; } .s-completed { color: #0b5d2c; }
.s-denied { color: #a12020; } .s-stale { color: #6b6b6b; } .s-superseded { color: #7a4b00; }
.thread { background: white; border: 1px solid #ddd; border-radius: 4px; padding: .6em .9em; margin: .8em 0; }
.thread h3 { margin: .1em 0 .4em; }
.scores { display: flex; gap: 2em; flex-wrap: wrap; }
.muted { color: #5b6670; }
mark { background: #ffe98a; padding: 0 .1em; }
pre.article { white-space: pre-wrap; background: white; border: 1px solid #ddd; padding: 1em; font: 15px/1.5 Georgia, serif; }
form.filters { display: flex; gap: .8em; flex-wrap: wrap; align-items: end; margin: .5em 0 1em; }
form.filters label { display: flex; flex-direction: column; font-size: 13px; }
svg.timeline { background: white; border: 1px solid #ddd; max-width: 100%; height: auto; }
svg .grid { stroke: #e3e3e3; } svg .year { stroke: #c9c9c9; stroke-dasharray: 3 3; }
svg text { font: 12px system-ui, sans-serif; fill: #333; } svg .letter { font-size: 9px; font-weight: 700; }
svg .k-to { fill: #1f5fa8; } svg .k-done { fill: #0b7a3e; } svg .k-denied { stroke: #a12020; fill: none; }
svg .k-from { fill: #7a4b00; } svg .k-past { fill: #8a8a8a; } svg .k-stay { fill: #6a3d9a; }
"#;

/// The symbol and word of a status: never told by colour alone.
fn status_badge(status: Status) -> Markup {
    let symbol = match status {
        Status::Open => "●",
        Status::Advanced => "▲",
        Status::Completed => "✓",
        Status::Denied => "✗",
        Status::Stale => "…",
        Status::Superseded => "↷",
    };
    html! { span class={"status s-" (status.as_str())} { (symbol) " " (status.as_str()) } }
}

fn layout(title: &str, as_of: Option<&str>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · mercato" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    a href="/" { "mercato · rumour board" }
                    a href="/openapi.json" { "API" }
                    @if let Some(d) = as_of { span { "as of " (d) } }
                }
                main { (body) }
            }
        }
    }
}

fn html_response(status: StatusCode, markup: Markup) -> Response<String> {
    let mut response = Response::new(markup.into_string());
    *response.status_mut() = status;
    response.headers_mut().insert("content-type", HeaderValue::from_static("text/html; charset=utf-8"));
    // no script runs on these pages, whatever an article says
    response.headers_mut().insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'"),
    );
    response
}

/// An error as a page.
fn error_page(err: HttpError) -> Response<String> {
    html_response(
        err.status,
        layout(
            "Not found",
            None,
            html! { h1 { (err.status.as_u16()) } p { (err.message) } p { a href="/" { "Back to the board" } } },
        ),
    )
}

/// Runs a page through the cache; errors become pages, not JSON.
async fn page(
    state: Arc<AppState>,
    uri: &Uri,
    compute: impl FnOnce(&AppState, &mercato_store::SqliteStore) -> Result<Markup, HttpError> + Send + 'static,
) -> Response {
    cached(state, format!("page {uri}"), move |state, store| {
        Ok(match compute(state, store) {
            Ok(markup) => html_response(StatusCode::OK, markup),
            Err(err) => error_page(err),
        })
    })
    .await
}

/// A path segment, percent-encoded.
fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn with_as_of(path: String, read: &Read) -> String {
    match &read.as_of {
        Some(d) => format!("{path}?as_of={d}"),
        None => path,
    }
}

fn likelihood(t: &Thread) -> String {
    t.likelihood.value.map_or_else(|| "n/a".to_string(), |v| format!("{:.0}%", v * 100.0))
}

fn threads_table(threads: &[Thread], read: &Read, state: &AppState) -> Markup {
    html! {
        @if threads.is_empty() { p.muted { "None." } } @else {
            table {
                thead { tr {
                    th { "Player" } th { "Club" } th { "Status" } th { "Stage" }
                    th.num { "Likelihood" } th.num { "Best source" } th.num { "Reports (30 d)" } th { "Last report" }
                } }
                tbody {
                    @for t in threads {
                        tr {
                            td { a href=(with_as_of(format!("/players/{}", enc(&t.player)), read)) { (t.player) } }
                            td { a href=(with_as_of(format!("/clubs/{}", enc(&t.club)), read)) { (t.club) }
                                 @if let Some(l) = state.league(&t.club) { br; span.muted { (l) } } }
                            td { (status_badge(t.status)) }
                            td { (t.stage.as_deref().unwrap_or("–")) }
                            td.num { (likelihood(t)) }
                            td.num { (t.evidence.credibility.map_or_else(|| "–".to_string(), |c| format!("{c:.2}"))) }
                            td.num { (t.independent_reports) " (" (t.buzz.last_30_days) ")" }
                            td { (t.last) }
                        }
                    }
                }
            }
        }
    }
}

async fn board(State(state): State<Arc<AppState>>, Query(params): Params, uri: Uri) -> Response {
    page(state, &uri, move |state, store| {
        let read = read(&params)?;
        let all = answers::rumours(store, &read, &RumourFilter::default(), &|s| state.tier(s))?;
        let get = |k: &str| params.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        let (club, league, stage) = (get("club"), get("league"), get("stage"));
        let tier: Option<u8> = get("tier").and_then(|t| t.parse().ok());
        let mut leagues: Vec<&str> = all.iter().filter_map(|t| state.league(&t.club)).filter(|l| !l.is_empty()).collect();
        leagues.sort_unstable();
        leagues.dedup();
        let mut list: Vec<&Thread> = all
            .iter()
            .filter(|t| club.is_none_or(|c| t.club.to_lowercase().contains(&c.to_lowercase())))
            .filter(|t| league.is_none_or(|l| state.league(&t.club) == Some(l)))
            .filter(|t| stage.is_none_or(|s| t.stage.as_deref() == Some(s)))
            .filter(|t| tier.is_none_or(|max| t.sources.iter().any(|s| state.tier(s).is_some_and(|x| x <= max))))
            .collect();
        // hottest first: recent independent reports, then likelihood
        list.sort_by(|a, b| {
            (b.buzz.last_30_days, b.likelihood.estimate, b.last)
                .partial_cmp(&(a.buzz.last_30_days, a.likelihood.estimate, a.last))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let shown: Vec<Thread> = list.iter().take(100).map(|t| (*t).clone()).collect();
        let stages = ["speculation", "interest", "talks", "offer", "agreement", "medical"];
        Ok(layout(
            "Rumour board",
            read.as_of.as_deref(),
            html! {
                h1 { "Rumour board" }
                p.muted { (list.len()) " live rumour threads, hottest first (independent reports in the last 30 days, then likelihood)." }
                form.filters method="get" action="/" {
                    label { "Club" input name="club" value=(club.unwrap_or("")) placeholder="any club"; }
                    label { "League" select name="league" {
                        option value="" { "any league" }
                        @for l in &leagues { option value=(l) selected[league == Some(*l)] { (l) } }
                    } }
                    label { "Stage" select name="stage" {
                        option value="" { "any stage" }
                        @for s in stages { option value=(s) selected[stage == Some(s)] { (s) } }
                    } }
                    label { "Source tier" select name="tier" {
                        option value="" { "any source" }
                        @for t in 1..=5u8 { option value=(t) selected[tier == Some(t)] { "tier " (t) " or better" } }
                    } }
                    label { "As of" input type="date" name="as_of" value=(read.as_of.as_deref().unwrap_or("")); }
                    button type="submit" { "Filter" }
                }
                (threads_table(&shown, &read, state))
            },
        ))
    })
    .await
}

fn thread_card(t: &Thread, read: &Read, credibility: &HashMap<String, f64>) -> Markup {
    html! {
        section.thread {
            h3 { a href=(with_as_of(format!("/clubs/{}", enc(&t.club)), read)) { (t.club) } " " (status_badge(t.status)) }
            p.muted { (t.first) " to " (t.last) " · stage " (t.stage.as_deref().unwrap_or("none stated")) " · "
                (t.independent_reports) " independent report(s)" }
            @if let Some(m) = &t.resolved_by {
                p { "Resolved by the move to " (m.club) " (" (m.date()) ", " (m.article) ")." }
            }
            div.scores {
                div {
                    h4 { "Likelihood: " (likelihood(t)) }
                    @if let Some(note) = &t.likelihood.note { p.muted { (note) } }
                    table {
                        thead { tr { th { "component" } th.num { "value" } th.num { "effect on log-odds" } } }
                        tbody { @for c in &t.likelihood.components { tr {
                            td { (c.name) } td.num { (format!("{:.3}", c.value)) }
                            td.num { (c.effect.map_or_else(|| "–".to_string(), |e| format!("{e:+.2}"))) }
                        } } }
                    }
                }
                div {
                    h4 { "Credibility of its sources" }
                    @if t.sources.is_empty() { p.muted { "No source named." } }
                    ul { @for s in &t.sources { li {
                        a href=(with_as_of(format!("/sources/{}", enc(s)), read)) { (s) } ": "
                        (credibility.get(&s.to_lowercase()).map_or_else(|| "no record".to_string(), |c| format!("{c:.2}")))
                    } } }
                }
                div {
                    h4 { "Buzz" }
                    p { (t.buzz.last_7_days) " report(s) in 7 days, " (t.buzz.last_30_days) " in 30 days; velocity " (format!("{:+.1}", t.buzz.velocity)) " per week" }
                }
            }
            details {
                summary { "Evidence (" (t.claims.len()) " claims)" }
                ul { @for c in &t.claims { li {
                    (c.date) @if c.date_inferred { " (inferred)" } " · " (c.kind) @if let Some(s) = &c.stage { " · " (s) }
                    @if !c.sources.is_empty() { " · " (c.sources.join(", ")) }
                    @if c.copy_of.is_some() { " · copy" }
                    " · " a href=(format!("/articles/{}", enc(&c.article))) { (c.article) }
                    br; q { (c.evidence) }
                } } }
            }
        }
    }
}

async fn player(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    Query(params): Params,
    uri: Uri,
) -> Response {
    page(state, &uri, move |state, store| {
        let read = read(&params)?;
        let tier = |s: &str| state.tier(s);
        let report = answers::player(store, &name, &read, &tier)?
            .ok_or_else(|| HttpError::not_found(format!("No stored claim about a player named “{name}”.")))?;
        let credibility = answers::source_credibility(store, &read, &tier)?;
        Ok(layout(
            &report.player,
            read.as_of.as_deref(),
            html! {
                h1 { (report.player) }
                h2 { "Career" }
                @if report.moves.is_empty() { p.muted { "No completed move known." } } @else {
                    table { thead { tr { th { "When" } th { "Club" } th { "Told by" } } }
                        tbody { @for m in &report.moves { tr {
                            td { @if let Some([a, b]) = m.when { (a) " – " (b) } @else { "by " (m.told) } }
                            td { (m.club) }
                            td { @if m.kind == "record" { (m.article) } @else { a href=(format!("/articles/{}", enc(&m.article))) { (m.article) } } }
                        } } }
                    }
                }
                h2 { "Rumour threads" }
                @if report.threads.is_empty() { p.muted { "None." } }
                @for t in &report.threads { (thread_card(t, &read, &credibility)) }
                h2 { "Timeline" }
                (crate::chart::timeline(&report.timeline))
                h2 { "Contradictions" }
                @if report.contradictions.is_empty() { p.muted { "None found." } }
                ul { @for c in &report.contradictions { li {
                    (c.attribute) @if let Some(club) = &c.club { " at " (club) } ": "
                    @for (k, side) in c.sides.iter().enumerate() {
                        @if k > 0 { " vs " }
                        strong { (side.value) } " (" a href=(format!("/articles/{}", enc(&side.article))) { (side.article) } ")"
                    }
                } } }
            },
        ))
    })
    .await
}

async fn club(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    Query(params): Params,
    uri: Uri,
) -> Response {
    page(state, &uri, move |state, store| {
        let read = read(&params)?;
        let report = answers::club(store, &name, &read, &|s| state.tier(s))?
            .ok_or_else(|| HttpError::not_found(format!("No stored claim about a club named “{name}”.")))?;
        Ok(layout(
            &report.club,
            read.as_of.as_deref(),
            html! {
                h1 { (report.club) }
                @if let Some(l) = state.league(&report.club) { p.muted { (l) } }
                h2 { "Incoming: players linked with " (report.club) }
                (threads_table(&report.incoming, &read, state))
                h2 { "Outgoing: players said to be leaving, and where to" }
                (threads_table(&report.outgoing, &read, state))
            },
        ))
    })
    .await
}

async fn source(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    Query(params): Params,
    uri: Uri,
) -> Response {
    page(state, &uri, move |state, store| {
        let read = read(&params)?;
        let tier = |s: &str| state.tier(s);
        let record = answers::source(store, &name, &read, &tier)?
            .ok_or_else(|| HttpError::not_found(format!("No source named “{name}” is credited in a rumour thread.")))?;
        let all = RumourFilter { all: true, ..RumourFilter::default() };
        let threads: Vec<Thread> = answers::rumours(store, &read, &all, &tier)?
            .into_iter()
            .filter(|t| t.sources.iter().any(|s| s.eq_ignore_ascii_case(&record.source)))
            .collect();
        Ok(layout(
            &record.source,
            read.as_of.as_deref(),
            html! {
                h1 { (record.source) }
                p { "KB tier " (record.tier.map_or_else(|| "none".to_string(), |t| t.to_string()))
                    " (prior " (format!("{:.2}", record.prior)) ")." }
                table { tbody {
                    tr { th { "Hits (moves that happened)" } td.num { (record.hits) } }
                    tr { th { "Misses (moves that did not)" } td.num { (record.misses) } }
                    tr { th { "Still open" } td.num { (record.open) } }
                    tr { th { "Credibility (posterior mean)" } td.num { (format!("{:.2}", record.credibility)) } }
                    tr { th { "90% credible interval" } td.num { (format!("{:.2} – {:.2}", record.interval.0, record.interval.1)) } }
                } }
                @if let Some(note) = &record.note { p.muted { (note) } }
                @if !record.by_club.is_empty() {
                    h2 { "By club" }
                    ul { @for c in &record.by_club { li { (c.club) ": " (c.hits) " hits, " (c.misses) " misses, " (format!("{:.2}", c.credibility)) } } }
                }
                h2 { "Threads it reported" }
                (threads_table(&threads, &read, state))
            },
        ))
    })
    .await
}

/// The article's text with each link's evidence marked.
fn highlighted(text: &str, spans: &[(usize, usize, String)]) -> Markup {
    let mut spans: Vec<&(usize, usize, String)> = spans
        .iter()
        .filter(|(a, b, _)| a < b && text.is_char_boundary(*a) && text.is_char_boundary(*b) && *b <= text.len())
        .collect();
    spans.sort_by_key(|s| (s.0, std::cmp::Reverse(s.1)));
    let mut pieces: Vec<Markup> = Vec::new();
    let mut at = 0;
    for (a, b, label) in spans {
        if *a < at {
            continue;
        }
        pieces.push(html! { (text[at..*a]) });
        pieces.push(html! { mark title=(label) { (text[*a..*b]) } });
        at = *b;
    }
    pieces.push(html! { (text[at..]) });
    html! { pre.article { @for p in &pieces { (p) } } }
}

async fn article(State(state): State<Arc<AppState>>, Path(id): Path<String>, uri: Uri) -> Response {
    page(state, &uri, move |_, store| {
        let a = store.article(&id)?.ok_or_else(|| HttpError::not_found(format!("No article “{id}”.")))?;
        let empty = Vec::new();
        let links = a.extraction["links"].as_array().unwrap_or(&empty);
        let spans: Vec<(usize, usize, String)> = links
            .iter()
            .map(|l| {
                let n = |k: &str| l["evidence"][k].as_u64().and_then(|v| usize::try_from(v).ok()).unwrap_or(0);
                let s = |k: &str| l[k].as_str().unwrap_or("").to_string();
                (n("start"), n("end"), format!("{} {} → {}", s("kind"), s("player"), s("club")))
            })
            .collect();
        // only web addresses become links: a `javascript:` URL stays text
        let url = a.url.as_deref().filter(|u| u.starts_with("https://") || u.starts_with("http://"));
        Ok(layout(
            &a.id,
            None,
            html! {
                h1 { "Article " (a.id) }
                p { "Published " (a.published.as_deref().unwrap_or("unknown")) " (" (a.published_how) ")"
                    @if let Some(of) = &a.copy_of { " · a copy of " a href=(format!("/articles/{}", enc(of))) { (of) } } }
                @if let Some(u) = url { p { a href=(u) rel="nofollow noopener" { (u) } } }
                @else if let Some(u) = &a.url { p.muted { (u) } }
                h2 { "Links" }
                @if links.is_empty() { p.muted { "No transfer link found." } }
                table { tbody { @for l in links { tr {
                    td { (l["kind"].as_str().unwrap_or("")) }
                    td { a href=(format!("/players/{}", enc(l["player"].as_str().unwrap_or("")))) { (l["player"].as_str().unwrap_or("")) } }
                    td { a href=(format!("/clubs/{}", enc(l["club"].as_str().unwrap_or("")))) { (l["club"].as_str().unwrap_or("")) } }
                    td { (l["stage"].as_str().unwrap_or("")) }
                    td { (l["sources"].as_array().map(|s| s.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(", ")).unwrap_or_default()) }
                } } } }
                h2 { "Text, with the evidence marked" }
                (highlighted(&a.text, &spans))
            },
        ))
    })
    .await
}

/// The page for any path nothing else serves.
pub async fn not_found(uri: Uri) -> Response {
    error_page(HttpError::not_found(format!("Nothing at {}.", uri.path()))).map(axum::body::Body::from).into_response()
}
