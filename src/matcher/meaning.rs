//! Graded word meaning: how close two English words are, from distributional semantics.
//!
//! Moderators write one or two question patterns a fact; members ask with their own words
//! ("harbour" for port, "boss" for CEO, "soon" for "in the coming months"). A word the fact
//! does not use but that means nearly what one of its words means is a paraphrase, not a sign
//! that the question is about something else. The story's `[synonyms]` and the built-in
//! paraphrase groups catch the words someone thought of; this catches the rest, graded.
//!
//! The table (`lexicon/word_vectors.bin`, made by `lexicon/word_vectors.py`) holds a small
//! static vector for each common English word. It is read once per process and folded by
//! English stem, since the matcher compares stems. Names, numbers, dates and units of time
//! never take part: "Japan" lies close to "China", 2023 to 2024 and "weekly" to "monthly" in
//! any such space, and a fact about one must never answer a question about the other. Nor do
//! opposites (WordNet's antonyms, `lexicon/antonyms_en.txt`) or different kinds of one thing
//! (WordNet's co-hyponyms, `lexicon/siblings_en.txt`): "open" and "close", "sleep" and "woke",
//! "zinc" and "copper" share their contexts and so lie close in the table, but a question
//! about one is not about the other.

use std::collections::HashSet;
use std::hash::BuildHasher;
use std::ops::Range;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxBuildHasher;

use super::kinds;
use super::lexicon::{self, LEXICON, QUESTION_WORDS};
use super::text;

const TABLE: &[u8] = include_bytes!("lexicon/word_vectors.bin");

/// The table's vectors folded by English stem, sorted by stem for binary search.
///
/// Most stems have one word, whose vector (scaled so that its largest component is ±127, as
/// the table stores it) is its own fold: it is used in place, in the table compiled into the
/// binary, and only the sums of several words' vectors are kept on the heap. The shipped table
/// is folded already (`fold_and_lay_out_the_shipped_table`: one word a stem), so loading it
/// puts nothing there; a table straight from `lexicon/word_vectors.py` works the same.
pub(crate) struct Meanings<'a> {
    dims: usize,
    /// The stems end to end, in order; stem `i` ends at `stem_ends[i]`.
    stem_text: String,
    stem_ends: Vec<u32>,
    /// Per stem: where its vector is, see [`Place`].
    places: Vec<Place>,
    /// The table's vectors, `dims` components a word.
    raw: &'a [i8],
    /// `dims` components per folded stem, each vector scaled so that its largest component is
    /// ±127.
    folded: Vec<i8>,
}

/// Where a stem's vector is: a word's in the table, or a sum in `Meanings::folded`.
#[derive(Clone, Copy)]
enum Place {
    Raw(u32),
    Folded(u32),
}

/// Why the table could not be read: only a broken build can cause it, and a test reads the
/// shipped table, so in practice the matcher then runs without graded meaning.
#[derive(Debug, thiserror::Error, PartialEq)]
pub(crate) enum TableError {
    #[error("the word-vector table is too short or does not start with FBWV version 1")]
    Header,
    #[error("the word-vector table's sizes do not add up")]
    Size,
    #[error("the word-vector table's words are not UTF-8")]
    Encoding,
}

/// The shipped table; empty if it cannot be read (see [`TableError`]).
///
/// Parsing reads the words (and, in a table not folded yet, the rows of words that share a
/// stem), and nothing reads the rows of the words left out: their pages of the binary are
/// given back to the system (see [`unread_pages`]).
pub(crate) static MEANINGS: LazyLock<Meanings<'static>> = LazyLock::new(|| {
    let meanings = Meanings::parse(TABLE).unwrap_or_else(|error| {
        tracing::error!(%error, "graded word meaning is off");
        Meanings::empty()
    });
    for pages in unread_pages(TABLE, &meanings, crate::pages::size()) {
        crate::pages::release(TABLE, pages);
    }
    meanings
});

/// The whole pages of `table`, as address ranges, that nothing reads once `meanings` is
/// parsed from it: every page without a row that a stem's vector is read from in place. The
/// header and the words (kept as stems on the heap) are among them, and so are the rows of the
/// words that `lexicon/word_vectors.py`'s layout puts first: those folded with others of their
/// stem, and those left out.
fn unread_pages(table: &[u8], meanings: &Meanings<'_>, page: usize) -> Vec<Range<usize>> {
    let start = table.as_ptr() as usize;
    let (first, end) = (start.div_ceil(page), (start + table.len()) / page);
    let mut read = vec![false; end.saturating_sub(first)];
    let rows_at = meanings.raw.as_ptr() as usize;
    for row in meanings.rows_read_in_place() {
        let at = rows_at + row as usize * meanings.dims;
        let pages = at / page..(at + meanings.dims).div_ceil(page);
        for index in pages.filter(|index| (first..end).contains(index)) {
            read[index - first] = true;
        }
    }
    let mut unread = Vec::new();
    for (offset, run) in read.chunk_by(|a, b| a == b).scan(0, |at, run| {
        let offset = *at;
        *at += run.len();
        Some((offset, run))
    }) {
        if !run[0] {
            unread.push((first + offset) * page..(first + offset + run.len()) * page);
        }
    }
    unread
}

impl<'a> Meanings<'a> {
    fn empty() -> Self {
        Self {
            dims: 0,
            stem_text: String::new(),
            stem_ends: Vec::new(),
            places: Vec::new(),
            raw: &[],
            folded: Vec::new(),
        }
    }

    /// Reads a table in the format `lexicon/word_vectors.py` documents, averaging the
    /// vectors of words that share a stem ("port", "ports", "ported").
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Self, TableError> {
        let header = bytes.get(..20).ok_or(TableError::Header)?;
        let number = |at: usize| {
            u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
                as usize
        };
        if &header[..4] != b"FBWV" || number(4) != 1 {
            return Err(TableError::Header);
        }
        let (count, dims, words_len) = (number(8), number(12), number(16));
        let words_end = 20usize.checked_add(words_len).ok_or(TableError::Size)?;
        let vectors_len = count.checked_mul(dims).ok_or(TableError::Size)?;
        if dims == 0 || bytes.len() != words_end + vectors_len {
            return Err(TableError::Size);
        }
        let words = std::str::from_utf8(&bytes[20..words_end]).map_err(|_| TableError::Encoding)?;
        let words: Vec<&str> = words.lines().collect();
        if words.len() != count {
            return Err(TableError::Size);
        }
        let raw = &bytes[words_end..];
        // SAFETY: i8 and u8 have the same size and alignment, and every byte is a valid i8.
        let raw: &'a [i8] = unsafe { std::slice::from_raw_parts(raw.as_ptr().cast(), raw.len()) };
        Ok(Self::fold(dims, &by_stem(&words), raw))
    }

    /// One vector per stem: the sum of its words' vectors, rescaled to ±127. A stem of one
    /// word is its own sum (the format scales every word's vector to ±127): it stays in the
    /// table and is not read here, so loading leaves the rows of those words untouched.
    fn fold(dims: usize, by_stem: &[(String, usize)], raw: &'a [i8]) -> Self {
        let mut meanings = Self::empty();
        meanings.dims = dims;
        meanings.raw = raw;
        let mut sum = vec![0f32; dims];
        for group in by_stem.chunk_by(|a, b| a.0 == b.0) {
            let place = if let [(_, index)] = group {
                Place::Raw(*index as u32)
            } else {
                sum.fill(0.0);
                for &(_, index) in group {
                    let vector = &raw[index * dims..(index + 1) * dims];
                    for (total, &component) in sum.iter_mut().zip(vector) {
                        *total += f32::from(component);
                    }
                }
                let largest = sum.iter().fold(0f32, |m, v| m.max(v.abs()));
                if largest == 0.0 {
                    continue;
                }
                let scaled = sum.iter().map(|v| (v * 127.0 / largest).round() as i8);
                meanings.folded.extend(scaled);
                Place::Folded((meanings.folded.len() / dims - 1) as u32)
            };
            meanings.places.push(place);
            meanings.stem_text.push_str(&group[0].0);
            meanings.stem_ends.push(meanings.stem_text.len() as u32);
        }
        meanings
    }

    /// The table's rows that stems read in place, in row order: every other row (the words of
    /// stems with several words, folded on the heap, and the words left out) is read only
    /// while parsing.
    fn rows_read_in_place(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self
            .places
            .iter()
            .filter_map(|place| match *place {
                Place::Raw(row) => Some(row),
                Place::Folded(_) => None,
            })
            .collect();
        rows.sort_unstable();
        rows
    }

    fn at(&self, place: Place) -> &[i8] {
        let (vectors, index) = match place {
            Place::Raw(index) => (self.raw, index as usize),
            Place::Folded(index) => (&self.folded[..], index as usize),
        };
        &vectors[index * self.dims..(index + 1) * self.dims]
    }

    fn stem(&self, index: usize) -> &str {
        let start = index
            .checked_sub(1)
            .map_or(0, |i| self.stem_ends[i] as usize);
        &self.stem_text[start..self.stem_ends[index] as usize]
    }

    /// The vector of an English stem, with its length (so a cosine is one more dot product and
    /// a division).
    pub(crate) fn vector(&self, stem: &str) -> Option<(&[i8], f32)> {
        let (mut low, mut high) = (0, self.stem_ends.len());
        while low < high {
            let middle = low + (high - low) / 2;
            match self.stem(middle).cmp(stem) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => {
                    // The length is worked out here rather than stored: storing it would read
                    // every row of the table while loading.
                    let vector = self.at(self.places[middle]);
                    return Some((vector, dot(vector, vector).sqrt()));
                }
            }
        }
        None
    }

    pub(crate) fn dims(&self) -> usize {
        self.dims
    }

    /// How close two stems are in meaning, -1..=1; `None` when either has no vector.
    pub(crate) fn similarity(&self, a: &str, b: &str) -> Option<f32> {
        let (a, a_norm) = self.vector(a)?;
        let (b, b_norm) = self.vector(b)?;
        Some(dot(a, b) / (a_norm * b_norm))
    }
}

/// The table's words that take part, as (English stem, row), sorted: names, numbers, dates
/// and the like are left out (see [`Excluded`]).
fn by_stem(words: &[&str]) -> Vec<(String, usize)> {
    let excluded = Excluded::new();
    let stemmer = Stemmer::create(Algorithm::English);
    let mut by_stem: Vec<(String, usize)> = words
        .iter()
        .enumerate()
        .filter(|(_, word)| !excluded.word(word))
        .map(|(index, word)| (stemmer.stem(word).into_owned(), index))
        .filter(|(stem, _)| !excluded.stem(stem))
        .collect();
    by_stem.sort();
    by_stem
}

/// Pairs of opposite stems and of stems of different kinds of one thing, each as the hashes of
/// its two stems (smaller first), sorted: 16 bytes a pair for the 3,300 pairs of the built-in
/// lists, searched only for a word that comes close in meaning.
static OPPOSITES: LazyLock<Vec<(u64, u64)>> = LazyLock::new(|| {
    let stemmer = Stemmer::create(Algorithm::English);
    let mut pairs: Vec<(u64, u64)> = lexicon::antonyms()
        .chain(lexicon::siblings())
        .map(|(word, antonym)| {
            let (a, b) = (stemmer.stem(word), stemmer.stem(antonym));
            ordered(stem_hash(&a), stem_hash(&b))
        })
        .filter(|(a, b)| a != b)
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
});

fn stem_hash(stem: &str) -> u64 {
    FxBuildHasher.hash_one(stem)
}

fn ordered(a: u64, b: u64) -> (u64, u64) {
    (a.min(b), a.max(b))
}

/// The facts' words that have a meaning, side by side: what a question's word is compared
/// with. Built with the index, so a question costs one pass over it per content word.
#[derive(Default)]
pub(crate) struct FactWords {
    terms: Vec<u32>,
    /// Each term's stem hashed, to tell its opposites (see [`OPPOSITES`]).
    hashes: Vec<u64>,
    dims: usize,
    vectors: Vec<i8>,
    norms: Vec<f32>,
}

impl FactWords {
    /// The terms of `term_ids` (stem → id) that the table knows, in id order.
    pub(crate) fn new<'a>(term_ids: impl Iterator<Item = (&'a str, u32)>) -> Self {
        let meanings = &*MEANINGS;
        // Stemmed here, while the facts load, not by the first question that needs it.
        LazyLock::force(&OPPOSITES);
        let mut known: Vec<(u32, u64, &[i8], f32)> = term_ids
            .filter_map(|(stem, id)| {
                let (vector, norm) = meanings.vector(stem)?;
                Some((id, stem_hash(stem), vector, norm))
            })
            .collect();
        known.sort_unstable_by_key(|&(id, _, _, _)| id);
        let mut words = Self {
            dims: meanings.dims(),
            ..Self::default()
        };
        for (id, hash, vector, norm) in known {
            words.terms.push(id);
            words.hashes.push(hash);
            words.vectors.extend_from_slice(vector);
            words.norms.push(norm);
        }
        words
    }

    /// Each term with its vector and the vector's length, in id order.
    pub(crate) fn each(&self) -> impl Iterator<Item = (u32, &[i8], f32)> {
        let dims = self.dims.max(1);
        self.terms
            .iter()
            .zip(self.vectors.chunks_exact(dims))
            .zip(&self.norms)
            .map(|((&term, vector), &norm)| (term, vector, norm))
    }

    /// The facts' terms whose meaning lies within `threshold` cosine of `stem`'s, with the
    /// cosine, in id order; `stem` itself and its opposites are left out.
    pub(crate) fn close_to(&self, stem: &str, threshold: f32) -> Vec<(u32, f32)> {
        let Some((vector, norm)) = MEANINGS.vector(stem) else {
            return Vec::new();
        };
        if self.dims == 0 {
            return Vec::new();
        }
        let own = stem_hash(stem);
        self.vectors
            .chunks_exact(self.dims)
            .zip(&self.norms)
            .zip(self.terms.iter().zip(&self.hashes))
            .filter_map(|((other, &other_norm), (&term, &hash))| {
                let cosine = dot(vector, other) / (norm * other_norm);
                (threshold..0.999)
                    .contains(&cosine)
                    .then_some((term, hash, cosine))
            })
            .filter(|&(_, hash, _)| OPPOSITES.binary_search(&ordered(own, hash)).is_err())
            .map(|(term, _, cosine)| (term, cosine))
            .collect()
    }
}

/// The dot product of two quantised vectors. Integer arithmetic, which the compiler
/// vectorises; matching runs it once per fact word for a word the fact lacks.
pub(crate) fn dot(a: &[i8], b: &[i8]) -> f32 {
    let sum: i32 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| i32::from(x) * i32::from(y))
        .sum();
    sum as f32
}

/// Words and stems that must match exactly or not at all: names, numbers, dates and times,
/// and words that only say what kind of answer is wanted.
struct Excluded {
    name_stems: HashSet<String>,
}

impl Excluded {
    fn new() -> Self {
        let stemmer = Stemmer::create(Algorithm::English);
        let name_stems = LEXICON
            .names
            .iter()
            .map(|name| stemmer.stem(name).into_owned())
            .collect();
        Self { name_stems }
    }

    fn word(&self, word: &str) -> bool {
        LEXICON.names.contains(word)
            || LEXICON.english_stopwords.contains(word)
            || text::is_number(word)
            || kinds::is_number_or_date_word(word)
            || kinds::is_time_unit(word)
    }

    fn stem(&self, stem: &str) -> bool {
        self.name_stems.contains(stem)
            || QUESTION_WORDS.contains(&stem)
            || LEXICON.attribute_stems.contains(stem)
            || LEXICON.named_attribute_stems.contains(stem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table in the shipped format, from (word, vector) pairs.
    fn table(entries: &[(&str, &[i8])]) -> Vec<u8> {
        let dims = entries[0].1.len() as u32;
        let words: String = entries.iter().map(|(w, _)| format!("{w}\n")).collect();
        let mut bytes = b"FBWV".to_vec();
        for number in [1, entries.len() as u32, dims, words.len() as u32] {
            bytes.extend(number.to_le_bytes());
        }
        bytes.extend(words.as_bytes());
        for (_, vector) in entries {
            bytes.extend(vector.iter().map(|&v| v as u8));
        }
        bytes
    }

    #[test]
    fn words_of_one_stem_share_a_vector_and_close_words_are_close() {
        let bytes = table(&[
            ("harbour", &[120, 10, 0]),
            ("port", &[100, 40, 0]),
            ("ports", &[110, 30, 0]),
            ("tea", &[0, 0, 127]),
        ]);
        let meanings = Meanings::parse(&bytes).expect("a well-formed table");
        assert!(meanings.vector("ports").is_none(), "looked up by stem");
        let close = meanings.similarity("harbour", "port").unwrap();
        let far = meanings.similarity("harbour", "tea").unwrap();
        assert!(close > 0.9 && far.abs() < 0.01, "{close} {far}");
    }

    #[test]
    fn a_word_alone_in_its_stem_is_read_in_place_and_sums_are_rescaled_to_127() {
        let bytes = table(&[
            ("tea", &[0, -127, 5]),
            ("coffee", &[0, 64, 32]),
            ("coffees", &[0, 64, 32]),
        ]);
        let meanings = Meanings::parse(&bytes).unwrap();
        let tea = meanings.vector("tea").unwrap().0;
        assert_eq!(tea, [0, -127, 5]);
        assert!(std::ptr::eq(tea, &meanings.raw[..3]), "used in place");
        assert_eq!(
            meanings.vector("coffe").unwrap().0,
            [0, 127, 64],
            "rescaled"
        );
        assert_eq!(meanings.rows_read_in_place(), [0]);
        assert!(meanings.vector("te").is_none() && meanings.vector("zzz").is_none());
    }

    #[test]
    fn only_pages_without_a_row_read_in_place_are_unread() {
        // Eight dimensions, pages of 16 bytes: rows of 8 bytes, two a page once aligned.
        let words = ["kettle", "kettles", "pot", "pots", "tea"];
        let mut entries: Vec<(&str, [i8; 8])> = Vec::new();
        for word in words {
            entries.push((word, [127, 0, 0, 0, 0, 0, 0, 1]));
        }
        let refs: Vec<(&str, &[i8])> = entries.iter().map(|(w, v)| (*w, &v[..])).collect();
        let bytes = table(&refs);
        let meanings = Meanings::parse(&bytes).unwrap();
        assert_eq!(
            meanings.rows_read_in_place(),
            [4],
            "only tea is alone in its stem"
        );
        let start = bytes.as_ptr() as usize;
        let tea = meanings.raw.as_ptr() as usize + 4 * 8;
        let unread = unread_pages(&bytes, &meanings, 16);
        assert!(!unread.is_empty());
        for pages in &unread {
            assert!(pages.start >= start && pages.end <= start + bytes.len());
            assert!(pages.start.is_multiple_of(16) && pages.end.is_multiple_of(16));
            assert!(
                pages.end <= tea || pages.start >= tea + 8,
                "tea's row is read"
            );
        }
        let unread_bytes: usize = unread.iter().map(Range::len).sum();
        assert!(
            unread_bytes >= bytes.len() - 16 * 3,
            "{unread_bytes} of {}",
            bytes.len()
        );
    }

    /// `lexicon/word_vectors.py` writes the words in byte order;
    /// [`fold_and_lay_out_the_shipped_table`] then folds them by stem and moves the rows
    /// parsing alone reads to the front, so that their pages can be given back whole.
    #[test]
    fn the_shipped_table_puts_the_rows_read_in_place_last() {
        let meanings = &*MEANINGS;
        let rows = meanings.rows_read_in_place();
        let count = meanings.raw.len() / meanings.dims();
        let first = count - rows.len();
        assert!(
            rows.iter()
                .enumerate()
                .all(|(i, &row)| row as usize == first + i),
            "run `cargo test --lib fold_and_lay_out_the_shipped_table -- --ignored` after \
             changing the table or the word lists"
        );
        let rows_reach_127 = meanings
            .raw
            .chunks_exact(meanings.dims())
            .all(|row| row.iter().map(|component| component.unsigned_abs()).max() == Some(127));
        assert!(rows_reach_127, "a word alone in its stem is read as it is");
        assert!(
            meanings.folded.is_empty(),
            "one word a stem: nothing folded while loading"
        );
        let unread: usize = unread_pages(TABLE, meanings, 4096)
            .iter()
            .map(Range::len)
            .sum();
        assert!(
            unread * 3 > TABLE.len(),
            "{unread} of {} bytes",
            TABLE.len()
        );
    }

    /// Rewrites `lexicon/word_vectors.bin` folded by stem and laid out: the words of a stem
    /// become one row, the first word's, holding the stem's fold (what parsing would compute),
    /// so that every stem is read in place and nothing is folded on the heap; the rows of words
    /// left out (names, numbers…: read by nobody) come first, then the rest, each part in byte
    /// order, so that loading can give back whole pages. Run after `lexicon/word_vectors.py`;
    /// running it again changes nothing.
    #[test]
    #[ignore = "rewrites the shipped table"]
    fn fold_and_lay_out_the_shipped_table() {
        let words_len = u32::from_le_bytes(TABLE[16..20].try_into().unwrap()) as usize;
        let dims = u32::from_le_bytes(TABLE[12..16].try_into().unwrap()) as usize;
        let words: Vec<&str> = std::str::from_utf8(&TABLE[20..20 + words_len])
            .unwrap()
            .lines()
            .collect();
        let rows = &TABLE[20 + words_len..];
        let row = |index: usize| -> Vec<i8> {
            rows[index * dims..(index + 1) * dims]
                .iter()
                .map(|&b| b as i8)
                .collect()
        };
        let parsed = Meanings::parse(TABLE).unwrap();
        let by_stem = by_stem(&words);
        let mut in_a_stem = vec![false; words.len()];
        // (read in place, word, vector)
        let mut entries: Vec<(bool, &str, Vec<i8>)> = Vec::new();
        for (stem, group) in by_stem.chunk_by(|a, b| a.0 == b.0).map(|g| (&g[0].0, g)) {
            group.iter().for_each(|(_, index)| in_a_stem[*index] = true);
            match parsed.vector(stem) {
                Some((vector, _)) => entries.push((true, words[group[0].1], vector.to_vec())),
                // Words that sum to nothing have no vector: kept as they are, they still don't.
                None => entries.extend(group.iter().map(|&(_, i)| (false, words[i], row(i)))),
            }
        }
        for (index, word) in words.iter().enumerate() {
            if !in_a_stem[index] {
                entries.push((false, word, row(index)));
            }
        }
        entries.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        let refs: Vec<(&str, &[i8])> = entries.iter().map(|(_, w, v)| (*w, &v[..])).collect();
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/matcher/lexicon/word_vectors.bin"
        );
        std::fs::write(path, table(&refs)).unwrap();
    }

    #[test]
    fn names_numbers_dates_and_units_of_time_have_no_meaning_to_share() {
        let bytes = table(&[
            ("china", &[127, 0]),
            ("japan", &[127, 1]),
            ("june", &[1, 127]),
            ("july", &[2, 127]),
            ("seven", &[5, 127]),
            ("week", &[3, 127]),
            ("month", &[4, 127]),
            ("monthly", &[4, 126]),
            ("port", &[127, 3]),
        ]);
        let meanings = Meanings::parse(&bytes).unwrap();
        // "china" is an ordinary English word (porcelain): the matcher keeps it exact when a
        // story capitalises it; see `Matcher::named`. A week is never a month either.
        for word in ["japan", "june", "juli", "seven", "week", "month"] {
            assert!(meanings.vector(word).is_none(), "{word}");
        }
        assert!(meanings.vector("port").is_some());
    }

    #[test]
    fn a_damaged_table_is_refused() {
        let mut bytes = table(&[("port", &[1, 2])]);
        assert_eq!(
            Meanings::parse(&bytes[..10]).err(),
            Some(TableError::Header)
        );
        bytes.pop();
        assert_eq!(Meanings::parse(&bytes).err(), Some(TableError::Size));
        bytes[0] = b'X';
        assert_eq!(Meanings::parse(&bytes).err(), Some(TableError::Header));
    }

    #[test]
    fn opposites_never_count_as_each_other_however_close_they_lie() {
        let stem = |w: &str| Stemmer::create(Algorithm::English).stem(w).into_owned();
        let (open, sleeping, harbor) = (stem("open"), stem("sleeping"), stem("harbor"));
        let table = &*MEANINGS;
        assert!(table.similarity(&open, &stem("closed")).unwrap_or(0.0) > 0.4);
        let terms = [(stem("closed"), 0), (stem("woke"), 1), (stem("port"), 2)];
        let facts = FactWords::new(terms.iter().map(|(stem, id)| (stem.as_str(), *id)));
        assert!(facts.close_to(&open, 0.4).is_empty(), "open is not closed");
        assert!(
            facts.close_to(&sleeping, 0.4).is_empty(),
            "sleeping is not woke"
        );
        assert_eq!(
            facts
                .close_to(&harbor, 0.4)
                .iter()
                .map(|&(id, _)| id)
                .collect::<Vec<_>>(),
            [2],
            "a harbor is a port"
        );
    }

    /// Different kinds of one thing lie close too ("zinc" and "copper" are both metals mined
    /// in Peru), but a question about one is not about the other.
    #[test]
    fn kinds_of_one_thing_never_count_as_each_other() {
        let stem = |w: &str| Stemmer::create(Algorithm::English).stem(w).into_owned();
        let table = &*MEANINGS;
        let (zinc, flu) = (stem("zinc"), stem("influenza"));
        assert!(table.similarity(&zinc, &stem("copper")).unwrap_or(0.0) > 0.4);
        assert!(table.similarity(&flu, &stem("pneumonia")).unwrap_or(0.0) > 0.4);
        let terms = [(stem("copper"), 0), (stem("pneumonia"), 1)];
        let facts = FactWords::new(terms.iter().map(|(stem, id)| (stem.as_str(), *id)));
        assert!(facts.close_to(&zinc, 0.4).is_empty(), "zinc is not copper");
        assert!(facts.close_to(&flu, 0.4).is_empty(), "flu is not pneumonia");
    }

    #[test]
    fn the_shipped_table_knows_paraphrases_and_keeps_names_apart() {
        let meanings = &*MEANINGS;
        assert!(meanings.dims() > 0, "the shipped table reads");
        let stem = |w: &str| Stemmer::create(Algorithm::English).stem(w).into_owned();
        let close = |a: &str, b: &str| meanings.similarity(&stem(a), &stem(b)).unwrap_or(-1.0);
        assert!(close("harbor", "port") > 0.4, "{}", close("harbor", "port"));
        assert!(close("harbor", "coffee") < 0.3);
        assert!(meanings.vector(&stem("japan")).is_none());
    }
}
