//! Checks, for every player of a database, that what his threads say of their sources is
//! the same from his summaries (`outcomes_from_summaries`, what the sources' record uses)
//! and from a fold of his claims (`outcomes_folded`), and prints the players where not.
//!
//! `cargo run --release -p mercato-answers --example outcomes_diff -- DB`

use mercato_answers::{outcomes_folded, outcomes_from_summaries};
use mercato_store::{NameKind, SqliteStore, Store};
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let db = std::env::args().nth(1).ok_or("db")?;
    let store = SqliteStore::open(&db)?;
    let mut n = 0;
    for p in store.names(NameKind::Player, None, None)? {
        let Some(mut a) = outcomes_from_summaries(&store, &p.name)? else {
            println!("NONE {}", p.name);
            continue;
        };
        let mut b = outcomes_folded(&store, &p.name)?;
        a.sort();
        b.sort();
        if a != b {
            n += 1;
            let sa: Vec<_> = a.iter().filter(|x| !b.contains(x)).collect();
            let sb: Vec<_> = b.iter().filter(|x| !a.contains(x)).collect();
            println!("DIFF {}: summaries {:?} folded {:?}", p.name, sa, sb);
        }
    }
    println!("{n} players differ");
    Ok(())
}
