//! The near-duplicate candidates, kept in memory.
//!
//! Six B-tree indexes over the SimHash bands made every stored article six random index
//! writes: past ~100,000 articles each batch rewrote a page of every band index per article
//! and the ingest rate fell with the database. The bands now live here, filled from an index
//! ordered by `seq` (appended to, never written at random) the first time a write needs them
//! and brought up to date at the start of every write (another process may have written in
//! between). Each candidate is checked against its stored row before it counts, so an entry
//! left by a replaced article is harmless.

use crate::fingerprint::{bands, near};

/// One stored article's fingerprint: its SimHash and where its row is.
#[derive(Debug, Clone, Copy)]
struct Entry {
    simhash: u64,
    rowid: i64,
}

/// Every stored article with enough shingles, by each of its six SimHash bands.
#[derive(Debug)]
pub(crate) struct NearIndex {
    /// Per band, per band value (10 or 11 bits): the articles with that value.
    bands: Vec<Vec<Vec<Entry>>>,
    /// The highest `seq` taken in.
    pub(crate) seq: i64,
}

impl NearIndex {
    pub(crate) fn new() -> NearIndex {
        NearIndex { bands: (0..6).map(|_| vec![Vec::new(); 1 << 11]).collect(), seq: 0 }
    }

    /// Takes in one stored article.
    pub(crate) fn add(&mut self, simhash: u64, rowid: i64, seq: i64) {
        for (k, band) in bands(simhash).iter().enumerate() {
            self.bands[k][*band as usize].push(Entry { simhash, rowid });
        }
        self.seq = self.seq.max(seq);
    }

    /// The rows of the stored articles whose SimHash is near `simhash` (each once, in no
    /// particular order).
    pub(crate) fn candidates(&self, simhash: u64) -> Vec<i64> {
        let mut out: Vec<i64> = Vec::new();
        for (k, band) in bands(simhash).iter().enumerate() {
            for e in &self.bands[k][*band as usize] {
                if near(simhash, e.simhash) && !out.contains(&e.rowid) {
                    out.push(e.rowid);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_near_hashes_once_and_not_far_ones() {
        let mut index = NearIndex::new();
        index.add(0b1011, 1, 1);
        index.add(0b1011 ^ (1 << 40) ^ (1 << 63), 2, 2);
        index.add(!0b1011, 3, 3);
        let mut got = index.candidates(0b1010);
        got.sort_unstable();
        assert_eq!(got, vec![1, 2]);
        assert_eq!(index.seq, 3);
    }
}
