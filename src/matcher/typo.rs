//! Typo tolerance: a misspelt word of a question to the word of the facts it was meant to be.
//!
//! Lookups use precomputed deletions (the SymSpell idea): every dictionary word is stored with
//! the strings made by deleting one or two of its letters, so a query word meets its candidates
//! through its own deletions. The cost depends on the length of the word, not on the size of the
//! dictionary, which is what lets matching stay in microseconds on large fact bases.

use rustc_hash::FxHashSet;

use crate::threads;

/// How far a word may be from its correction: short words have too many close neighbours to
/// correct safely, so the allowance grows with length.
fn max_distance(length: usize) -> usize {
    match length {
        0..=3 => 0,
        4..=8 => 1,
        _ => 2,
    }
}

pub(crate) struct Corrector {
    words: Vec<String>,
    /// How often each word occurs in the facts: the tie-break between equally close words.
    frequency: Vec<u32>,
    /// (hash of a deletion variant, word index), sorted for binary search. Hashes keep the table
    /// small, and 32 bits of one are enough: the table holds some 170,000 entries for a story,
    /// and a collision only yields a candidate that the distance check then rejects. Eight
    /// bytes an entry where a 64-bit hash made sixteen (with padding): 1.4 MB less a snapshot.
    deletions: Vec<(u32, u32)>,
}

impl Corrector {
    /// A corrector over `words`, each with how often it occurs.
    pub(crate) fn new(words: impl IntoIterator<Item = (String, u32)>) -> Self {
        let mut sorted: Vec<(String, u32)> = words
            .into_iter()
            .filter(|(word, _)| word.chars().count() >= 3 && word.chars().all(char::is_alphabetic))
            .collect();
        sorted.sort();
        let (words, frequency): (Vec<String>, Vec<u32>) = sorted.into_iter().unzip();
        // The table of a large dictionary is most of a load's work after the index: each
        // core makes the entries of half the words, then sorts half of the buckets.
        let middle = words.len() / 2;
        let (mut entries, second) = threads::both(
            || deletion_entries(&words[..middle], 0),
            || deletion_entries(&words[middle..], middle),
        );
        entries.extend(second);
        entries = sort_by_bucket(entries);
        entries.dedup();
        let deletions = entries;
        Self {
            words,
            frequency,
            deletions,
        }
    }

    /// The closest dictionary word within the allowance for `word`'s length, if any.
    pub(crate) fn correct(&self, word: &str) -> Option<&str> {
        let chars: Vec<char> = word.chars().collect();
        let allowance = max_distance(chars.len());
        if allowance == 0 || !chars.iter().all(|c| c.is_alphabetic()) {
            return None;
        }
        let mut best: Option<(usize, u8, std::cmp::Reverse<u32>, &str)> = None;
        let mut scratch = Deletions::default();
        for &key in scratch.hashes(&chars, allowance) {
            let key = fold(key);
            let start = self.deletions.partition_point(|(h, _)| *h < key);
            for &(h, i) in &self.deletions[start..] {
                if h != key {
                    break;
                }
                let candidate = self.words[i as usize].as_str();
                let distance = strsim::osa_distance(word, candidate);
                if distance == 0
                    || distance > allowance
                    || distance > max_distance(candidate.chars().count())
                {
                    continue;
                }
                if !first_letters_agree(word, candidate, distance) {
                    continue;
                }
                let key = (
                    distance,
                    slip_cost(word, candidate),
                    std::cmp::Reverse(self.frequency[i as usize]),
                    candidate,
                );
                if best.is_none_or(|b| key < b) {
                    best = Some(key);
                }
            }
        }
        best.map(|(_, _, _, word)| word)
    }

    /// Where `word` is in the dictionary (its words are sorted).
    fn position(&self, word: &str) -> Option<usize> {
        self.words
            .binary_search_by(|known| known.as_str().cmp(word))
            .ok()
    }

    /// The dictionary word that `word` is with two neighbouring letters swapped ("sing" for
    /// "sign"): the one slip that turns a word into another real word often enough to be
    /// worth fixing even when the typo is itself a word.
    pub(crate) fn unswapped(&self, word: &str) -> Option<&str> {
        let chars: Vec<char> = word.chars().collect();
        (1..chars.len())
            .filter(|&i| chars[i - 1] != chars[i])
            .filter_map(|i| {
                let mut swapped = chars.clone();
                swapped.swap(i - 1, i);
                let candidate: String = swapped.into_iter().collect();
                self.position(&candidate).map(|at| self.words[at].as_str())
            })
            .next()
    }

    /// The one dictionary word that three-letter `word` is with a letter left out ("frm" for
    /// firm, "clu" for club): the commonest slip, which the allowance for its length (none)
    /// cannot undo. The caller keeps words in use of three letters ("tea") from it.
    pub(crate) fn lengthened(&self, word: &str) -> Option<&str> {
        if word.len() != 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        let mut found: Option<usize> = None;
        let mut candidate = [0u8; 4];
        for at in 0..=word.len() {
            candidate[..at].copy_from_slice(&word.as_bytes()[..at]);
            candidate[at + 1..].copy_from_slice(&word.as_bytes()[at..]);
            for letter in b'a'..=b'z' {
                candidate[at] = letter;
                let Ok(candidate) = std::str::from_utf8(&candidate) else {
                    continue;
                };
                match (self.position(candidate), found) {
                    (Some(i), Some(j)) if i != j => return None,
                    (Some(i), _) => found = Some(i),
                    (None, _) => {}
                }
            }
        }
        found.map(|i| self.words[i].as_str())
    }

    /// Two dictionary words run together (`smartrail` → `smart`, `rail`), each at least three
    /// letters; the most frequent pair wins.
    pub(crate) fn split(&self, word: &str) -> Option<(&str, &str)> {
        let boundaries: Vec<usize> = word.char_indices().map(|(i, _)| i).skip(3).collect();
        boundaries
            .into_iter()
            .filter(|&i| word[i..].chars().count() >= 3)
            .filter_map(|i| {
                let (left, right) = (word[..i].to_owned(), &word[i..]);
                let l = self.position(&left)?;
                let r = self.position(right)?;
                Some((
                    self.frequency[l] + self.frequency[r],
                    std::cmp::Reverse(i),
                    l,
                    r,
                ))
            })
            .max()
            .map(|(_, _, l, r)| (self.words[l].as_str(), self.words[r].as_str()))
    }
}

/// How unlikely a one-letter slip is as a typo, to choose between equally close words:
/// one of a double letter left out or typed twice, and two letters swapped, are the
/// commonest (0), then another letter left out or added, or a neighbouring key (1), then
/// any other letter (2). "wher" is "where", not "when"; "cros" is "cross", not "crops".
fn slip_cost(word: &str, candidate: &str) -> u8 {
    let a: Vec<char> = word.chars().collect();
    let b: Vec<char> = candidate.chars().collect();
    if a.len() != b.len() {
        let (longer, shorter) = if a.len() > b.len() {
            (&a, &b)
        } else {
            (&b, &a)
        };
        let at = (0..shorter.len())
            .find(|&i| longer[i] != shorter[i])
            .unwrap_or(shorter.len());
        let doubled =
            (at > 0 && longer[at - 1] == longer[at]) || longer.get(at + 1) == Some(&longer[at]);
        return u8::from(!doubled);
    }
    let differing: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match differing.as_slice() {
        [i] if neighbouring_keys(a[*i], b[*i]) => 1,
        [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i] => 0,
        _ => 2,
    }
}

/// Whether two letters are next to each other on a QWERTY keyboard.
fn neighbouring_keys(a: char, b: char) -> bool {
    const ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
    let position = |c: char| {
        ROWS.iter()
            .enumerate()
            .find_map(|(row, keys)| keys.find(c).map(|column| (row as i32, column as i32)))
    };
    let (Some((row_a, col_a)), Some((row_b, col_b))) = (position(a), position(b)) else {
        return false;
    };
    // Each row sits half a key to the right of the one above it.
    match row_b - row_a {
        0 => (col_a - col_b).abs() == 1,
        1 => col_b == col_a || col_b == col_a - 1,
        -1 => col_a == col_b || col_a == col_b - 1,
        _ => false,
    }
}

/// What a scoped thread returned, or its panic carried on.
/// The (deletion hash, word index) pairs of `words`, whose indices start at `first`.
fn deletion_entries(words: &[String], first: usize) -> Vec<(u32, u32)> {
    // At most the word, its single and its double deletions: reserving that up front spares
    // the copies and fresh pages of a vector doubling its way to a million entries.
    let most: usize = words
        .iter()
        .map(|word| {
            let n = word.len();
            match max_distance(n + 1) {
                0 => 1,
                1 => 1 + n,
                _ => 1 + n + n * n.saturating_sub(1) / 2,
            }
        })
        .sum();
    let mut deletions = Vec::with_capacity(most);
    let mut scratch = Deletions::default();
    let mut chars: Vec<char> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        chars.clear();
        chars.extend(word.chars());
        // A query word one longer than the allowance for its own length can reach this
        // word, so store deletions for the largest allowance a neighbour could use.
        let depth = max_distance(chars.len() + 1);
        let hashes = scratch.hashes(&chars, depth);
        deletions.extend(hashes.iter().map(|&h| (fold(h), (first + i) as u32)));
    }
    deletions
}

/// The top bits of a hash that pick its bucket in [`sort_by_bucket`]: some 65,000 buckets,
/// so a large dictionary's table leaves only a handful of entries in each.
const BUCKET_BITS: u32 = 16;

/// `entries` sorted, as `sort_unstable` would: first distributed by the top bits of their
/// hash (one counting pass, one scattering pass), then each small bucket sorted on its own.
/// Sorting a million entries at once was most of building the table; FNV hashes spread
/// evenly over the buckets.
fn sort_by_bucket(entries: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    let bucket = |hash: u32| (hash >> (u32::BITS - BUCKET_BITS)) as usize;
    let mut starts = vec![0u32; (1 << BUCKET_BITS) + 1];
    for &(hash, _) in &entries {
        starts[bucket(hash) + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut sorted = vec![(0, 0); entries.len()];
    let mut next = starts.clone();
    for entry in entries {
        let at = &mut next[bucket(entry.0)];
        sorted[*at as usize] = entry;
        *at += 1;
    }
    // The buckets of the first half of the entries on another core, the rest on this one.
    let half = starts.partition_point(|&start| (start as usize) < sorted.len() / 2);
    let (low, high) = sorted.split_at_mut(starts[half] as usize);
    threads::both(
        || sort_buckets(high, &starts[half..], starts[half]),
        || sort_buckets(low, &starts[..=half], 0),
    );
    sorted
}

/// Sorts each bucket of `entries`, whose bounds `starts` gives counted from `offset`.
fn sort_buckets(entries: &mut [(u32, u32)], starts: &[u32], offset: u32) {
    for pair in starts.windows(2) {
        entries[(pair[0] - offset) as usize..(pair[1] - offset) as usize].sort_unstable();
    }
}

/// People rarely get a word's first letter wrong; requiring it for small distances avoids
/// turning a real but unknown word into a different known one (`cost` → `most`).
fn first_letters_agree(word: &str, candidate: &str, distance: usize) -> bool {
    distance > 1 || word.chars().next() == candidate.chars().next()
}

/// Scratch space for deletion hashes, reused from word to word: building the dictionary
/// makes tens of thousands of words' deletions, and allocating for each was most of its cost.
#[derive(Default)]
struct Deletions {
    hashes: Vec<u64>,
    /// The same hashes, for the membership test. FxHash is safe here: a word has at most a
    /// few dozen deletions, so even crafted collisions cost nothing.
    seen: FxHashSet<u64>,
    /// The variants of the current level, one after another (all have the same length).
    level: Vec<char>,
    next: Vec<char>,
    shorter: Vec<char>,
}

impl Deletions {
    /// Hashes of the word itself and of every string made by deleting up to `depth`
    /// characters. A variant whose hash was already seen is not shortened further.
    fn hashes(&mut self, chars: &[char], depth: usize) -> &[u64] {
        let Self {
            hashes,
            seen,
            level,
            next,
            shorter,
        } = self;
        hashes.clear();
        seen.clear();
        let whole = hash(chars);
        hashes.push(whole);
        seen.insert(whole);
        level.clear();
        level.extend_from_slice(chars);
        let mut length = chars.len();
        for _ in 0..depth {
            next.clear();
            if length > 2 {
                for variant in level.chunks_exact(length) {
                    for skip in 0..length {
                        shorter.clear();
                        shorter.extend(variant[..skip].iter().chain(&variant[skip + 1..]));
                        let h = hash(shorter);
                        if seen.insert(h) {
                            hashes.push(h);
                            next.extend_from_slice(shorter);
                        }
                    }
                }
            }
            std::mem::swap(level, next);
            length = length.saturating_sub(1);
        }
        hashes
    }
}

/// FNV-1a over the characters: stable across runs and platforms, so the same input always
/// gives the same outcome.
fn hash(chars: &[char]) -> u64 {
    chars.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &c| {
        (hash ^ u64::from(u32::from(c))).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The table's 32 bits of a hash: both halves, since FNV's low bits mix the least.
fn fold(hash: u64) -> u32 {
    (hash ^ (hash >> 32)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corrector() -> Corrector {
        let words = [
            "huawei",
            "investment",
            "conference",
            "shipping",
            "agreements",
            "training",
            "smart",
            "rail",
            "zinc",
            "most",
            "port",
            "jinping",
            "autonomous",
        ];
        Corrector::new(words.iter().map(|w| ((*w).to_owned(), 1)))
    }

    #[track_caller]
    fn check(word: &str, expect: Option<&str>) {
        assert_eq!(corrector().correct(word), expect, "{word}");
    }

    #[test]
    fn a_three_letter_word_is_the_one_word_a_letter_longer() {
        let corrector = corrector();
        assert_eq!(corrector.lengthened("znc"), Some("zinc"));
        assert_eq!(corrector.lengthened("rai"), Some("rail"));
        assert_eq!(corrector.lengthened("pot"), Some("port"));
        // "most" and "mist" are each a letter from "mst": no sure reading.
        let two = Corrector::new(["most", "mist"].map(|w| (w.to_owned(), 1)));
        assert_eq!(two.lengthened("mst"), None);
        assert_eq!(corrector.lengthened("xyz"), None);
        assert_eq!(corrector.lengthened("rails"), None, "only three letters");
    }

    #[test]
    fn common_typos_are_fixed() {
        check("huawai", Some("huawei"));
        check("investmnet", Some("investment"));
        check("conferance", Some("conference"));
        check("shiping", Some("shipping"));
        check("agreemnts", Some("agreements"));
        check("trainning", Some("training"));
        check("jinpin", Some("jinping"));
        check("autonomus", Some("autonomous"));
        check("zink", Some("zinc"));
    }

    #[test]
    fn unknown_words_are_not_forced_onto_known_ones() {
        check("cost", None);
        check("japan", None);
        check("revenue", None);
        check("pot", None);
        check("huawei", None);
    }

    #[test]
    fn the_likelier_slip_wins_a_tie() {
        assert_eq!(slip_cost("wher", "where"), 1);
        assert_eq!(
            slip_cost("cros", "cross"),
            0,
            "one of a double letter left out"
        );
        assert_eq!(slip_cost("cros", "crops"), 1);
        assert_eq!(slip_cost("rooute", "route"), 0, "a letter typed twice");
        assert_eq!(slip_cost("wehn", "when"), 0);
        assert_eq!(slip_cost("whem", "when"), 1);
        assert_eq!(slip_cost("wher", "when"), 2);
        assert!(neighbouring_keys('s', 'w') && neighbouring_keys('n', 'm'));
        assert!(!neighbouring_keys('r', 'n'));
        let corrector = Corrector::new([("when".to_owned(), 9), ("where".to_owned(), 1)]);
        assert_eq!(corrector.correct("wher"), Some("where"));
        let corrector = Corrector::new([("crops".to_owned(), 9), ("cross".to_owned(), 1)]);
        assert_eq!(corrector.correct("cros"), Some("cross"));
        let corrector = Corrector::new([("sign".to_owned(), 1)]);
        assert_eq!(corrector.unswapped("sing"), Some("sign"));
        assert_eq!(corrector.unswapped("sang"), None);
    }

    #[test]
    fn sorting_by_bucket_is_sorting() {
        let mut state = 0x1234_5678_u64;
        let mut entries: Vec<(u32, u32)> = (0..5_000)
            .map(|i| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                // Few distinct high bits: crowded buckets, repeated hashes and pairs.
                ((state >> 32) as u32 >> (i % 3 * 10), (i % 7) as u32)
            })
            .collect();
        entries.extend_from_within(..100);
        let by_bucket = sort_by_bucket(entries.clone());
        entries.sort_unstable();
        assert_eq!(by_bucket, entries);
    }

    #[test]
    fn the_table_is_every_entry_sorted_once() {
        let words: Vec<String> = ["huawei", "investment", "port", "rail", "zinc"]
            .iter()
            .map(|w| (*w).to_owned())
            .collect();
        let mut plain = deletion_entries(&words, 0);
        plain.sort_unstable();
        plain.dedup();
        assert_eq!(
            Corrector::new(words.iter().map(|w| (w.clone(), 1))).deletions,
            plain
        );
    }

    #[test]
    fn deletions_are_those_of_every_shorter_spelling() {
        let word: Vec<char> = "banana".chars().collect();
        let mut spellings = std::collections::BTreeSet::from([word.clone()]);
        let mut level = vec![word.clone()];
        for _ in 0..2 {
            let shorter: Vec<Vec<char>> = level
                .iter()
                .flat_map(|v| (0..v.len()).map(move |skip| [&v[..skip], &v[skip + 1..]].concat()))
                .collect();
            spellings.extend(shorter.iter().cloned());
            level = shorter;
        }
        let mut expect: Vec<u64> = spellings.iter().map(|s| hash(s)).collect();
        let mut found = Deletions::default().hashes(&word, 2).to_vec();
        expect.sort_unstable();
        found.sort_unstable();
        assert_eq!(found, expect);
    }

    #[test]
    fn joined_words_are_split() {
        assert_eq!(corrector().split("smartrail"), Some(("smart", "rail")));
        assert_eq!(corrector().split("railway"), None);
    }
}
