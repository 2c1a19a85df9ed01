//! The near-duplicate candidates, kept in memory.
//!
//! Six B-tree indexes over the SimHash bands made every stored article six random index
//! writes: past ~100,000 articles each batch rewrote a page of every band index per article
//! and the ingest rate fell with the database. The bands now live here, filled from an index
//! ordered by `seq` (appended to, never written at random) the first time a write needs them
//! and brought up to date at the start of every write (another process may have written in
//! between). Each candidate is checked against its stored row before it counts, so an entry
//! left by a replaced article is harmless.
//!
//! The content hashes (exact copies) live here too since schema v8: an index on the content
//! hash took a random page write per article (15,000 pages for 20,000 articles at 1 M).

use crate::fingerprint::{bands, near};

/// One stored article's fingerprint: its SimHash and where its row is.
#[derive(Debug, Clone, Copy)]
struct Entry {
    simhash: u64,
    rowid: i64,
}

/// Every stored article with enough shingles, by each of its six SimHash bands; every
/// stored article by its content hash.
#[derive(Debug)]
pub(crate) struct NearIndex {
    /// Per band, per band value (10 or 11 bits): the articles with that value.
    bands: Vec<Vec<Vec<Entry>>>,
    /// The first row stored with each content hash (its first 64 bits), and the rows after
    /// it (rare: the same text under other ids), in the order they were stored.
    first: std::collections::HashMap<u64, i64>,
    more: std::collections::HashMap<u64, Vec<i64>>,
    /// The highest `seq` taken in.
    pub(crate) seq: i64,
}

impl NearIndex {
    pub(crate) fn new() -> NearIndex {
        NearIndex {
            bands: (0..6).map(|_| vec![Vec::new(); 1 << 11]).collect(),
            first: std::collections::HashMap::new(),
            more: std::collections::HashMap::new(),
            seq: 0,
        }
    }

    /// Takes in one stored article: its content hash, and its SimHash when `near` (it has
    /// enough shingles).
    pub(crate) fn add(&mut self, hash: &str, simhash: u64, near: bool, rowid: i64, seq: i64) {
        if near {
            for (k, band) in bands(simhash).iter().enumerate() {
                self.bands[k][*band as usize].push(Entry { simhash, rowid });
            }
        }
        match self.first.entry(hash_key(hash)) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(rowid);
            }
            std::collections::hash_map::Entry::Occupied(e) => self.more.entry(*e.key()).or_default().push(rowid),
        }
        self.seq = self.seq.max(seq);
    }

    /// The rows of the stored articles that may have this content hash, in the order they
    /// were stored (check each against its row).
    pub(crate) fn same_text(&self, hash: &str) -> Vec<i64> {
        let key = hash_key(hash);
        let mut out: Vec<i64> = self.first.get(&key).copied().into_iter().collect();
        out.extend(self.more.get(&key).into_iter().flatten().copied());
        out
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

/// The first 64 bits of a content hash (16 hex digits); anything else is hashed (the stored
/// row is checked anyway).
fn hash_key(hash: &str) -> u64 {
    match hash.get(..16).and_then(|h| u64::from_str_radix(h, 16).ok()) {
        Some(k) => k,
        None => hash.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_near_hashes_once_and_not_far_ones() {
        let mut index = NearIndex::new();
        index.add("a", 0b1011, true, 1, 1);
        index.add("b", 0b1011 ^ (1 << 40) ^ (1 << 63), true, 2, 2);
        index.add("c", !0b1011, true, 3, 3);
        index.add("d", 0b1011, false, 4, 4);
        let mut got = index.candidates(0b1010);
        got.sort_unstable();
        assert_eq!(got, vec![1, 2]);
        assert_eq!(index.seq, 4);
    }

    #[test]
    fn finds_every_row_with_the_same_text_in_stored_order() {
        let mut index = NearIndex::new();
        let h = "00000000000000ff00000000000000aa";
        index.add(h, 1, false, 7, 1);
        index.add("00000000000000fe00000000000000aa", 1, false, 8, 2);
        index.add(h, 1, false, 9, 3);
        index.add(h, 1, false, 5, 4);
        assert_eq!(index.same_text(h), vec![7, 9, 5]);
        assert!(index.same_text("00000000000000fd00000000000000aa").is_empty());
        // not a hash of ours: still kept and found
        index.add("odd", 1, false, 11, 5);
        assert_eq!(index.same_text("odd"), vec![11]);
    }
}
