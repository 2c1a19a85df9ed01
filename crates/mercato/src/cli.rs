//! Command-line definition (clap derive) and dispatch.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

const AFTER_HELP: &str = "\
Examples:
  mercato extract examples/articles --format pretty
      Summarise every .txt article in a directory, for people.
  mercato extract ../shared/corpus/dev.jsonl > out.jsonl && python3 ../shared/eval/score.py ../shared/corpus/dev.jsonl out.jsonl
      Extract a JSON Lines corpus and score it against its gold annotations.
  echo 'Rossi joined Roma.' | mercato extract --format pretty
      Extract one article from standard input (its id is \"stdin\").
  mercato kb check kb/
      Validate a knowledge-base directory; every problem names its file and line.
  mercato kb stats --kb ../shared/kb --kb my-extra-kb/
      Count what a layered KB holds and how long it takes to load.
  mercato ingest ../shared/seeds/seeds.jsonl ../shared/corpus/dev.jsonl
      Extract articles into the embedded database (./mercato.db, or --db / MERCATO_DB).
  mercato player \"Sergio Ramos\" --as-of 2025-12-01
      A player's moves, rumour threads ranked by likelihood, timeline and contradictions,
      with only what had been published by that day.
  mercato serve --port 8080
      The rumour board at http://127.0.0.1:8080/ and the JSON API under /api/v1/.
  mercato forecast ../shared/corpus/dev.jsonl --evaluate ../shared/corpus/dev_outcomes.jsonl
      Forecast every rumour as on its article's day, and score the forecasts.

Exit status: 0 when every input item was read, 1 when any item (or the run) failed,
2 for usage errors.";

const EXTRACT_AFTER_HELP: &str = "\
Inputs: a .jsonl/.ndjson corpus ({\"id\",\"text\",\"published\"?,\"url\"?} per line), a .txt
file (id = file stem), a directory of such files (in name order), or - for standard input
(JSON Lines when it starts with '{', else one article with id \"stdin\").

A bad item (malformed JSON, invalid UTF-8, empty, binary or over-long text, missing
path) prints one line `mercato: FILE:LINE: why` on standard error and the run goes on;
the exit status is then 1. Output stays in input order. A closed output pipe
(`| head`) stops the run quietly.

Examples:
  mercato extract ../shared/corpus/dev.jsonl > out.jsonl
  mercato extract examples/articles --format pretty
  mercato extract a.txt b.txt corpus.jsonl --format json --threads 2
  mercato extract corpus.jsonl --kb ../shared/kb --kb local-kb/ --max-article-bytes 200000";

/// mercato: transfer-rumour intelligence from football news.
///
/// Reads articles, recognises players, clubs and sources against a knowledge base (KB),
/// and writes who is linked with which club, how far along the move is, and who says so.
#[derive(Debug, Parser)]
#[command(name = "mercato", version, about, long_about, after_help = AFTER_HELP)]
pub struct Cli {
    /// Print diagnostics (KB source, load time, warning count, run summary) on stderr.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract transfer links, sources and facts from articles.
    #[command(after_help = EXTRACT_AFTER_HELP)]
    Extract(ExtractArgs),
    /// Inspect and validate knowledge-base directories.
    #[command(subcommand)]
    Kb(KbCommand),
    /// Extract articles and store them in the embedded database (idempotent; copies of
    /// earlier articles are recognised and never count as independent reports).
    #[command(after_help = INGEST_AFTER_HELP)]
    Ingest(IngestArgs),
    /// A player: completed moves, rumour threads ranked by likelihood, timeline of claims,
    /// contradictions between articles.
    Player(PlayerQuery),
    /// A club: incoming and outgoing rumour threads.
    Club(NamedQuery),
    /// Rumour threads across the database, most likely first.
    Rumours(RumoursArgs),
    /// Facts that disagree across articles (contract expiry, age, birth date, fee).
    Contradictions(ReadArgs),
    /// Source credibility learned from resolved threads: hits, misses, posterior and its
    /// 90% interval, with the KB tier as prior.
    Sources(SourcesArgs),
    /// Full-text search over the stored articles.
    Search(SearchArgs),
    /// One stored article with its extraction and highlighted evidence.
    Article(ArticleArgs),
    /// Records of completed transfers: evidence that resolves rumour threads.
    #[command(subcommand)]
    Transfers(TransfersCommand),
    /// Forecast every rumoured move of a corpus as mercato would have on each article's
    /// day (only earlier articles and transfer records are read); `--evaluate` scores them.
    #[command(after_help = FORECAST_AFTER_HELP)]
    Forecast(ForecastArgs),
    /// Serve the HTTP JSON API (/api/v1/, described at /openapi.json) and the web pages
    /// (rumour board at /) over the database.
    #[command(after_help = SERVE_AFTER_HELP)]
    Serve(ServeArgs),
    /// Poll RSS/Atom feeds (URLs or files), fetch each new item's page, ingest it, and
    /// never take an item twice, across restarts too.
    #[command(after_help = WATCH_AFTER_HELP)]
    Watch(WatchArgs),
}

const WATCH_AFTER_HELP: &str = "\
Each new item's page is fetched and its main content read (the item's own text when the
page cannot be read as an article); the items taken are remembered in the database, so a
restart never ingests an item twice. A feed or page that fails is reported and retried
with backoff (doubling from the interval for feeds and from 60 s for pages, at most an
hour) while the others go on; with --once a failed page is simply tried again next run.

With --notify URL, a JSON webhook is posted when a thread of a watched player (--player,
else every player of the new articles) is created or changes status:
  {\"event\": \"thread_created\" | \"status_changed\", \"player\", \"club\", \"status\",
   \"previous_status\", \"likelihood\", \"first\", \"last\"}

Examples:
  mercato watch https://example.com/football/rss.xml --interval 600
  mercato watch feeds/*.xml --once --notify http://127.0.0.1:9000/hook --player \"Sergio Ramos\"";

/// Options of `mercato watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Feeds: http(s) URLs or RSS/Atom files.
    #[arg(value_name = "FEED", required = true)]
    pub feeds: Vec<String>,

    #[command(flatten)]
    pub db: DbArgs,

    /// Seconds between polls of a feed.
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub interval: u64,

    /// Poll every feed once, then stop (exit status 1 if anything failed).
    #[arg(long)]
    pub once: bool,

    /// Take each item's own text instead of fetching its page.
    #[arg(long)]
    pub no_fetch: bool,

    /// POST a JSON event here when a watched player's thread is created or changes status.
    #[arg(long, value_name = "URL")]
    pub notify: Option<String>,

    /// A player to watch for --notify (repeat; default: every player of the new articles).
    #[arg(long = "player", value_name = "NAME")]
    pub players: Vec<String>,

    /// KB, article size limit and worker threads.
    #[command(flatten)]
    pub run: RunArgs,
}

const SERVE_AFTER_HELP: &str = "\
Reads are open; `POST /api/v1/articles` (one {\"id\", \"text\", \"published\"?, \"url\"?} or an
array) needs `Authorization: Bearer TOKEN` with the token given here, and is refused
without one. Every read takes ?as_of=YYYY-MM-DD; lists take ?limit= and ?offset=.

Examples:
  mercato serve --db mercato.db --port 8080
      then open http://127.0.0.1:8080/ (the board) or curl http://127.0.0.1:8080/api/v1/threads
  MERCATO_TOKEN=s3cret mercato serve --port 8080
  curl -H 'Authorization: Bearer s3cret' -d '{\"id\":\"n1\",\"text\":\"Roma want Rossi.\"}' http://127.0.0.1:8080/api/v1/articles";

/// Options of `mercato serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,

    /// Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,

    /// Port to listen on (0: any free port, printed at start).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,

    /// Bearer token that writes (POST /api/v1/articles) require; without one, writes are
    /// refused.
    #[arg(long, env = "MERCATO_TOKEN", hide_env_values = true)]
    pub token: Option<String>,

    /// Allow cross-origin requests from this origin (CORS is off without it).
    #[arg(long, value_name = "ORIGIN")]
    pub cors_origin: Option<String>,

    /// Largest request body accepted, in bytes (413 beyond).
    #[arg(long, value_name = "BYTES", default_value_t = 4 * 1024 * 1024)]
    pub body_limit: usize,

    /// Where the knowledge base (source tiers, club leagues, extraction of posted articles)
    /// comes from.
    #[command(flatten)]
    pub kb: KbArgs,
}

const FORECAST_AFTER_HELP: &str = "\
Output: one JSON line per `to` link of each article, {\"id\", \"player\", \"club\", \"date\",
\"likelihood\", \"status\", \"components\", \"evidence\"}, oldest article first. Each
component is a term of the likelihood model with its value and its effect on the log-odds.

With --evaluate OUTCOMES.jsonl ({\"id\", \"player\", \"club\", \"outcome\": \"joined\" or
\"not_joined\"} per line) it prints AUC, Brier score, the base-rate and stage-only Brier
scores and a reliability table instead (--json for the report as JSON, --plot for an SVG
reliability diagram).

Examples:
  mercato forecast ../shared/corpus/dev.jsonl > forecasts.jsonl
  mercato forecast ../shared/corpus/dev.jsonl --evaluate ../shared/corpus/dev_outcomes.jsonl --plot reliability.svg
  mercato forecast corpus.jsonl --transfers ../shared/kb/transfers.tsv";

const TRANSFERS_AFTER_HELP: &str = "\
Layouts (told apart by the header row; comma- or tab-separated):
  KB layout (../shared/kb/transfers.tsv): player, from_club, to_club, window (summer or
    winter), year, and optionally fee_text, fee_eur, loan.
  Own records: player, from_club, to_club, date (YYYY-MM-DD or YYYY-MM), and optionally
    loan (true/false) and fee_eur.

A move is known once its window has closed (summer: 1 June to 1 September; winter: 1 to 31
January). Loans count; loan returns, re-signings and moves to no club (Retired, Without
Club) are skipped. Importing the same records again changes nothing.

Example:
  mercato transfers import ../shared/kb/transfers.tsv";

/// The `mercato transfers` subcommands.
#[derive(Debug, Subcommand)]
pub enum TransfersCommand {
    /// Import completed transfers into the database.
    #[command(after_help = TRANSFERS_AFTER_HELP)]
    Import {
        /// CSV or TSV files of completed transfers.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,

        #[command(flatten)]
        db: DbArgs,
    },
}

/// Options of `mercato forecast`.
#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// Articles: .jsonl corpora, .txt files, directories of them, or - for standard input.
    #[arg(value_name = "PATH|-", required = true)]
    pub inputs: Vec<String>,

    /// Completed transfers (layouts of `mercato transfers import`); only those whose
    /// window closed before an article's day are used for it.
    #[arg(long, value_name = "FILE")]
    pub transfers: Vec<PathBuf>,

    /// Score the forecasts against these outcomes instead of printing them.
    #[arg(long, value_name = "OUTCOMES.jsonl")]
    pub evaluate: Option<PathBuf>,

    /// With --evaluate: also write an SVG reliability diagram here.
    #[arg(long, value_name = "FILE", requires = "evaluate")]
    pub plot: Option<PathBuf>,

    /// With --evaluate: the report as JSON.
    #[arg(long)]
    pub json: bool,

    /// KB, article size limit and worker threads.
    #[command(flatten)]
    pub run: RunArgs,
}

const INGEST_AFTER_HELP: &str = "\
Inputs are those of `mercato extract`. Articles are extracted in parallel and written in
batches, each batch in one transaction, so an interrupted run loses at most the batch in
flight and a re-run picks up where it stopped (an article already stored with the same text
is left alone). A summary line reports new, unchanged, replaced and copied articles.

Examples:
  mercato ingest ../shared/corpus/dev.jsonl
  mercato ingest --db /tmp/news.db a.txt b.txt feeds/";

/// Where the database is.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// The SQLite database file (created when missing).
    #[arg(long, value_name = "FILE", env = "MERCATO_DB", default_value = "mercato.db")]
    pub db: PathBuf,
}

/// Options of `mercato ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Inputs: .jsonl corpora, .txt files, directories of them, or - for standard input.
    #[arg(value_name = "PATH|-", required = true)]
    pub inputs: Vec<String>,

    #[command(flatten)]
    pub db: DbArgs,

    /// KB, article size limit and worker threads.
    #[command(flatten)]
    pub run: RunArgs,
}

/// What every command that extracts takes: the KB, the article size limit, the threads.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Where the knowledge base comes from.
    #[command(flatten)]
    pub kb: KbArgs,

    /// Refuse articles whose text is larger than this many bytes (each is reported, the
    /// run goes on).
    #[arg(long, value_name = "N", default_value_t = mercato_read::Limits::default().max_article_bytes)]
    pub max_article_bytes: usize,

    /// Worker threads for extraction (default: one per CPU core).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
}

/// A day given on the command line.
fn parse_day(s: &str) -> Result<String, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.to_string())
        .map_err(|_| format!("{s:?} is not a date; write it as YYYY-MM-DD"))
}

/// Options every read takes.
#[derive(Debug, Args)]
pub struct ReadArgs {
    #[command(flatten)]
    pub db: DbArgs,

    /// Answer with only what had been published by this day (YYYY-MM-DD); undated
    /// articles are then left out.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub as_of: Option<String>,

    /// Write JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// A read about one named player or club.
#[derive(Debug, Args)]
pub struct NamedQuery {
    /// The canonical name, as mercato writes it ("Sergio Ramos", "Paris Saint-Germain");
    /// case does not matter.
    pub name: String,

    #[command(flatten)]
    pub read: ReadArgs,
}

/// `mercato player`: a bounded report unless `--all`.
#[derive(Debug, Args)]
pub struct PlayerQuery {
    #[command(flatten)]
    pub query: NamedQuery,

    /// List every thread with every claim, every move and the whole timeline (a fold of
    /// all his claims; slow for a player in thousands of articles). Without it, a read of
    /// everything lists the 20 likeliest threads with their latest 5 claims, the latest 20
    /// moves and links, the 20 latest contradictions, and how many more there are.
    #[arg(long)]
    pub all: bool,
}

/// Options of `mercato rumours`.
#[derive(Debug, Args)]
pub struct RumoursArgs {
    #[command(flatten)]
    pub read: ReadArgs,

    /// Only threads with a claim published on or after this day.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub since: Option<String>,

    /// Only threads at least this likely (0 to 1); threads without a likelihood are left out.
    #[arg(long, value_name = "X")]
    pub min_likelihood: Option<f64>,

    /// Also list completed, denied and superseded threads.
    #[arg(long)]
    pub all: bool,
}

/// Options of `mercato sources`.
#[derive(Debug, Args)]
pub struct SourcesArgs {
    #[command(flatten)]
    pub read: ReadArgs,

    /// Where the knowledge base (source tiers) comes from.
    #[command(flatten)]
    pub kb: KbArgs,
}

/// Options of `mercato search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to find (all of them); punctuation is ignored.
    pub text: String,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Most hits to show.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

/// Options of `mercato article`.
#[derive(Debug, Args)]
pub struct ArticleArgs {
    /// The article id.
    pub id: String,

    #[command(flatten)]
    pub db: DbArgs,

    /// Write JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options of `mercato extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Inputs: .jsonl corpora, .txt files, directories of them, or - for standard input.
    /// Defaults to standard input.
    #[arg(value_name = "PATH|-")]
    pub inputs: Vec<String>,

    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,

    /// KB, article size limit and worker threads.
    #[command(flatten)]
    pub run: RunArgs,

    /// Ignore each article's date line and `published` field and infer the date from the
    /// text instead (to see how well date inference does on dated articles).
    #[arg(long)]
    pub hide_dates: bool,

    /// Also write every temporal expression found ("times": text, offsets, interval,
    /// grain, tense and the policy used for an ambiguous phrase).
    #[arg(long)]
    pub times: bool,
}

/// How `mercato extract` writes its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object per article per line (the format `score.py` reads).
    Jsonl,
    /// A single JSON array of the same objects.
    Json,
    /// A human-readable summary per article, with evidence sentences.
    Pretty,
}

/// Where the knowledge base comes from.
#[derive(Debug, Args)]
pub struct KbArgs {
    /// KB directory (clubs.tsv, players.tsv, sources.tsv, ...). Repeat to layer: later
    /// directories add rows and replace rows of the same name. Without it: ../shared/kb
    /// when present, else the starter KB built into mercato.
    #[arg(long = "kb", value_name = "DIR", env = "MERCATO_KB")]
    pub layers: Vec<PathBuf>,
}

/// The `mercato kb` subcommands.
#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Validate a KB directory: print every problem as FILE:LINE: message, then a summary.
    /// Exits 1 when there is any problem.
    Check {
        /// The KB directory to check.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Count the clubs, nations, players, sources, coaches and gazetteer names of a KB, and
    /// time its loading.
    Stats {
        /// Where the knowledge base comes from.
        #[command(flatten)]
        kb: KbArgs,
    },
}

/// Parses the command line, runs the command and maps the outcome to an exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => crate::extract_cmd::run(&args, cli.verbose),
        Command::Kb(KbCommand::Check { dir }) => crate::kb_cmd::check(&dir),
        Command::Kb(KbCommand::Stats { kb }) => crate::kb_cmd::stats(&kb, cli.verbose),
        Command::Ingest(args) => crate::ingest_cmd::run(&args, cli.verbose),
        Command::Player(q) => crate::query_cmd::player(&q),
        Command::Club(q) => crate::query_cmd::club(&q),
        Command::Rumours(args) => crate::query_cmd::rumours(&args),
        Command::Contradictions(args) => crate::query_cmd::contradictions(&args),
        Command::Sources(args) => crate::query_cmd::sources(&args),
        Command::Search(args) => crate::query_cmd::search(&args),
        Command::Article(args) => crate::query_cmd::article(&args),
        Command::Transfers(TransfersCommand::Import { files, db }) => crate::forecast_cmd::import(&files, &db),
        Command::Forecast(args) => crate::forecast_cmd::run(&args, cli.verbose),
        Command::Serve(args) => crate::serve_cmd::run(&args),
        Command::Watch(args) => crate::watch_cmd::run(&args, cli.verbose),
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::from(1),
        // `mercato rumours | head`: a closed pipe ends the output quietly
        Err(err)
            if err.chain().any(|e| e.downcast_ref::<std::io::Error>().is_some_and(crate::output::is_broken_pipe)) =>
        {
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("mercato: {err:#}");
            ExitCode::from(1)
        }
    }
}

/// How a command that ran to its end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything succeeded.
    Ok,
    /// Some items failed; each was already reported on stderr.
    Failed,
}
