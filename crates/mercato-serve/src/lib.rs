//! # mercato-serve: the *serve* stage
//!
//! One axum router for the HTTP JSON API and the web pages, over the store:
//!
//! * `/api/v1/...`: players, clubs, threads, articles, sources, contradictions, search,
//!   each read with `as_of` and list endpoints paginated (`limit`, `offset`); errors are
//!   JSON `{"error": {"status", "message"}}` with the right status code;
//!   `POST /api/v1/articles` ingests one article or a batch and needs the bearer token
//!   given at start-up (reads are open, writes are not); described by `/openapi.json`
//!   ([`api`]);
//! * `/`, `/players/{name}`, `/clubs/{name}`, `/sources/{name}`, `/articles/{id}`: the
//!   rumour board and the pages behind it, rendered on the server with every piece of
//!   article text escaped ([`pages`], [`chart`]).
//!
//! Reads run on tokio's blocking threads, each on a pooled SQLite connection. Answers are
//! cached in memory per request and dropped as soon as the store's generation moves (any
//! write), so a cached answer is always the answer. Path parameters are only ever bound
//! as SQL parameters, never joined into SQL strings or file paths.

pub mod api;
pub mod chart;
pub mod pages;

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use mercato_extract::Extractor;
use mercato_kb::Kb;
use mercato_store::{SqliteStore, Store, StoreError};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The SQLite database (it must exist).
    pub db: PathBuf,
    /// Bearer token that `POST /api/v1/articles` requires; without one, writes are refused.
    pub token: Option<String>,
    /// Origin allowed by CORS; CORS is off without one.
    pub cors_origin: Option<String>,
    /// Largest request body accepted, in bytes (413 beyond).
    pub body_limit: usize,
}

/// What can go wrong serving.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("the database {0} does not exist; create it with `mercato ingest`")]
    NoDatabase(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Shared by every request.
pub struct AppState {
    config: Config,
    /// Extraction for `POST /api/v1/articles`; its KB gives source tiers and club leagues.
    extractor: Extractor,
    /// Idle read connections.
    readers: Mutex<Vec<SqliteStore>>,
    /// The one connection that writes.
    writer: Mutex<SqliteStore>,
    /// Answers by request, with the generation they were computed at.
    cache: Mutex<Answers>,
}

/// Cached answers by request key, each with the store generation it was computed at.
type Answers = HashMap<String, (u64, Arc<Response<String>>)>;

/// Most answers kept in memory.
const CACHE_ENTRIES: usize = 4096;

impl AppState {
    /// Opens the database (which must exist) for a server with this KB.
    pub fn new(config: Config, kb: Kb) -> Result<Arc<AppState>, ServeError> {
        if !config.db.is_file() {
            return Err(ServeError::NoDatabase(config.db.display().to_string()));
        }
        let mut writer = SqliteStore::open(&config.db.display().to_string())?;
        // writes keep each changed player's contradictions for the player report
        writer.set_fact_finder(mercato_answers::fact_finder());
        let extractor = Extractor::new(kb);
        Ok(Arc::new(AppState {
            config,
            extractor,
            readers: Mutex::new(Vec::new()),
            writer: Mutex::new(writer),
            cache: Mutex::new(HashMap::new()),
        }))
    }

    /// A source's KB tier.
    pub fn tier(&self, name: &str) -> Option<u8> {
        self.extractor.kb().source_tier(name)
    }

    /// The league of a club, from the KB.
    pub fn league(&self, club: &str) -> Option<&str> {
        self.extractor.kb().club_league(club)
    }

    /// Runs `f` on a pooled read connection.
    fn with_reader<T>(&self, f: impl FnOnce(&SqliteStore) -> T) -> Result<T, StoreError> {
        let store = match self.readers.lock().ok().and_then(|mut idle| idle.pop()) {
            Some(store) => store,
            None => SqliteStore::open(&self.config.db.display().to_string())?,
        };
        let out = f(&store);
        if let Ok(mut idle) = self.readers.lock() {
            idle.push(store);
        }
        Ok(out)
    }
}

/// An error answer: JSON for the API, a short page for people.
#[derive(Debug)]
pub struct HttpError {
    pub status: StatusCode,
    pub message: String,
}

impl HttpError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> HttpError {
        HttpError { status, message: message.into() }
    }

    pub fn not_found(message: impl Into<String>) -> HttpError {
        HttpError::new(StatusCode::NOT_FOUND, message)
    }

    pub fn bad_request(message: impl Into<String>) -> HttpError {
        HttpError::new(StatusCode::BAD_REQUEST, message)
    }

    fn internal(err: impl std::fmt::Display) -> HttpError {
        HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("internal error: {err}"))
    }

    /// The JSON body of the error.
    pub fn json(&self) -> Response {
        let body = serde_json::json!({ "error": { "status": self.status.as_u16(), "message": self.message } });
        json_response(self.status, body.to_string())
    }
}

impl From<StoreError> for HttpError {
    fn from(err: StoreError) -> HttpError {
        HttpError::internal(err)
    }
}

impl From<mercato_answers::AnswerError> for HttpError {
    fn from(err: mercato_answers::AnswerError) -> HttpError {
        HttpError::internal(err)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        self.json()
    }
}

/// A JSON response with its content type.
pub fn json_response(status: StatusCode, body: String) -> Response {
    json_text(status, body).map(axum::body::Body::from)
}

/// A JSON body with its status and content type, before it becomes a response body.
pub(crate) fn json_text(status: StatusCode, body: String) -> Response<String> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    response
}

/// Answers a read from the cache, or computes it on a blocking thread with a pooled
/// connection and keeps it for as long as the store does not change.
pub(crate) async fn cached(
    state: Arc<AppState>,
    key: String,
    compute: impl FnOnce(&AppState, &SqliteStore) -> Result<Response<String>, HttpError> + Send + 'static,
) -> Response {
    let result = tokio::task::spawn_blocking(move || -> Result<Response<String>, HttpError> {
        let state_ref = &state;
        state_ref.with_reader(|store| {
            let generation = store.generation()?;
            if let Some((g, hit)) = state_ref.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
                if g == generation {
                    return Ok(clone_response(&hit));
                }
            }
            let response = compute(state_ref, store)?;
            if response.status().is_success() {
                if let Ok(mut cache) = state_ref.cache.lock() {
                    if cache.len() >= CACHE_ENTRIES {
                        cache.retain(|_, (g, _)| *g == generation);
                        if cache.len() >= CACHE_ENTRIES {
                            cache.clear();
                        }
                    }
                    cache.insert(key, (generation, Arc::new(clone_response(&response))));
                }
            }
            Ok(response)
        })?
    })
    .await;
    match result {
        Ok(Ok(response)) => response.map(axum::body::Body::from),
        Ok(Err(err)) => err.into_response(),
        Err(join) => HttpError::internal(join).into_response(),
    }
}

fn clone_response(r: &Response<String>) -> Response<String> {
    let mut out = Response::new(r.body().clone());
    *out.status_mut() = r.status();
    *out.headers_mut() = r.headers().clone();
    out
}

/// The whole application.
pub fn router(state: Arc<AppState>) -> Router {
    let mut app = Router::new().merge(api::routes()).merge(pages::routes()).fallback(api::not_found);
    if let Some(origin) = &state.config.cors_origin {
        if let Ok(origin) = origin.parse::<HeaderValue>() {
            app = app.layer(
                tower_http::cors::CorsLayer::new()
                    .allow_origin(origin)
                    .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
                    .allow_headers([axum::http::header::AUTHORIZATION, axum::http::header::CONTENT_TYPE]),
            );
        }
    }
    app.layer(axum::extract::DefaultBodyLimit::max(state.config.body_limit)).with_state(state)
}

/// Query parameters, as the handlers take them.
pub(crate) type Params = axum::extract::Query<HashMap<String, String>>;

/// The day a request reads on (its `as_of` parameter).
pub(crate) fn read(params: &HashMap<String, String>) -> Result<mercato_answers::Read, HttpError> {
    Ok(mercato_answers::Read { as_of: as_of(params.get("as_of").map(String::as_str))? })
}

/// A `YYYY-MM-DD` query parameter, checked.
pub(crate) fn as_of(value: Option<&str>) -> Result<Option<String>, HttpError> {
    match value {
        None | Some("") => Ok(None),
        Some(v) => chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(|d| Some(d.to_string()))
            .map_err(|_| HttpError::bad_request(format!("as_of {v:?} is not a date; write it as YYYY-MM-DD"))),
    }
}
