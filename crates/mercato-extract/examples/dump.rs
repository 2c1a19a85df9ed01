//! Developer tool: `cargo run --release -p mercato-extract --example dump -- CORPUS [KB_DIR]`
//! prints one extraction per line (the CLI's `mercato extract` does the same with more
//! options). `MERCATO_EXPLAIN=1` adds what the recogniser saw (and the date clues of
//! undated articles); `MERCATO_HIDE_DATES=1` ignores stated dates, as `--hide-dates` does.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(corpus) = args.get(1) else {
        eprintln!("usage: dump CORPUS [KB_DIR]");
        std::process::exit(2);
    };
    let kb = match args.get(2) {
        Some(dir) => match mercato_kb::Kb::load_with_starter(&[dir]) {
            Ok(kb) => kb,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        },
        None => mercato_kb::Kb::starter(),
    };
    let mut extractor = mercato_extract::Extractor::new(kb);
    if std::env::var_os("MERCATO_HIDE_DATES").is_some() {
        extractor = extractor.hiding_dates();
    }
    for item in mercato_read::open(corpus, Default::default()) {
        match item {
            Ok(a) => {
                let out = extractor.extract(mercato_extract::ArticleInput {
                    id: &a.id,
                    text: &a.text,
                    published: a.published.as_deref(),
                    url: a.url.as_deref(),
                });
                if std::env::var_os("MERCATO_EXPLAIN").is_some() {
                    let explained = extractor.explain(mercato_extract::ArticleInput {
                        id: &a.id,
                        text: &a.text,
                        published: a.published.as_deref(),
                        url: a.url.as_deref(),
                    });
                    let mut value = serde_json::to_value(&out).unwrap_or_default();
                    value["explain"] = serde_json::to_value(&explained).unwrap_or_default();
                    println!("{value}");
                } else {
                    println!("{}", serde_json::to_string(&out).unwrap_or_default());
                }
            }
            Err(e) => eprintln!("{e}"),
        }
    }
}
