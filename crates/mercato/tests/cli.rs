//! End-to-end tests of the `mercato` binary. Every article text here is invented.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("mercato-cli-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Run {
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

/// The binary, run from `cwd` with no KB configured (so the built-in starter KB is used
/// unless a test passes `--kb`).
fn mercato(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mercato"));
    cmd.current_dir(cwd).env_remove("MERCATO_KB");
    cmd
}

fn run(cwd: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = mercato(cwd)
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        // The binary may exit (say, on a usage error) before reading its input.
        if let Err(err) = pipe.write_all(input) {
            assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe, "{err}");
        }
    }
    let out = child.wait_with_output().unwrap();
    Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code(),
    }
}

fn ids(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            value["id"].as_str().unwrap().to_string()
        })
        .collect()
}

fn jsonl_line(id: &str, text: &str) -> String {
    serde_json::json!({ "id": id, "text": text }).to_string() + "\n"
}

/// The number on the `name` line of `mercato kb stats` output.
fn stat(stdout: &str, name: &str) -> usize {
    stdout.lines().find_map(|l| l.strip_prefix(name)).map(|n| n.trim().parse().unwrap()).unwrap()
}

fn repo_kb() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../kb")
}

#[test]
fn bad_jsonl_lines_are_reported_by_file_and_line_and_the_rest_goes_on() {
    let dir = TempDir::new("mixed");
    let mut input = Vec::new();
    input.extend_from_slice(jsonl_line("good1", "Rossi joined Roma.").as_bytes());
    input.extend_from_slice(b"{\"id\": \"broken\", \"text\": \n");
    input.extend_from_slice(b"{\"id\":\"latin1\",\"text\":\"Bianchi \xe9 partito.\"}\n");
    input.extend_from_slice(jsonl_line("blank", "   ").as_bytes());
    input.extend_from_slice(
        b"{\"id\":\"good2\",\"text\":\"Verdi may leave Lazio in the summer.\",\"published\":\"2024-01-02\"}\n",
    );
    let path = dir.write("mixed.jsonl", &input);

    let got = run(dir.path(), &["extract", &path], None);
    assert_eq!(ids(&got.stdout), ["good1", "good2"]);
    let errors: Vec<&str> = got.stderr.lines().collect();
    assert_eq!(errors.len(), 3, "{}", got.stderr);
    assert!(errors[0].starts_with("mercato: ") && errors[0].contains("mixed.jsonl:2: malformed JSON"), "{}", errors[0]);
    assert!(errors[1].contains("mixed.jsonl:3: invalid UTF-8"), "{}", errors[1]);
    assert!(errors[2].contains("mixed.jsonl:4: empty"), "{}", errors[2]);
    assert_eq!(got.code, Some(1));
}

#[test]
fn a_missing_path_is_a_clear_error_and_other_inputs_go_on() {
    let dir = TempDir::new("missing");
    let good = dir.write("good.txt", "Rossi joined Roma.");
    let missing = dir.path().join("nowhere.jsonl").display().to_string();

    let got = run(dir.path(), &["extract", &missing, &good], None);
    assert_eq!(got.stderr.trim(), format!("mercato: {missing}: no such file or directory"));
    assert_eq!(ids(&got.stdout), ["good"]);
    assert_eq!(got.code, Some(1));
}

#[test]
fn a_binary_txt_file_is_refused_clearly() {
    let dir = TempDir::new("binary");
    let path = dir.write("blob.txt", b"Rossi\0\0\x01\x02 joined\0Roma");

    let got = run(dir.path(), &["extract", &path], None);
    assert_eq!(got.stdout, "");
    assert!(got.stderr.contains("blob.txt") && got.stderr.contains("looks binary"), "{}", got.stderr);
    assert_eq!(got.code, Some(1));
}

#[test]
fn a_directory_of_txt_files_gives_one_output_per_file_named_by_stem() {
    let dir = TempDir::new("dir");
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    std::fs::write(articles.join("beta.txt"), "Bianchi signed for Lazio.").unwrap();
    std::fs::write(articles.join("alpha.txt"), "Rossi joined Roma.").unwrap();
    std::fs::write(articles.join("gamma.txt"), "Verdi stays at Napoli.").unwrap();
    std::fs::write(articles.join("notes.md"), "not an article").unwrap();

    let got = run(dir.path(), &["extract", "articles"], None);
    assert_eq!(ids(&got.stdout), ["alpha", "beta", "gamma"]);
    assert_eq!(got.stderr, "");
    assert_eq!(got.code, Some(0));
}

#[test]
fn plain_text_on_stdin_is_one_article_with_id_stdin() {
    let dir = TempDir::new("stdin");
    let got = run(dir.path(), &["extract"], Some("Rossi joined Roma.\nHe is 24.\n".as_bytes()));
    assert_eq!(ids(&got.stdout), ["stdin"]);
    assert_eq!(got.code, Some(0));

    let got = run(dir.path(), &["extract", "-"], Some(jsonl_line("s1", "Rossi joined Roma.").as_bytes()));
    assert_eq!(ids(&got.stdout), ["s1"]);
}

#[test]
fn an_over_limit_article_is_refused_and_the_others_go_on() {
    let dir = TempDir::new("limit");
    let big = "Rossi joined Roma. ".repeat(100);
    let mut input = jsonl_line("small1", "Rossi joined Roma.");
    input += &jsonl_line("big", &big);
    input += &jsonl_line("small2", "Bianchi signed for Lazio.");
    let corpus = dir.write("corpus.jsonl", input);
    let big_txt = dir.write("big.txt", &big);

    let got = run(dir.path(), &["extract", "--max-article-bytes", "1000", &corpus, &big_txt], None);
    assert_eq!(ids(&got.stdout), ["small1", "small2"]);
    let errors: Vec<&str> = got.stderr.lines().collect();
    assert_eq!(errors.len(), 2, "{}", got.stderr);
    assert!(
        errors[0].contains("corpus.jsonl:2") && errors[0].contains("over the limit of 1000 bytes"),
        "{}",
        errors[0]
    );
    assert!(errors[1].contains("big.txt") && errors[1].contains("over the limit of 1000 bytes"), "{}", errors[1]);
    assert_eq!(got.code, Some(1));
}

#[test]
fn output_keeps_input_order_across_chunks_and_thread_counts() {
    let dir = TempDir::new("order");
    let expected: Vec<String> = (0..700).map(|i| format!("a{i:04}")).collect();
    let input: String = expected.iter().map(|id| jsonl_line(id, &format!("Player {id} joined Roma."))).collect();
    let corpus = dir.write("many.jsonl", input);

    for threads in ["1", "3"] {
        let got = run(dir.path(), &["extract", "--threads", threads, &corpus], None);
        assert_eq!(ids(&got.stdout), expected, "threads {threads}");
        assert_eq!(got.code, Some(0));
    }
}

#[test]
fn json_format_is_one_valid_array_and_pretty_names_each_article() {
    let dir = TempDir::new("formats");
    let corpus =
        dir.write("c.jsonl", jsonl_line("one", "Rossi joined Roma.") + &jsonl_line("two", "Bianchi signed for Lazio."));

    let got = run(dir.path(), &["extract", "--format", "json", &corpus], None);
    let array: serde_json::Value = serde_json::from_str(&got.stdout).unwrap();
    let got_ids: Vec<&str> = array.as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(got_ids, ["one", "two"]);

    let empty = dir.write("empty.jsonl", "");
    let got = run(dir.path(), &["extract", "--format", "json", &empty], None);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&got.stdout).unwrap(), serde_json::json!([]));

    let got = run(dir.path(), &["extract", "--format", "pretty", &corpus], None);
    assert!(got.stdout.lines().any(|l| l.starts_with("one  ")), "{}", got.stdout);
    assert!(got.stdout.lines().any(|l| l.starts_with("two  ")), "{}", got.stdout);
    assert_eq!(got.code, Some(0));
}

#[test]
fn usage_errors_exit_2_and_help_teaches_with_examples() {
    let dir = TempDir::new("usage");
    assert_eq!(run(dir.path(), &["extract", "--format", "xml"], None).code, Some(2));
    assert_eq!(run(dir.path(), &["frobnicate"], None).code, Some(2));
    assert_eq!(run(dir.path(), &[], None).code, Some(2));

    let help = run(dir.path(), &["--help"], None);
    assert_eq!(help.code, Some(0));
    for needle in ["extract", "kb", "Examples", "--format pretty", "score.py"] {
        assert!(help.stdout.contains(needle), "--help lacks {needle:?}");
    }
    let help = run(dir.path(), &["extract", "--help"], None);
    for needle in ["--format", "--kb", "--max-article-bytes", "--threads", "MERCATO_KB"] {
        assert!(help.stdout.contains(needle), "extract --help lacks {needle:?}");
    }
}

#[test]
fn kb_check_passes_the_repository_kb() {
    let dir = TempDir::new("kbcheck");
    let kb = repo_kb().display().to_string();
    let got = run(dir.path(), &["kb", "check", &kb], None);
    assert_eq!(got.code, Some(0), "{}{}", got.stdout, got.stderr);
    let summary = got.stdout.lines().last().unwrap();
    assert!(summary.contains("clubs.tsv") && summary.contains("0 problem(s)"), "{summary}");
}

#[test]
fn kb_check_names_the_line_of_a_malformed_row() {
    let dir = TempDir::new("kbbad");
    dir.write("sources.tsv", "name\tkind\taliases\ttier\nDaily Planet\toutlet\tPlanet\t2\nBugle\toutlet\n");
    let got = run(dir.path(), &["kb", "check", "."], None);
    assert_eq!(got.code, Some(1));
    assert!(got.stdout.lines().any(|l| l.contains("sources.tsv:3:")), "{}", got.stdout);
    assert!(got.stdout.lines().last().unwrap().contains("1 problem(s)"), "{}", got.stdout);

    let got = run(dir.path(), &["kb", "check", "no-such-dir"], None);
    assert_eq!(got.code, Some(1));
    assert!(got.stderr.contains("no-such-dir"), "{}", got.stderr);
}

#[test]
fn kb_stats_counts_the_starter_kb() {
    let dir = TempDir::new("kbstats");
    let got = run(dir.path(), &["kb", "stats"], None);
    assert_eq!(got.code, Some(0), "{}", got.stderr);
    assert!(stat(&got.stdout, "clubs") > 0, "{}", got.stdout);
    assert!(got.stdout.contains("load_ms"), "{}", got.stdout);
}

#[test]
fn kb_stats_counts_a_kb_directory() {
    let dir = TempDir::new("kbstatsdir");
    let kb = repo_kb().display().to_string();
    let got = run(dir.path(), &["kb", "stats", "--kb", &kb], None);
    assert_eq!(got.code, Some(0), "{}", got.stderr);
    assert!(stat(&got.stdout, "clubs") > 0, "{}", got.stdout);
    assert!(stat(&got.stdout, "names") > 0, "{}", got.stdout);
}

#[test]
fn a_missing_kb_directory_is_a_clear_error() {
    let dir = TempDir::new("kbmissing");
    let got = run(dir.path(), &["extract", "--kb", "no-such-kb"], Some(b"Rossi joined Roma."));
    assert_eq!(got.code, Some(1));
    assert!(got.stderr.contains("knowledge base") && got.stderr.contains("no-such-kb"), "{}", got.stderr);
}

#[test]
fn a_closed_stdout_pipe_stops_quietly() {
    let dir = TempDir::new("pipe");
    let input: String = (0..5000).map(|i| jsonl_line(&format!("p{i}"), "Rossi joined Roma. Bianchi stays.")).collect();
    let corpus = dir.write("big.jsonl", input);

    let mut child = mercato(dir.path())
        .args(["extract", &corpus])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    {
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut first).unwrap();
    } // dropping the reader closes the pipe
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(first.contains("\"p0\""), "{first}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr, "");
    assert_eq!(out.status.code(), Some(0));
}

/// Three invented articles about one move, in a temp dir: interest, agreement, done.
fn story(dir: &TempDir) {
    dir.write(
        "a1.txt",
        " date 2024-01-10 Napoli are interested in Marco Bellandi, according to Diario Gol. The 29-year-old defender has a contract with Sevilla that runs until June 2026.",
    );
    dir.write(
        "a2.txt",
        " date 2024-01-25 Napoli have agreed personal terms with Marco Bellandi. The defender has a contract with Sevilla that expires in June 2027.",
    );
    dir.write("a3.txt", " date 2024-02-01 Marco Bellandi has completed his move to Napoli from Sevilla.");
}

#[test]
fn ingest_is_idempotent_and_says_what_it_did() {
    let dir = TempDir::new("ingest");
    story(&dir);
    let first = run(dir.path(), &["ingest", "a1.txt", "a2.txt", "a3.txt"], None);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert!(first.stderr.contains("3 new, 0 unchanged"), "{}", first.stderr);
    assert!(dir.path().join("mercato.db").exists());
    let again = run(dir.path(), &["ingest", "a1.txt", "a2.txt", "a3.txt"], None);
    assert!(again.stderr.contains("0 new, 3 unchanged"), "{}", again.stderr);
}

#[test]
fn a_player_thread_resolves_and_time_travel_hides_the_future() {
    let dir = TempDir::new("player");
    story(&dir);
    assert_eq!(run(dir.path(), &["ingest", "."], None).code, Some(0));
    let now = run(dir.path(), &["player", "marco bellandi", "--json"], None);
    assert_eq!(now.code, Some(0), "{}", now.stderr);
    let report: serde_json::Value = serde_json::from_str(&now.stdout).unwrap();
    let napoli = report["threads"].as_array().unwrap().iter().find(|t| t["club"] == "Napoli").unwrap();
    assert_eq!(napoli["status"], "completed");
    assert_eq!(napoli["likelihood"]["value"], 1.0);
    let before = run(dir.path(), &["player", "Marco Bellandi", "--as-of", "2024-01-26", "--json"], None);
    let report: serde_json::Value = serde_json::from_str(&before.stdout).unwrap();
    let napoli = report["threads"].as_array().unwrap().iter().find(|t| t["club"] == "Napoli").unwrap();
    assert_eq!(napoli["status"], "advanced", "{napoli}");
    assert_eq!(napoli["independent_reports"], 2);
    // the human table names the thread and its status
    let table = run(dir.path(), &["player", "Marco Bellandi", "--as-of", "2024-01-26"], None);
    assert!(table.stdout.lines().any(|l| l.contains("advanced") && l.contains("Napoli")), "{}", table.stdout);
}

#[test]
fn a_club_named_between_two_naming_another_is_a_current_club_contradiction() {
    let dir = TempDir::new("current");
    dir.write("c1.txt", " date 2025-03-01 Juventus are monitoring Napoli defender Marco Bellandi.");
    dir.write("c2.txt", " date 2025-03-10 Arsenal have asked about Lazio's Marco Bellandi.");
    dir.write("c3.txt", " date 2025-03-20 Chelsea are keen on Napoli defender Marco Bellandi.");
    // a fourth article after the others: Lazio from then on is a move, not a contradiction
    dir.write("c4.txt", " date 2025-09-01 Lazio defender Marco Bellandi is wanted by Roma.");
    assert_eq!(run(dir.path(), &["ingest", "."], None).code, Some(0));
    let c = run(dir.path(), &["contradictions", "--json"], None);
    let list: serde_json::Value = serde_json::from_str(&c.stdout).unwrap();
    let found: Vec<Vec<(String, String)>> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["attribute"] == "current_club")
        .map(|c| {
            c["sides"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| (s["value"].as_str().unwrap().to_string(), s["published"].as_str().unwrap().to_string()))
                .collect()
        })
        .collect();
    let side = |club: &str, day: &str| (club.to_string(), day.to_string());
    assert_eq!(found, vec![vec![side("Napoli", "2025-03-01"), side("Lazio", "2025-03-10")]], "{}", c.stdout);
}

#[test]
fn contradictions_search_and_article_read_the_store() {
    let dir = TempDir::new("reads");
    story(&dir);
    assert_eq!(run(dir.path(), &["ingest", "."], None).code, Some(0));
    let c = run(dir.path(), &["contradictions", "--json"], None);
    let list: serde_json::Value = serde_json::from_str(&c.stdout).unwrap();
    let expiry = list.as_array().unwrap().iter().find(|c| c["attribute"] == "contract_expiry").unwrap();
    let values: Vec<&str> = expiry["sides"].as_array().unwrap().iter().map(|s| s["value"].as_str().unwrap()).collect();
    assert_eq!(values, vec!["2026-06", "2027-06"]);
    let hits = run(dir.path(), &["search", "personal terms"], None);
    assert!(hits.stdout.starts_with("a2 "), "{}", hits.stdout);
    let article = run(dir.path(), &["article", "a3"], None);
    assert!(article.stdout.contains("done   Marco Bellandi → Napoli"), "{}", article.stdout);
}

#[test]
fn unknown_names_and_bad_dates_are_clear_errors() {
    let dir = TempDir::new("errors");
    story(&dir);
    assert_eq!(run(dir.path(), &["ingest", "."], None).code, Some(0));
    let nobody = run(dir.path(), &["player", "Nobody Known"], None);
    assert_eq!(nobody.code, Some(1));
    assert!(nobody.stderr.contains("no stored claim about a player named \"Nobody Known\""), "{}", nobody.stderr);
    let bad = run(dir.path(), &["rumours", "--as-of", "2024-02-30"], None);
    assert_eq!(bad.code, Some(2));
    assert!(bad.stderr.contains("write it as YYYY-MM-DD"), "{}", bad.stderr);
    let newer = run(dir.path(), &["article", "a1", "--db", "missing-dir/x.db"], None);
    assert_eq!(newer.code, Some(1));
    assert!(newer.stderr.contains("cannot open the database missing-dir/x.db"), "{}", newer.stderr);
}

/// `../shared` beside the repository (or `$MERCATO_SHARED`), when it is there.
fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("MERCATO_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    dir.join("seeds/seeds.jsonl").is_file().then_some(dir)
}

#[test]
fn the_seeds_tell_their_story_end_to_end() {
    let Some(shared) = shared() else {
        eprintln!("skipping: ../shared/seeds not found; the seeds story did not run");
        return;
    };
    let dir = TempDir::new("seeds");
    let kb = shared.join("kb").display().to_string();
    let seeds = shared.join("seeds/seeds.jsonl").display().to_string();
    let ingest = run(dir.path(), &["ingest", "--kb", &kb, &seeds], None);
    assert_eq!(ingest.code, Some(0), "{}", ingest.stderr);
    let out = run(dir.path(), &["player", "Sergio Ramos", "--json"], None);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let threads = report["threads"].as_array().unwrap();
    let status = |club: &str, year: &str| -> String {
        threads
            .iter()
            .find(|t| t["club"] == club && t["first"].as_str().unwrap().starts_with(year))
            .map(|t| t["status"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no {year} thread for {club}: {threads:?}"))
    };
    // 2021: PSG happened, so the Juventus and Liverpool rumours were superseded
    assert_eq!(status("Paris Saint-Germain", "2021"), "completed");
    assert_eq!(status("Juventus", "2021"), "superseded");
    assert_eq!(status("Liverpool", "2021"), "superseded");
    let juventus_2021 = threads.iter().find(|t| t["club"] == "Juventus" && t["first"] == "2021-01-13").unwrap();
    assert!(juventus_2021["sources"].as_array().unwrap().iter().any(|s| s == "Diario Gol"), "{juventus_2021}");
    // 2025: the new rumours are open
    for club in ["Juventus", "Roma", "Bayer Leverkusen", "Marseille", "Real Madrid"] {
        assert_eq!(status(club, "2025"), "open", "{club}");
    }
    // the contract-expiry disagreement between the articles
    let c = report["contradictions"].as_array().unwrap();
    assert!(c.iter().any(|c| c["attribute"] == "contract_expiry" && c["club"] == "Monterrey"), "{c:?}");
    // the live 2025 threads come first, each with its likelihood's components
    let live: Vec<&serde_json::Value> = threads.iter().take_while(|t| t["status"] == "open").collect();
    assert_eq!(live.len(), 5, "{threads:?}");
    assert!(live.iter().all(|t| t["likelihood"]["components"].as_array().unwrap().len() >= 8));
    // the Juventus report of 2021 is a miss for Diario Gol, and the source table shows it
    let sources = run(dir.path(), &["sources", "--kb", &kb, "--json"], None);
    let table: serde_json::Value = serde_json::from_str(&sources.stdout).unwrap();
    let diario = table.as_array().unwrap().iter().find(|r| r["source"] == "Diario Gol").unwrap();
    assert!(diario["misses"].as_u64().unwrap() >= 1, "{diario}");
    assert!(diario["credibility"].as_f64().unwrap() < diario["prior"].as_f64().unwrap() + 0.1, "{diario}");
    // before any article told of the PSG move, the report was still open: no miss yet
    let then = run(dir.path(), &["sources", "--kb", &kb, "--json", "--as-of", "2024-01-01"], None);
    let table: serde_json::Value = serde_json::from_str(&then.stdout).unwrap();
    let diario = table.as_array().unwrap().iter().find(|r| r["source"] == "Diario Gol").unwrap();
    assert_eq!((diario["misses"].as_u64(), diario["hits"].as_u64()), (Some(0), Some(0)), "{diario}");
    assert!(diario["open"].as_u64().unwrap() >= 1, "{diario}");
}

/// Invented completed transfers in the user layout.
const TRANSFERS_CSV: &str = "player,from_club,to_club,date,loan\nMarco Bellandi,Sevilla,Roma,2024-07-15,false\n";

#[test]
fn imported_transfers_resolve_threads_and_join_the_career() {
    let dir = TempDir::new("transfers");
    dir.write(
        "a1.txt",
        " date 2024-06-01 Roma are in talks with Sevilla over Marco Bellandi, according to Diario Gol.",
    );
    dir.write("a2.txt", " date 2024-06-03 Napoli have made an offer for Marco Bellandi.");
    dir.write("moves.csv", TRANSFERS_CSV);
    assert_eq!(run(dir.path(), &["ingest", "."], None).code, Some(0));
    let import = run(dir.path(), &["transfers", "import", "moves.csv"], None);
    assert_eq!(import.code, Some(0), "{}", import.stderr);
    assert!(import.stderr.contains("1 new transfer(s)"), "{}", import.stderr);
    let again = run(dir.path(), &["transfers", "import", "moves.csv"], None);
    assert!(again.stderr.contains("0 new transfer(s)"), "{}", again.stderr);
    let report: serde_json::Value =
        serde_json::from_str(&run(dir.path(), &["player", "Marco Bellandi", "--json"], None).stdout).unwrap();
    let status = |club: &str| {
        report["threads"].as_array().unwrap().iter().find(|t| t["club"] == club).unwrap()["status"].clone()
    };
    assert_eq!(status("Roma"), "completed");
    assert_eq!(status("Napoli"), "superseded");
    assert!(report["moves"].as_array().unwrap().iter().any(|m| m["kind"] == "record" && m["club"] == "Roma"));
    // before the move was known, both were live
    let before: serde_json::Value = serde_json::from_str(
        &run(dir.path(), &["player", "Marco Bellandi", "--as-of", "2024-06-10", "--json"], None).stdout,
    )
    .unwrap();
    assert!(before["threads"].as_array().unwrap().iter().all(|t| t["status"] == "open"), "{before}");
    // a file without a time column is refused with the reason
    dir.write("bad.csv", "player,from_club,to_club\nA,B,C\n");
    let bad = run(dir.path(), &["transfers", "import", "bad.csv"], None);
    assert_eq!(bad.code, Some(1));
    assert!(bad.stderr.contains("window and year, or date"), "{}", bad.stderr);
}

#[test]
fn forecast_writes_a_line_per_rumour_and_evaluates_against_outcomes() {
    let dir = TempDir::new("forecast");
    let corpus = [
        jsonl_line("f1", " date 2024-06-01 Roma are in talks with Sevilla over Marco Bellandi."),
        jsonl_line("f2", " date 2024-06-02 Napoli are interested in Jonas Eriksen, according to Diario Gol."),
        jsonl_line("f3", " date 2024-06-20 Roma have agreed a fee with Sevilla for Marco Bellandi."),
    ]
    .concat();
    dir.write("c.jsonl", &corpus);
    let out = run(dir.path(), &["forecast", "c.jsonl"], None);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines: Vec<serde_json::Value> = out.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    for l in &lines {
        let p = l["likelihood"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p));
        assert!(l["components"].as_array().unwrap().iter().any(|c| c["name"] == "stage"));
    }
    // the second Roma report is corroborated by the first
    let roma = |id: &str| lines.iter().find(|l| l["id"] == id).unwrap()["evidence"]["reports"].as_u64().unwrap();
    assert_eq!((roma("f1"), roma("f3")), (1, 2));
    let outcomes = [
        r#"{"id":"f1","player":"Marco Bellandi","club":"Roma","outcome":"joined"}"#,
        r#"{"id":"f2","player":"Jonas Eriksen","club":"Napoli","outcome":"not_joined"}"#,
        r#"{"id":"f3","player":"Marco Bellandi","club":"Roma","outcome":"joined"}"#,
        r#"{"id":"f9","player":"Nobody","club":"Roma","outcome":"unknown"}"#,
    ]
    .join("\n");
    dir.write("o.jsonl", outcomes);
    let report = run(dir.path(), &["forecast", "c.jsonl", "--evaluate", "o.jsonl", "--json", "--plot", "r.svg"], None);
    assert_eq!(report.code, Some(0), "{}", report.stderr);
    let r: serde_json::Value = serde_json::from_str(&report.stdout).unwrap();
    assert_eq!((r["outcomes"].as_u64(), r["matched"].as_u64()), (Some(3), Some(3)));
    assert!(r["model"]["brier"].as_f64().unwrap() <= 1.0);
    let svg = std::fs::read_to_string(dir.path().join("r.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("<circle"), "{svg}");
    dir.write("broken.jsonl", "{\"id\": \"f1\"\n");
    let broken = run(dir.path(), &["forecast", "c.jsonl", "--evaluate", "broken.jsonl"], None);
    assert_eq!(broken.code, Some(1));
    assert!(broken.stderr.contains("outcomes line 1"), "{}", broken.stderr);
}

/// The article dates mercato gives a corpus (stated or inferred), by id.
fn article_dates(dir: &Path, corpus: &str, kb: &str) -> std::collections::HashMap<String, Option<String>> {
    let out = run(dir, &["extract", "--kb", kb, corpus], None);
    out.stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_string(), v["published"]["date"].as_str().map(str::to_string))
        })
        .collect()
}

/// When a KB transfers row became known: the close of its window.
fn known_from(row: &str) -> Option<String> {
    let f: Vec<&str> = row.split('\t').collect();
    let (window, year) = (f.get(8)?, f.get(10)?);
    Some(match *window {
        "summer" => format!("{year}-09-01"),
        _ => format!("{year}-02-01"),
    })
}

#[test]
fn dev_forecasts_do_not_change_when_the_future_is_removed() {
    let Some(shared) = shared() else {
        eprintln!("skipping: ../shared not found; the no-leakage test on the dev corpus did not run");
        return;
    };
    let dir = TempDir::new("leakage");
    let kb = shared.join("kb").display().to_string();
    let corpus = shared.join("corpus/dev.jsonl");
    let transfers = std::fs::read_to_string(shared.join("kb/transfers.tsv")).unwrap();
    let dates = article_dates(dir.path(), &corpus.display().to_string(), &kb);
    let full = run(
        dir.path(),
        &[
            "forecast",
            "--kb",
            &kb,
            &corpus.display().to_string(),
            "--transfers",
            &shared.join("kb/transfers.tsv").display().to_string(),
        ],
        None,
    );
    assert_eq!(full.code, Some(0), "{}", full.stderr);
    let full: Vec<serde_json::Value> = full.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    for cut in ["2016-06-30", "2021-01-31"] {
        // the corpus and the records as they stood on the cut day
        let text = std::fs::read_to_string(&corpus).unwrap();
        let past: String = text
            .lines()
            .filter(|l| {
                let id = serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_string();
                dates.get(&id).and_then(|d| d.as_deref()).is_some_and(|d| d <= cut)
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let mut rows = transfers.lines();
        let mut known = format!("{}\n", rows.next().unwrap());
        for row in rows.filter(|r| known_from(r).is_some_and(|d| d.as_str() <= cut)) {
            known += row;
            known += "\n";
        }
        let past_path = dir.write("past.jsonl", &past);
        let known_path = dir.write("known.tsv", &known);
        let partial = run(dir.path(), &["forecast", "--kb", &kb, &past_path, "--transfers", &known_path], None);
        let partial: Vec<serde_json::Value> =
            partial.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let expected: Vec<&serde_json::Value> =
            full.iter().filter(|f| f["date"].as_str().is_some_and(|d| d <= cut)).collect();
        assert!(expected.len() >= 20, "too few forecasts before {cut} to test: {}", expected.len());
        assert_eq!(partial.iter().collect::<Vec<_>>(), expected, "cut at {cut}");
    }
}

/// A corpus of `n` distinct invented articles, one JSON line each.
fn invented_corpus(n: usize) -> String {
    const FIRST: [&str; 10] = ["Marco", "Jonas", "Ola", "Yannick", "Diego", "Lukas", "Tomas", "Nuno", "Karim", "Pavel"];
    const LAST: [&str; 10] =
        ["Bellandi", "Eriksen", "Sandvik", "Ekambi", "Carvalhal", "Brenner", "Rurik", "Vidal", "Mansour", "Horak"];
    const CLUBS: [&str; 6] = ["Napoli", "Juventus", "Roma", "Sevilla", "Chelsea", "Arsenal"];
    (0..n)
        .map(|i| {
            let name = format!("{} {}", FIRST[i % 10], LAST[(i / 10) % 10]);
            let text = format!(
                " date 2024-{:02}-{:02} {} are interested in {name}, according to the Daily Planet. The {}-year-old has {} goals this season and report number {i} says talks could begin soon.",
                1 + i % 12,
                1 + i % 28,
                CLUBS[i % 6],
                18 + i % 15,
                i % 40
            );
            jsonl_line(&format!("x{i:06}"), &text)
        })
        .collect()
}

#[test]
fn a_killed_ingest_leaves_an_intact_database_and_a_rerun_stores_each_article_once() {
    let dir = TempDir::new("crash");
    let n = 6000;
    let corpus = dir.write("big.jsonl", invented_corpus(n));
    let db = dir.path().join("crash.db");
    let db_arg = db.display().to_string();
    let mut child = mercato(dir.path())
        .args(["ingest", "--db", &db_arg, &corpus])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // let it commit a first write (about 4,096 articles), then kill it without warning
    // (SIGKILL), most likely in the middle of the next one
    let started = std::time::Instant::now();
    let committed = || {
        mercato_store::SqliteStore::open(&db_arg)
            .ok()
            .and_then(|s| mercato_store::Store::counts(&s).ok())
            .is_some_and(|c| c.articles > 0)
    };
    while !(db.exists() && committed()) && started.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    let stored = {
        let store = mercato_store::SqliteStore::open(&db_arg).unwrap();
        store.integrity_check().unwrap();
        mercato_store::Store::counts(&store).unwrap().articles as usize
    };
    eprintln!("killed after {stored} of {n} articles were stored");
    assert!(stored <= n);
    let rerun = run(dir.path(), &["ingest", "--db", &db_arg, &corpus], None);
    assert_eq!(rerun.code, Some(0), "{}", rerun.stderr);
    // every article stored before the kill is left alone, the rest are stored now (as new
    // articles or, these texts being alike, as copies of earlier ones)
    assert!(
        rerun.stderr.contains(&format!(" new, {stored} unchanged, 0 replaced")),
        "after {stored} stored: {}",
        rerun.stderr
    );
    let store = mercato_store::SqliteStore::open(&db_arg).unwrap();
    store.integrity_check().unwrap();
    assert_eq!(mercato_store::Store::counts(&store).unwrap().articles as usize, n);
}

#[test]
fn readers_get_consistent_answers_while_an_ingest_runs() {
    let dir = TempDir::new("readers");
    let corpus = dir.write("big.jsonl", invented_corpus(4000));
    // a first batch so that readers have a database to open
    let first = dir.write("first.jsonl", invented_corpus(10));
    assert_eq!(run(dir.path(), &["ingest", &first], None).code, Some(0));
    let mut writer =
        mercato(dir.path()).args(["ingest", &corpus]).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    for _ in 0..5 {
        let read = run(dir.path(), &["rumours", "--json", "--all"], None);
        assert_eq!(read.code, Some(0), "{}", read.stderr);
        let threads: serde_json::Value = serde_json::from_str(&read.stdout).unwrap();
        assert!(threads.as_array().is_some_and(|t| !t.is_empty()));
    }
    assert!(writer.wait().unwrap().success());
}

#[test]
fn saved_pages_and_feed_files_are_ingested_with_their_dates() {
    let dir = TempDir::new("html");
    dir.write(
        "page.html",
        "<html><head><title>Roma close in | Planet</title><meta property=\"article:published_time\" content=\"2024-07-01T09:00:00Z\"></head>\
         <body><nav>Home Sport</nav><article><p>Roma are in advanced talks with Sevilla over Marco Bellandi, according to Diario Gol. \
         The defender has a contract until June 2026 and the clubs are discussing a fee of 12 million euros.</p>\
         <p>Bellandi is expected to undergo a medical next week if the clubs agree on the add-ons.</p></article></body></html>",
    );
    dir.write(
        "feed.xml",
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Planet</title>\
         <item><guid>planet-7</guid><title>Napoli want Eriksen</title><link>https://example.com/7</link>\
         <pubDate>Tue, 02 Jul 2024 08:00:00 GMT</pubDate><description>Napoli are interested in Jonas Eriksen.</description></item>\
         </channel></rss>",
    );
    let ingest = run(dir.path(), &["ingest", "."], None);
    assert_eq!(ingest.code, Some(0), "{}", ingest.stderr);
    assert!(ingest.stderr.contains("2 new"), "{}", ingest.stderr);
    let page = run(dir.path(), &["article", "page", "--json"], None);
    let page: serde_json::Value = serde_json::from_str(&page.stdout).unwrap();
    assert_eq!(page["published"], "2024-07-01");
    assert!(!page["text"].as_str().unwrap().contains("Home Sport"), "{page}");
    let item = run(dir.path(), &["article", "planet-7", "--json"], None);
    let item: serde_json::Value = serde_json::from_str(&item.stdout).unwrap();
    assert_eq!((item["published"].as_str(), item["url"].as_str()), (Some("2024-07-02"), Some("https://example.com/7")));
    dir.write("broken.xml", "<rss><channel><item>");
    let broken = run(dir.path(), &["ingest", "broken.xml"], None);
    assert_eq!(broken.code, Some(1));
    assert!(broken.stderr.contains("broken.xml: not a readable RSS/Atom feed"), "{}", broken.stderr);
}

/// A tiny HTTP server for the watch test: a feed, two pages (the second fails on its first
/// request), a missing feed, and a webhook that keeps what it is sent.
fn feed_server() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::Read as _;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let hooks = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (o, h) = (origin.clone(), hooks.clone());
    std::thread::spawn(move || {
        let mut p2_requests = 0;
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut length = 0usize;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header.trim().is_empty() {
                    break;
                }
                if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0u8; length];
            reader.read_exact(&mut body).unwrap();
            let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, content) = match path.as_str() {
                "/feed.xml" => ("200 OK", format!(
                    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Planet</title>\
                     <item><guid>i1</guid><title>Roma talks</title><link>{o}/p1.html</link><pubDate>Mon, 01 Jul 2024 08:00:00 GMT</pubDate><description>Roma news.</description></item>\
                     <item><guid>i2</guid><title>Napoli move</title><link>{o}/p2.html</link><pubDate>Tue, 02 Jul 2024 08:00:00 GMT</pubDate><description>Napoli news.</description></item>\
                     </channel></rss>")),
                "/p1.html" => ("200 OK", "<html><head><meta property=\"article:published_time\" content=\"2024-07-01\"></head><body><article><p>Roma are in advanced talks with Sevilla over Marco Bellandi, according to Diario Gol. The defender has a contract until June 2026 and the clubs are discussing a fee.</p><p>A medical could follow next week if the clubs agree.</p></article></body></html>".to_string()),
                "/p2.html" => {
                    p2_requests += 1;
                    if p2_requests == 1 {
                        ("500 Internal Server Error", "try later".to_string())
                    } else {
                        ("200 OK", "<html><body><article><p>Napoli are interested in Jonas Eriksen, according to the Daily Planet. The midfielder has been watched by their scouts for months and an offer could come in the summer.</p></article></body></html>".to_string())
                    }
                }
                "/hook" => {
                    h.lock().unwrap().push(String::from_utf8_lossy(&body).into_owned());
                    ("200 OK", "{}".to_string())
                }
                _ => ("404 Not Found", "no".to_string()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{content}",
                content.len()
            );
        }
    });
    (origin, hooks)
}

#[test]
fn watch_ingests_each_feed_item_once_retries_failed_pages_and_notifies() {
    let dir = TempDir::new("watch");
    let (origin, hooks) = feed_server();
    let feed = format!("{origin}/feed.xml");
    let hook = format!("{origin}/hook");
    let first = run(dir.path(), &["watch", &feed, "--once", "--notify", &hook, "--player", "Marco Bellandi"], None);
    assert_eq!(first.code, Some(1), "{}", first.stderr);
    assert!(first.stderr.contains("item i2") && first.stderr.contains("will retry next run"), "{}", first.stderr);
    assert!(first.stderr.contains("1 new article(s), 1 page(s) failed"), "{}", first.stderr);
    let events: Vec<serde_json::Value> =
        hooks.lock().unwrap().iter().map(|b| serde_json::from_str(b).unwrap()).collect();
    assert!(
        events.iter().any(|e| e["event"] == "thread_created" && e["player"] == "Marco Bellandi" && e["club"] == "Roma"),
        "{events:?}"
    );
    // the article is named by its link: the same story from two feeds is one article
    let page = run(dir.path(), &["article", &format!("{origin}/p1.html"), "--json"], None);
    let page: serde_json::Value = serde_json::from_str(&page.stdout).unwrap();
    assert_eq!(page["published"], "2024-07-01");
    assert!(page["text"].as_str().unwrap().contains("advanced talks with Sevilla"));
    // the failed page is fetched again; the taken item is not
    let second = run(dir.path(), &["watch", &feed, "--once"], None);
    assert_eq!(second.code, Some(0), "{}", second.stderr);
    assert!(second.stderr.contains("1 new article(s), 0 page(s) failed"), "{}", second.stderr);
    // a feed that fails is reported and the others go on
    let missing = format!("{origin}/missing.xml");
    let third = run(dir.path(), &["watch", &missing, &feed, "--once"], None);
    assert_eq!(third.code, Some(1));
    assert!(third.stderr.contains("missing.xml") && third.stderr.contains("0 new article(s)"), "{}", third.stderr);
    let search = run(dir.path(), &["search", "Eriksen", "--json"], None);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&search.stdout).unwrap().as_array().unwrap().len(), 1);
}
