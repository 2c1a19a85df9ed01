//! `mercato kb check` and `mercato kb stats`, and the KB loading shared with `extract`.

use crate::cli::{KbArgs, Outcome};
use anyhow::Context;
use mercato_kb::Kb;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Where a loaded KB came from.
#[derive(Debug)]
pub enum KbOrigin {
    /// Directories given with `--kb` / `$MERCATO_KB`.
    Dirs(Vec<PathBuf>),
    /// The default directory (`../shared/kb`) with the starter KB's additions on top.
    DefaultWithStarter(PathBuf),
    /// The starter KB compiled into the binary.
    Starter,
}

impl std::fmt::Display for KbOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KbOrigin::Dirs(dirs) => {
                let names: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
                write!(f, "{}", names.join(" + "))
            }
            KbOrigin::DefaultWithStarter(dir) => write!(f, "{} + starter KB additions", dir.display()),
            KbOrigin::Starter => write!(f, "starter KB (built in)"),
        }
    }
}

/// A KB with where it came from and how long it took to load.
pub struct LoadedKb {
    /// The knowledge base.
    pub kb: Kb,
    /// Its origin.
    pub origin: KbOrigin,
    /// Wall-clock load time.
    pub elapsed: Duration,
}

/// Loads the KB the options name: the `--kb` layers, else the default directory, else
/// the starter KB.
pub fn load(args: &KbArgs) -> anyhow::Result<LoadedKb> {
    let start = Instant::now();
    // With no --kb, the default directory gets the starter KB's hand-written aliases
    // and nicknames merged on top; --kb layers are used exactly as given.
    if args.layers.is_empty() {
        let (kb, origin) = match mercato_kb::default_dir() {
            Some(dir) => {
                let kb = Kb::load_with_starter(std::slice::from_ref(&dir)).context("cannot load the knowledge base")?;
                (kb, KbOrigin::DefaultWithStarter(dir))
            }
            None => (Kb::starter(), KbOrigin::Starter),
        };
        return Ok(LoadedKb { kb, origin, elapsed: start.elapsed() });
    }
    let dirs = args.layers.clone();
    let (kb, origin) = if dirs.is_empty() {
        (Kb::starter(), KbOrigin::Starter)
    } else {
        let kb = Kb::load(&dirs).context("cannot load the knowledge base")?;
        (kb, KbOrigin::Dirs(dirs))
    };
    Ok(LoadedKb { kb, origin, elapsed: start.elapsed() })
}

/// Prints the `--verbose` lines about a loaded KB on stderr.
pub fn report_load(loaded: &LoadedKb) {
    eprintln!(
        "mercato: KB {} loaded in {:.1} ms, {} warning(s)",
        loaded.origin,
        loaded.elapsed.as_secs_f64() * 1000.0,
        loaded.kb.warnings.len()
    );
    for warning in &loaded.kb.warnings {
        eprintln!("mercato: KB warning: {warning}");
    }
}

/// `mercato kb check DIR`.
pub fn check(dir: &Path) -> anyhow::Result<Outcome> {
    let report = mercato_kb::check::check_dir(dir).with_context(|| format!("cannot check {}", dir.display()))?;
    let mut out = std::io::stdout().lock();
    let result = (|| -> std::io::Result<()> {
        for problem in &report.problems {
            writeln!(out, "{problem}")?;
        }
        let rows: Vec<String> = report.rows.iter().map(|(file, n)| format!("{file} {n} rows")).collect();
        writeln!(out, "{}: {}; {} problem(s)", dir.display(), rows.join(", "), report.problems.len())?;
        out.flush()
    })();
    crate::output::ignore_broken_pipe(result)?;
    Ok(if report.problems.is_empty() { Outcome::Ok } else { Outcome::Failed })
}

/// `mercato kb stats`.
pub fn stats(args: &KbArgs, verbose: bool) -> anyhow::Result<Outcome> {
    let loaded = load(args)?;
    if verbose {
        report_load(&loaded);
    }
    let kb = &loaded.kb;
    let mut out = std::io::stdout().lock();
    let result = (|| -> std::io::Result<()> {
        writeln!(out, "kb          {}", loaded.origin)?;
        writeln!(out, "clubs       {}", kb.clubs.len())?;
        writeln!(out, "nations     {}", kb.nations.len())?;
        writeln!(out, "leagues     {}", kb.leagues.len())?;
        writeln!(out, "players     {}", kb.players.len())?;
        writeln!(out, "sources     {}", kb.sources.len())?;
        writeln!(out, "coaches     {}", kb.coaches.len())?;
        writeln!(out, "names       {}", kb.gazetteer().len())?;
        writeln!(out, "warnings    {}", kb.warnings.len())?;
        writeln!(out, "load_ms     {:.1}", loaded.elapsed.as_secs_f64() * 1000.0)?;
        out.flush()
    })();
    crate::output::ignore_broken_pipe(result)?;
    Ok(Outcome::Ok)
}
