//! The `player` report's latency inside one process (as `mercato serve` answers it): opens
//! a database once, then answers every player it knows (or the first `N`, or those named
//! one a line in `FILE`) with the
//! bounded report of a read of everything, serialised to JSON, and prints p50, p90, p99
//! and the maximum, of wall time and of the thread's CPU time (less sensitive to a busy
//! machine). Source tiers come from no KB (every source at the no-tier prior), which
//! changes the scores, not the reads.
//!
//! `cargo run --release -p mercato-answers --example player_latency -- DB [N|FILE] [ROUNDS]`

use mercato_answers::{player_latest, Bounds, Read};
use mercato_store::{NameKind, SqliteStore, Store};
use std::time::Instant;

/// The calling thread's CPU time in milliseconds, from the kernel's scheduler statistics
/// (nanoseconds; 0 where `/proc` has none).
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|ns| ns.parse::<f64>().ok()))
        .map_or(0.0, |ns| ns / 1e6)
}

/// p50, p90, p99 and the maximum of `times` (sorted), as text.
fn percentiles(times: &[f64]) -> String {
    let at = |f: f64| times.get(((times.len() as f64 * f) as usize).min(times.len().saturating_sub(1))).copied();
    format!(
        "p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        at(0.5).unwrap_or(0.0),
        at(0.9).unwrap_or(0.0),
        at(0.99).unwrap_or(0.0),
        times.last().copied().unwrap_or(0.0)
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = args.next().ok_or("usage: player_latency DB [N|FILE] [ROUNDS]")?;
    let which = args.next().unwrap_or_default();
    let rounds: usize = args.next().map_or(Ok(1), |n| n.parse())?;
    let store = SqliteStore::open(&db)?;
    let names: Vec<String> = if std::path::Path::new(&which).is_file() {
        std::fs::read_to_string(&which)?.lines().map(str::to_string).collect()
    } else {
        let limit = if which.is_empty() { usize::MAX } else { which.parse()? };
        store.names(NameKind::Player, None, None)?.into_iter().map(|n| n.name).take(limit).collect()
    };
    let tier = |_: &str| None;
    let read = Read::default();
    for round in 1..=rounds {
        let mut times: Vec<(f64, &String)> = Vec::with_capacity(names.len());
        let mut cpu: Vec<f64> = Vec::with_capacity(names.len());
        let mut bytes = 0usize;
        for name in &names {
            let (start, cpu_start) = (Instant::now(), cpu_ms());
            let report = player_latest(&store, name, &read, &tier, Bounds::default())?;
            bytes += serde_json::to_string(&report)?.len();
            cpu.push(cpu_ms() - cpu_start);
            times.push((start.elapsed().as_secs_f64() * 1000.0, name));
        }
        times.sort_by(|a, b| a.0.total_cmp(&b.0));
        cpu.sort_by(f64::total_cmp);
        let slowest: Vec<String> = times.iter().rev().take(5).map(|(t, n)| format!("{n} {t:.1}")).collect();
        let wall: Vec<f64> = times.into_iter().map(|t| t.0).collect();
        println!("round {round}: {} players, {} KB of JSON", wall.len(), bytes / 1024);
        println!("  wall {}", percentiles(&wall));
        println!("  cpu  {}", percentiles(&cpu));
        println!("  slowest (wall): {}", slowest.join(", "));
    }
    Ok(())
}
