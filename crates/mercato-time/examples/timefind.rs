//! Developer tool: how fast the time stage alone finds and places expressions.
//! `cargo run --release -p mercato-time --example timefind -- CORPUS.jsonl`
fn main() {
    let path = std::env::args().nth(1).expect("corpus");
    let text = std::fs::read_to_string(path).expect("read");
    let texts: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(String::from))
        .collect();
    let lex = mercato_time::TimeLexicon::english();
    let t = std::time::Instant::now();
    let mut n = 0;
    for x in &texts {
        n += lex.find(x, chrono::NaiveDate::from_ymd_opt(2024, 1, 1), mercato_time::SeasonStyle::Split).len();
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    eprintln!(
        "{n} expressions, {bytes} bytes in {:?} = {:.1} MB/s",
        t.elapsed(),
        bytes as f64 / t.elapsed().as_secs_f64() / 1e6
    );
}
