//! The HTTP JSON API under `/api/v1/`, described by `/openapi.json`.

use crate::{as_of, cached, json_response, json_text, read, AppState, HttpError, Params};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use mercato_answers::{self as answers, RumourFilter};
use mercato_extract::ArticleInput;
use mercato_store::{NameKind, NewArticle, Query as StoreQuery, Store};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// The OpenAPI 3.1 description of this API.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Default and largest page sizes.
const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 500;
/// Deepest page offset (search reads every hit up to it).
const MAX_OFFSET: usize = 1_000_000;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/api/v1/players", get(players))
        .route("/api/v1/players/{name}", get(player))
        .route("/api/v1/clubs", get(clubs))
        .route("/api/v1/clubs/{name}", get(club))
        .route("/api/v1/threads", get(threads))
        .route("/api/v1/articles", axum::routing::post(post_articles))
        .route("/api/v1/articles/{id}", get(article))
        .route("/api/v1/sources", get(sources))
        .route("/api/v1/sources/{name}", get(source))
        .route("/api/v1/contradictions", get(contradictions))
        .route("/api/v1/search", get(search))
}

/// The answer for any path nothing serves: JSON under `/api/`, a page elsewhere.
pub async fn not_found(uri: Uri) -> Response {
    if !uri.path().starts_with("/api/") {
        return crate::pages::not_found(uri).await;
    }
    HttpError::not_found(format!("no such resource: {}", uri.path())).into_response()
}

async fn openapi() -> Response {
    json_response(StatusCode::OK, OPENAPI.to_string())
}

/// A page of a list.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: usize,
    pub limit: usize,
    pub offset: usize,
}

/// `limit` and `offset` from the query, checked.
fn paging(params: &HashMap<String, String>) -> Result<(usize, usize), HttpError> {
    let number = |name: &str, default: usize| -> Result<usize, HttpError> {
        match params.get(name) {
            None => Ok(default),
            Some(v) => {
                v.parse::<usize>().map_err(|_| HttpError::bad_request(format!("{name} {v:?} is not a whole number")))
            }
        }
    };
    let limit = number("limit", DEFAULT_LIMIT)?;
    if limit == 0 || limit > MAX_LIMIT {
        return Err(HttpError::bad_request(format!("limit must be between 1 and {MAX_LIMIT}")));
    }
    let offset = number("offset", 0)?;
    if offset > MAX_OFFSET {
        return Err(HttpError::bad_request(format!("offset must be at most {MAX_OFFSET}")));
    }
    Ok((limit, offset))
}

fn page<T: Clone>(all: &[T], limit: usize, offset: usize) -> Page<T> {
    Page { items: all.iter().skip(offset).take(limit).cloned().collect(), total: all.len(), limit, offset }
}

fn ok_json<T: Serialize>(value: &T) -> Result<Response<String>, HttpError> {
    let body =
        serde_json::to_string(value).map_err(|e| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(json_text(StatusCode::OK, body))
}

fn key(uri: &Uri) -> String {
    format!("api {uri}")
}

async fn player(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    Query(params): Params,
    uri: Uri,
) -> Response {
    cached(state, key(&uri), move |state, store| {
        let read = read(&params)?;
        let (limit, offset) = paging(&params)?;
        let report = answers::player(store, &name, &read, &|s| state.tier(s))?
            .ok_or_else(|| HttpError::not_found(format!("no stored claim about a player named {name:?}")))?;
        #[derive(Serialize)]
        struct Out<'a> {
            player: &'a str,
            as_of: &'a Option<String>,
            moves: &'a [mercato_threads::Move],
            threads: &'a [mercato_threads::Thread],
            contradictions: &'a [mercato_threads::Contradiction],
            timeline: Page<mercato_store::LinkRecord>,
        }
        ok_json(&Out {
            player: &report.player,
            as_of: &report.as_of,
            moves: &report.moves,
            threads: &report.threads,
            contradictions: &report.contradictions,
            timeline: page(&report.timeline, limit, offset),
        })
    })
    .await
}

/// Names with their link counts, most named first; `q` keeps those starting with it.
async fn names(state: Arc<AppState>, kind: NameKind, params: HashMap<String, String>, uri: Uri) -> Response {
    cached(state, key(&uri), move |_, store| {
        let read = read(&params)?;
        let (limit, offset) = paging(&params)?;
        let prefix = params.get("q").map(|q| q.trim()).filter(|q| !q.is_empty());
        ok_json(&page(&store.names(kind, prefix, read.as_of.as_deref())?, limit, offset))
    })
    .await
}

async fn players(State(state): State<Arc<AppState>>, Query(params): Params, uri: Uri) -> Response {
    names(state, NameKind::Player, params, uri).await
}

async fn clubs(State(state): State<Arc<AppState>>, Query(params): Params, uri: Uri) -> Response {
    names(state, NameKind::Club, params, uri).await
}

async fn club(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    Query(params): Params,
    uri: Uri,
) -> Response {
    cached(state, key(&uri), move |state, store| {
        let read = read(&params)?;
        let report = answers::club(store, &name, &read, &|s| state.tier(s))?
            .ok_or_else(|| HttpError::not_found(format!("no stored claim about a club named {name:?}")))?;
        ok_json(&report)
    })
    .await
}

async fn threads(State(state): State<Arc<AppState>>, Query(params): Params, uri: Uri) -> Response {
    cached(state, key(&uri), move |state, store| {
        let read = read(&params)?;
        let (limit, offset) = paging(&params)?;
        let min_likelihood =
            match params.get("min_likelihood") {
                None => None,
                Some(v) => Some(v.parse::<f64>().ok().filter(|x| (0.0..=1.0).contains(x)).ok_or_else(|| {
                    HttpError::bad_request(format!("min_likelihood {v:?} is not a number from 0 to 1"))
                })?),
            };
        let filter = RumourFilter {
            since: as_of(params.get("since").map(String::as_str))?,
            min_likelihood,
            all: params.get("all").is_some_and(|v| v == "true" || v == "1"),
        };
        let mut list = answers::rumours(store, &read, &filter, &|s| state.tier(s))?;
        if let Some(p) = params.get("player") {
            let key = mercato_store::player_key(p);
            list.retain(|t| mercato_store::player_key(&t.player) == key);
        }
        if let Some(c) = params.get("club") {
            list.retain(|t| t.club.eq_ignore_ascii_case(c));
        }
        ok_json(&page(&list, limit, offset))
    })
    .await
}

async fn article(State(state): State<Arc<AppState>>, Path(id): Path<String>, uri: Uri) -> Response {
    cached(state, key(&uri), move |_, store| {
        let a = store.article(&id)?.ok_or_else(|| HttpError::not_found(format!("no article {id:?}")))?;
        ok_json(&a)
    })
    .await
}

async fn sources(State(state): State<Arc<AppState>>, Query(params): Params, uri: Uri) -> Response {
    cached(state, key(&uri), move |state, store| {
        let read = read(&params)?;
        let (limit, offset) = paging(&params)?;
        let list = answers::sources(store, &read, &|s| state.tier(s))?;
        ok_json(&page(&list, limit, offset))
    })
    .await
}

async fn source(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    Query(params): Params,
    uri: Uri,
) -> Response {
    cached(state, key(&uri), move |state, store| {
        let read = read(&params)?;
        let record = answers::source(store, &name, &read, &|s| state.tier(s))?
            .ok_or_else(|| HttpError::not_found(format!("no source {name:?} is credited in a rumour thread")))?;
        ok_json(&record)
    })
    .await
}

async fn contradictions(State(state): State<Arc<AppState>>, Query(params): Params, uri: Uri) -> Response {
    cached(state, key(&uri), move |_, store| {
        let read = read(&params)?;
        let (limit, offset) = paging(&params)?;
        ok_json(&page(&answers::contradictions(store, &read)?, limit, offset))
    })
    .await
}

async fn search(State(state): State<Arc<AppState>>, Query(params): Params, uri: Uri) -> Response {
    cached(state, key(&uri), move |_, store| {
        let read = read(&params)?;
        let (limit, offset) = paging(&params)?;
        let words = params
            .get("q")
            .filter(|q| !q.trim().is_empty())
            .ok_or_else(|| HttpError::bad_request("q is required: the words to find"))?;
        let hits = store.search(
            words,
            &StoreQuery { as_of: read.as_of, ..StoreQuery::default() },
            offset.saturating_add(limit),
        )?;
        ok_json(&page(&hits, limit, offset))
    })
    .await
}

/// One article sent to `POST /api/v1/articles`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostedArticle {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Posted {
    One(PostedArticle),
    Many(Vec<PostedArticle>),
}

/// Whether the request carries the configured bearer token.
fn authorised(state: &AppState, headers: &HeaderMap) -> Result<(), HttpError> {
    let Some(token) = &state.config.token else {
        return Err(HttpError::new(
            StatusCode::FORBIDDEN,
            "writes are disabled: start the server with --token (or MERCATO_TOKEN)",
        ));
    };
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    // compare every byte, so the time taken does not tell how much of a guess was right
    let same = given.is_some_and(|g| {
        g.len() == token.len() && g.bytes().zip(token.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    });
    if same {
        Ok(())
    } else {
        Err(HttpError::new(StatusCode::UNAUTHORIZED, "a valid bearer token is required to write"))
    }
}

fn check(k: usize, a: &PostedArticle) -> Result<(), HttpError> {
    let at = |why: &str| HttpError::bad_request(format!("article {k} ({:?}): {why}", a.id));
    if a.id.trim().is_empty() {
        return Err(at("empty id"));
    }
    if a.text.trim().is_empty() {
        return Err(at("empty text"));
    }
    if a.text.contains('\0') {
        return Err(at("text looks binary (NUL bytes)"));
    }
    if let Some(p) = &a.published {
        as_of(Some(p)).map_err(|_| at("published is not a YYYY-MM-DD date"))?;
    }
    Ok(())
}

async fn post_articles(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    if let Err(err) = authorised(&state, &headers) {
        let mut response = err.into_response();
        response.headers_mut().insert("www-authenticate", axum::http::HeaderValue::from_static("Bearer"));
        return response;
    }
    let body = match body {
        Ok(body) => body,
        Err(rejection) => return HttpError::new(rejection.status(), rejection.body_text()).into_response(),
    };
    let posted: Vec<PostedArticle> = match serde_json::from_slice::<Posted>(&body) {
        Ok(Posted::One(a)) => vec![a],
        Ok(Posted::Many(list)) => list,
        Err(err) => {
            return HttpError::bad_request(format!(
                "malformed JSON: {err}; expected {{\"id\", \"text\", \"published\"?, \"url\"?}} or an array of them"
            ))
            .into_response()
        }
    };
    if posted.is_empty() {
        return HttpError::bad_request("no article in the request").into_response();
    }
    if let Some(err) = posted.iter().enumerate().find_map(|(k, a)| check(k, a).err()) {
        return err.into_response();
    }
    // "2024-1-5" is read as 2024-01-05 and stored so
    let posted: Vec<PostedArticle> = posted
        .into_iter()
        .map(|mut a| {
            a.published = a.published.as_deref().and_then(|p| as_of(Some(p)).ok().flatten());
            a
        })
        .collect();
    let result = tokio::task::spawn_blocking(move || -> Result<Response<String>, HttpError> {
        let extractions: Vec<_> = posted
            .iter()
            .map(|a| {
                state.extractor.extract(ArticleInput {
                    id: &a.id,
                    text: &a.text,
                    published: a.published.as_deref(),
                    url: a.url.as_deref(),
                })
            })
            .collect();
        let batch: Vec<NewArticle<'_>> = posted
            .iter()
            .zip(&extractions)
            .map(|(a, x)| NewArticle { id: &a.id, text: &a.text, url: a.url.as_deref(), extraction: x })
            .collect();
        let outcomes = {
            let mut writer = state
                .writer
                .lock()
                .map_err(|_| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, "writer poisoned"))?;
            writer.ingest(&batch)?
        };
        #[derive(Serialize)]
        struct Item<'a> {
            id: &'a str,
            #[serde(flatten)]
            outcome: &'a mercato_store::IngestOutcome,
            links: usize,
        }
        let items: Vec<Item<'_>> = posted
            .iter()
            .zip(&outcomes)
            .zip(&extractions)
            .map(|((a, o), x)| Item { id: &a.id, outcome: o, links: x.links.len() })
            .collect();
        let mut response = ok_json(&serde_json::json!({ "results": items }))?;
        *response.status_mut() = StatusCode::CREATED;
        Ok(response)
    })
    .await;
    match result {
        Ok(Ok(r)) => r.map(axum::body::Body::from),
        Ok(Err(e)) => e.into_response(),
        Err(e) => HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
