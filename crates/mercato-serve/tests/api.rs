//! The API and pages through the router, on a database of self-written articles.
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use mercato_extract::{ArticleInput, Extractor};
use mercato_serve::{router, AppState, Config};
use mercato_store::{NewArticle, SqliteStore, Store};
use std::path::PathBuf;
use tower::ServiceExt;

const ARTICLES: [(&str, &str); 3] = [
    ("a1", " date 2024-01-10 Napoli are interested in Marco Bellandi, according to Diario Gol. The 29-year-old defender has a contract with Sevilla that runs until June 2026."),
    ("a2", " date 2024-01-25 Napoli have agreed personal terms with Marco Bellandi. The defender has a contract with Sevilla that expires in June 2027."),
    ("a3", " date 2024-01-26 Roma are in talks with Sevilla over Marco Bellandi."),
];

struct Db(PathBuf);

impl Drop for Db {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(self.0.parent().unwrap());
    }
}

fn database(name: &str) -> Db {
    let dir = std::env::temp_dir().join(format!("mercato-serve-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("m.db");
    let extractor = Extractor::new(mercato_kb::Kb::starter());
    let extractions: Vec<_> = ARTICLES
        .iter()
        .map(|(id, text)| extractor.extract(ArticleInput { id, text, published: None, url: None }))
        .collect();
    let batch: Vec<NewArticle<'_>> = ARTICLES
        .iter()
        .zip(&extractions)
        .map(|((id, text), x)| NewArticle { id, text, url: None, extraction: x })
        .collect();
    SqliteStore::open(&path.display().to_string()).unwrap().ingest(&batch).unwrap();
    Db(path)
}

fn app(db: &Db, token: Option<&str>, cors: Option<&str>) -> axum::Router {
    let config = Config {
        db: db.0.clone(),
        token: token.map(Into::into),
        cors_origin: cors.map(Into::into),
        body_limit: 64 * 1024,
    };
    router(AppState::new(config, mercato_kb::Kb::starter()).unwrap())
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn call(app: &axum::Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer { status, headers, body: String::from_utf8(bytes.to_vec()).unwrap() }
}

async fn get(app: &axum::Router, uri: &str) -> Answer {
    call(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(app: &axum::Router, token: Option<&str>, body: impl Into<Body>) -> Answer {
    let mut request = Request::post("/api/v1/articles").header("content-type", "application/json");
    if let Some(t) = token {
        request = request.header("authorization", format!("Bearer {t}"));
    }
    call(app, request.body(body.into()).unwrap()).await
}

#[tokio::test]
async fn reads_answer_with_as_of_and_pages() {
    let db = database("reads");
    let app = app(&db, None, None);
    let player = get(&app, "/api/v1/players/marco%20bellandi").await;
    assert_eq!(player.status, StatusCode::OK, "{}", player.body);
    assert_eq!(player.headers["content-type"], "application/json");
    let report = player.json();
    assert_eq!(report["player"], "Marco Bellandi");
    let threads = report["threads"].as_array().unwrap();
    assert!(threads.iter().any(|t| t["club"] == "Napoli" && t["status"] == "advanced"), "{threads:?}");
    // time travel: before the agreement, the Napoli thread is open and Roma unknown
    let before = get(&app, "/api/v1/players/Marco%20Bellandi?as_of=2024-01-20").await.json();
    let clubs: Vec<&str> = before["threads"].as_array().unwrap().iter().map(|t| t["club"].as_str().unwrap()).collect();
    assert_eq!(clubs, vec!["Napoli"]);
    // pagination of a list
    let page = get(&app, "/api/v1/threads?limit=1").await.json();
    assert_eq!((page["items"].as_array().unwrap().len(), page["total"].as_u64()), (1, Some(2)));
    let second = get(&app, "/api/v1/threads?limit=1&offset=1").await.json();
    assert_ne!(page["items"][0]["club"], second["items"][0]["club"]);
    assert_eq!(get(&app, "/api/v1/contradictions").await.json()["total"], 1);
    assert_eq!(get(&app, "/api/v1/search?q=personal%20terms").await.json()["items"][0]["article"], "a2");
    assert_eq!(get(&app, "/api/v1/sources/diario%20gol").await.json()["source"], "Diario Gol");
    assert_eq!(get(&app, "/api/v1/clubs/Napoli").await.json()["incoming"][0]["player"], "Marco Bellandi");
    let players = get(&app, "/api/v1/players?q=marco").await.json();
    assert_eq!(players["items"][0]["name"], "Marco Bellandi");
    assert_eq!(get(&app, "/api/v1/players?q=%25").await.json()["total"], 0);
    let clubs = get(&app, "/api/v1/clubs").await.json();
    assert!(clubs["items"].as_array().unwrap().iter().any(|c| c["name"] == "Roma"), "{clubs}");
}

#[tokio::test]
async fn errors_are_json_with_the_right_status() {
    let db = database("errors");
    let app = app(&db, None, None);
    for (uri, status, words) in [
        ("/api/v1/players/Nobody%20Known", StatusCode::NOT_FOUND, "no stored claim about a player"),
        ("/api/v1/players/Marco%20Bellandi?as_of=2024-02-30", StatusCode::BAD_REQUEST, "YYYY-MM-DD"),
        ("/api/v1/threads?limit=0", StatusCode::BAD_REQUEST, "limit must be"),
        ("/api/v1/threads?min_likelihood=2", StatusCode::BAD_REQUEST, "min_likelihood"),
        ("/api/v1/search", StatusCode::BAD_REQUEST, "q is required"),
        ("/api/v1/articles/nope", StatusCode::NOT_FOUND, "no article"),
        ("/api/v1/unknown", StatusCode::NOT_FOUND, "no such resource"),
    ] {
        let answer = get(&app, uri).await;
        assert_eq!(answer.status, status, "{uri}: {}", answer.body);
        let error = &answer.json()["error"];
        assert_eq!(error["status"], status.as_u16());
        assert!(error["message"].as_str().unwrap().contains(words), "{uri}: {error}");
    }
}

#[tokio::test]
async fn offsets_are_bounded() {
    let db = database("offset");
    let app = app(&db, None, None);
    let huge = get(&app, "/api/v1/search?q=Napoli&offset=18446744073709551615").await;
    assert_eq!(huge.status, StatusCode::BAD_REQUEST, "{}", huge.body);
    let deep = get(&app, "/api/v1/search?q=Napoli&offset=1000").await;
    assert_eq!(deep.status, StatusCode::OK);
    assert!(deep.json()["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn path_parameters_are_never_sql_or_file_paths() {
    let db = database("paths");
    let app = app(&db, None, None);
    let injected = get(&app, "/api/v1/players/x'%3B%20DROP%20TABLE%20links%3B%20--").await;
    assert_eq!(injected.status, StatusCode::NOT_FOUND);
    let traversal = get(&app, "/api/v1/articles/..%2F..%2F..%2Fetc%2Fpasswd").await;
    assert_eq!(traversal.status, StatusCode::NOT_FOUND);
    assert!(!traversal.body.contains("root:"));
    // the links are all still there
    assert_eq!(get(&app, "/api/v1/threads").await.json()["total"], 2);
}

#[tokio::test]
async fn writes_need_the_token_and_a_well_formed_body() {
    let db = database("writes");
    let app = app(&db, Some("s3cret"), None);
    let article =
        r#"{"id": "n1", "text": " date 2024-02-01 Marco Bellandi has completed his move to Napoli from Sevilla."}"#;
    let none = post(&app, None, article).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.headers["www-authenticate"], "Bearer");
    assert_eq!(post(&app, Some("wrong"), article).await.status, StatusCode::UNAUTHORIZED);
    let malformed = post(&app, Some("s3cret"), r#"{"id": "n1", "text": "#).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(malformed.json()["error"]["message"].as_str().unwrap().starts_with("malformed JSON"));
    let unknown_field = post(&app, Some("s3cret"), r#"{"id": "n1", "text": "x", "author": "me"}"#).await;
    assert_eq!(unknown_field.status, StatusCode::BAD_REQUEST);
    let empty = post(&app, Some("s3cret"), r#"{"id": "n1", "text": "  "}"#).await;
    assert!(empty.json()["error"]["message"].as_str().unwrap().contains("empty text"));
    let huge = format!(r#"{{"id": "big", "text": "{}"}}"#, "word ".repeat(20_000));
    assert_eq!(post(&app, Some("s3cret"), huge).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    // a good write is stored, and the cached answers move with it
    let before = get(&app, "/api/v1/players/Marco%20Bellandi").await.json();
    let napoli = |r: &serde_json::Value| {
        r["threads"].as_array().unwrap().iter().find(|t| t["club"] == "Napoli").unwrap()["status"].clone()
    };
    assert_eq!(napoli(&before), "advanced");
    let ok = post(&app, Some("s3cret"), article).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(ok.json()["results"][0]["outcome"], "new");
    let after = get(&app, "/api/v1/players/Marco%20Bellandi").await.json();
    assert_eq!(napoli(&after), "completed");
    // a batch
    let batch = r#"[{"id": "n2", "text": " date 2024-02-02 Roma want Jonas Eriksen."}, {"id": "n1", "text": " date 2024-02-01 Marco Bellandi has completed his move to Napoli from Sevilla."}]"#;
    let outcomes = post(&app, Some("s3cret"), batch).await.json();
    assert_eq!(outcomes["results"][1]["outcome"], "unchanged");
    // a loosely written date is stored in its one form
    let loose = r#"{"id": "d1", "text": "Roma want Jonas Eriksen, says the Daily Planet.", "published": "2024-2-5"}"#;
    assert_eq!(post(&app, Some("s3cret"), loose).await.status, StatusCode::CREATED);
    assert_eq!(get(&app, "/api/v1/articles/d1").await.json()["published"], "2024-02-05");
}

#[tokio::test]
async fn without_a_token_writes_are_off() {
    let db = database("readonly");
    let app = app(&db, None, None);
    let answer = post(&app, Some("anything"), r#"{"id": "n1", "text": "Roma want Rossi."}"#).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(answer.json()["error"]["message"].as_str().unwrap().contains("--token"));
}

#[tokio::test]
async fn cors_is_off_unless_configured() {
    let db = database("cors");
    let request =
        || Request::get("/api/v1/threads").header("origin", "https://example.com").body(Body::empty()).unwrap();
    let off = call(&app(&db, None, None), request()).await;
    assert!(off.headers.get("access-control-allow-origin").is_none());
    let on = call(&app(&db, None, Some("https://example.com")), request()).await;
    assert_eq!(on.headers["access-control-allow-origin"], "https://example.com");
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let db = database("openapi");
    let doc = get(&app(&db, None, None), "/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/v1/players",
        "/api/v1/clubs",
        "/api/v1/players/{name}",
        "/api/v1/clubs/{name}",
        "/api/v1/threads",
        "/api/v1/articles",
        "/api/v1/articles/{id}",
        "/api/v1/sources",
        "/api/v1/sources/{name}",
        "/api/v1/contradictions",
        "/api/v1/search",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is not described");
    }
}

#[tokio::test]
async fn pages_render_and_escape_article_text() {
    let db = database("pages");
    let app = app(&db, Some("t"), None);
    let board = get(&app, "/").await;
    assert_eq!(board.status, StatusCode::OK);
    assert!(board.headers["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(board.body.contains("Marco Bellandi") && board.body.contains("advanced"), "{}", board.body);
    let filtered = get(&app, "/?stage=talks").await;
    assert!(filtered.body.contains("Roma") && !filtered.body.contains(">Napoli<"), "{}", filtered.body);
    let player = get(&app, "/players/Marco%20Bellandi").await;
    assert!(player.body.contains("<svg class=\"timeline\""), "{}", player.body);
    assert!(player.body.contains("effect on log-odds"));
    let hostile = r#"{"id": "x1", "url": "javascript:alert(1)", "text": " date 2024-02-03 Roma want Marco Bellandi <script>document.title='pwned'</script> <img src=x onerror=\"alert(1)\"> says the Daily Planet."}"#;
    assert_eq!(post(&app, Some("t"), hostile).await.status, StatusCode::CREATED);
    let page = get(&app, "/articles/x1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("&lt;script&gt;document.title="), "{}", page.body);
    assert!(!page.body.contains("<script>") && !page.body.contains("<img src=x"), "{}", page.body);
    assert!(!page.body.contains("href=\"javascript:"), "{}", page.body);
    assert!(page.headers["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
    let missing = get(&app, "/players/Nobody").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("No stored claim"));
}
