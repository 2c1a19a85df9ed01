//! End to end in a real headless Chromium, driven through ChromeDriver (WebDriver): the
//! board after ingesting the seeds, the Sergio Ramos page with its threads and timeline
//! chart, and an article whose text carries `<script>` and `<img onerror>` shown as text.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them) and
//! `../shared/seeds`; without them it says so and passes, except under CI (`CI` set),
//! where a missing browser is a failure.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Kills a child process when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("MERCATO_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    dir.join("seeds/seeds.jsonl").is_file().then_some(dir)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A WebDriver session.
struct Browser {
    base: String,
    session: String,
}

impl Browser {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let agent = ureq::Agent::new_with_defaults();
        let mut response = match (method, body) {
            ("POST", body) => agent.post(&url).send_json(body.unwrap_or_else(|| json!({}))).unwrap(),
            ("DELETE", _) => agent.delete(&url).call().unwrap(),
            _ => agent.get(&url).call().unwrap(),
        };
        let v: Value = response.body_mut().read_json().unwrap();
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    fn script(&self, code: &str) -> Value {
        self.call("POST", "/execute/sync", Some(json!({ "script": code, "args": [] })))
    }

    fn click(&self, css: &str) {
        let found = self.call("POST", "/element", Some(json!({ "using": "css selector", "value": css })));
        let id = found.as_object().unwrap().values().next().unwrap().as_str().unwrap().to_string();
        self.call("POST", &format!("/element/{id}/click"), None);
    }
}

#[test]
fn the_board_the_player_page_and_hostile_article_text_in_a_real_browser() {
    let ci = std::env::var_os("CI").is_some();
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        assert!(!ci, "chromium and chromium-driver must be installed under CI (.ci/run installs them)");
        eprintln!("skipping: {CHROMIUM} or {CHROMEDRIVER} not found; the browser test did not run");
        return;
    }
    let Some(shared) = shared() else {
        eprintln!("skipping: ../shared/seeds not found; the browser test did not run");
        return;
    };
    let dir = std::env::temp_dir().join(format!("mercato-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("m.db").display().to_string();
    let kb = shared.join("kb").display().to_string();
    let bin = env!("CARGO_BIN_EXE_mercato");
    let ingest = Command::new(bin)
        .args(["ingest", "--db", &db, "--kb", &kb, &shared.join("seeds/seeds.jsonl").display().to_string()])
        .output()
        .unwrap();
    assert!(ingest.status.success(), "{}", String::from_utf8_lossy(&ingest.stderr));

    // the server, on a port of its choosing, which it prints
    let mut server = Running(
        Command::new(bin)
            .args(["serve", "--db", &db, "--kb", &kb, "--port", "0", "--token", "t0ken"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(server.0.stderr.take().unwrap()).read_line(&mut line).unwrap();
    let origin = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .map(|w| w.trim_end_matches('/').to_string())
        .unwrap_or_else(|| panic!("no address in {line:?}"));

    // hostile article text, written through the API
    let hostile = json!({
        "id": "hostile",
        "text": " date 2025-12-05 Juventus want Sergio Ramos <script>document.title='pwned'</script> \
                 <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"> says the Daily Planet."
    });
    let status = ureq::post(&format!("{origin}/api/v1/articles"))
        .header("Authorization", "Bearer t0ken")
        .send_json(&hostile)
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 201);

    let port = free_port();
    let _driver = Running(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while ureq::get(&format!("{base}/status")).call().is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let profile = dir.join("profile").display().to_string();
    let capabilities = json!({ "capabilities": { "alwaysMatch": { "browserName": "chrome", "goog:chromeOptions": {
        "binary": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1200,1600", format!("--user-data-dir={profile}")]
    } } } });
    let mut created = ureq::post(&format!("{base}/session")).send_json(&capabilities).unwrap();
    let created: Value = created.body_mut().read_json().unwrap();
    let session = created["value"]["sessionId"].as_str().unwrap().to_string();
    let browser = Browser { base, session };

    // the board lists the 2025 threads and links to the player
    browser.go(&format!("{origin}/"));
    let board = browser.script("return document.querySelector('main').innerText;");
    assert!(board.as_str().unwrap().contains("Sergio Ramos"), "{board}");
    browser.click("a[href^='/players/Sergio']");
    let title = browser.script("return document.querySelector('h1').innerText;");
    assert_eq!(title, "Sergio Ramos");
    let threads = browser.script("return document.querySelectorAll('section.thread').length;");
    assert!(threads.as_u64().unwrap() >= 8, "{threads}");
    // statuses are words, not only colours
    let statuses =
        browser.script("return Array.from(document.querySelectorAll('.status')).map(e => e.innerText).join(' ');");
    assert!(
        statuses.as_str().unwrap().contains("superseded") && statuses.as_str().unwrap().contains("open"),
        "{statuses}"
    );
    // the chart rendered: markers laid out with a real size
    let markers = browser.script(
        "return Array.from(document.querySelectorAll('svg.timeline g.claim')).filter(g => g.getBBox().width > 0).length;",
    );
    assert!(markers.as_u64().unwrap() >= 10, "{markers}");

    // the hostile article: its markup is text, nothing ran
    browser.go(&format!("{origin}/articles/hostile"));
    let text = browser.script("return document.querySelector('pre.article').innerText;");
    assert!(text.as_str().unwrap().contains("<script>document.title='pwned'</script>"), "{text}");
    assert!(text.as_str().unwrap().contains("<img src=x onerror="), "{text}");
    assert_ne!(browser.script("return document.title;"), "pwned");
    assert_eq!(browser.script("return document.body.getAttribute('data-pwned');"), Value::Null);
    assert_eq!(browser.script("return document.querySelectorAll('main script, main img').length;"), 0);
    browser.call("DELETE", "", None);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
