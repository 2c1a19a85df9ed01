//! Developer tool: load a KB directory and print its size and load time.
fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "../shared/kb".into());
    let t = std::time::Instant::now();
    match mercato_kb::Kb::load(&[dir]) {
        Ok(kb) => {
            println!(
                "clubs {} players {} sources {} names {} warnings {} in {:?}",
                kb.clubs.len(),
                kb.players.len(),
                kb.sources.len(),
                kb.gazetteer().len(),
                kb.warnings.len(),
                t.elapsed()
            );
            let text = "Juventus and Real Madrid want Sergio Ramos.";
            println!(
                "{:?}",
                kb.gazetteer().find(text).iter().map(|m| &text[m.span.start..m.span.end]).collect::<Vec<_>>()
            );
        }
        Err(e) => println!("{e}"),
    }
}
