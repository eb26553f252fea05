//! A misspelt common English word that the facts do not use, read as the word meant.
//!
//! The typo corrector (`typo.rs`) only knows the facts' words. A member who writes "actualy",
//! "spoted" or "hospitl" misspells a word no fact uses: left as it is, the misspelling is an
//! unknown word, the heaviest kind, and counts against every fact. Read as the English word it
//! stands for, it is filler ("actually"), or a word whose meaning the matcher can weigh
//! ("spotted" for detected, "hospital" for the infirmary the answer names), as it would have
//! been if spelt right.
//!
//! Only one slip is undone, and only when it leads to one word of the built-in English list,
//! or to one word by doubling a letter (the most common English misspelling: "finaly",
//! "acording"), or to several of which one is far more common in English than every other
//! reading of another stem ("bakc": back, not bake; "talkd": talk, talked or talks, all one
//! word to the matcher). A misspelling with several readings of like use says nothing sure
//! ("sorce": source or force).

use std::hash::Hasher;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHasher;

use super::lexicon::LEXICON;

/// Shorter words are a slip away from too many others to be read safely, unless one reading
/// is far more common than the rest (see [`FREQUENCY_LEAD`]).
const MIN_LETTERS: usize = 5;
/// Four-letter misspellings ("bakc", "whta") are read only by how common their readings are.
const MIN_LETTERS_BY_FREQUENCY: usize = 4;
/// How much more common (in Zipf × 10: 10 is ten times as common) the most common reading of
/// a misspelling must be than every reading of another stem to be the one meant.
const FREQUENCY_LEAD: u8 = 10;
/// The English list's longest words have 12 letters: a longer word is more than one slip from
/// all of them, and is not tried (a hostile message of long made-up words costs nothing).
const MAX_LETTERS: usize = 13;

/// A word is some 450 slips from others, nearly all of them no word: a bit per hash of the
/// English words (64 KiB, made once a process) turns most away before the sorted list is
/// searched, so a misspelling costs microseconds, not the tens a search of each would.
const FILTER_BITS: usize = 1 << 19;

static FILTER: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut bits = vec![0u64; FILTER_BITS / 64];
    for word in LEXICON.english_words.iter() {
        let at = slot(word.as_bytes());
        bits[at / 64] |= 1 << (at % 64);
    }
    bits
});

fn slot(word: &[u8]) -> usize {
    let mut hasher = FxHasher::default();
    hasher.write(word);
    (hasher.finish() as usize) % FILTER_BITS
}

/// Whether `candidate` is a word of the English list.
fn is_english(candidate: &[u8]) -> bool {
    let at = slot(candidate);
    FILTER[at / 64] & (1 << (at % 64)) != 0
        && std::str::from_utf8(candidate).is_ok_and(|word| LEXICON.english_words.contains(word))
}

/// What a member's slip was, seen from the word meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slip {
    /// A letter typed too many ("arepas" read as "areas"): the least sure reading, since a
    /// word the list lacks (a dish, a name) is one letter longer than many that it has;
    /// `doubled` when it doubles the letter beside it ("storry"), a slip of the fingers as
    /// common as leaving one out.
    Extra { doubled: bool },
    /// Two letters swapped ("bakc").
    Swapped,
    /// A letter typed for another.
    Changed,
    /// A letter left out ("talkd"); `doubled` when the letter left out doubles the one beside
    /// it ("finaly"), the most common misspelling of all.
    Missing { doubled: bool },
}

/// The English word `word` is one slip from (a letter left out, added, changed or two
/// swapped), when there is exactly one, or exactly one made by doubling a letter, or one far
/// more common than the rest (see [`most_common`]).
pub(crate) fn meant(word: &str) -> Option<String> {
    if !readable(word) {
        return None;
    }
    let found = readings(word);
    if word.len() >= MIN_LETTERS {
        if let [(only, _)] = found.as_slice() {
            return Some(only.clone());
        }
        let mut doubled = found.iter().filter(|(_, slip)| slip.doubles());
        if let (Some((only, _)), None) = (doubled.next(), doubled.next()) {
            return Some(only.clone());
        }
        if let Some(common) = most_common(&found, Slip::doubles) {
            return Some(common);
        }
    }
    most_common(&found, |_| true)
}

impl Slip {
    /// A letter doubled or left undoubled: the commonest slips of all ("finaly", "storry").
    fn doubles(self) -> bool {
        matches!(
            self,
            Slip::Missing { doubled: true } | Slip::Extra { doubled: true }
        )
    }

    /// A letter left out or two swapped: a slip that rarely makes another word the list lacks.
    fn leaves_out_or_swaps(self) -> bool {
        matches!(self, Slip::Swapped | Slip::Missing { .. })
    }

    /// The slips of a hurried typist: those, and a letter typed twice.
    fn usual(self) -> bool {
        self.leaves_out_or_swaps() || self.doubles()
    }
}

/// Whether `word` is plain English letters of a length worth reading.
fn readable(word: &str) -> bool {
    (MIN_LETTERS_BY_FREQUENCY..=MAX_LETTERS).contains(&word.len())
        && word.bytes().all(|b| b.is_ascii_lowercase())
}

/// The English words one slip from `word`, each with its slip.
fn readings(word: &str) -> Vec<(String, Slip)> {
    let mut found: Vec<(String, Slip)> = Vec::new();
    each_slip(word.as_bytes(), &mut |candidate, slip| {
        if is_english(candidate) {
            let candidate = String::from_utf8_lossy(candidate).into_owned();
            if !found.iter().any(|(w, _)| *w == candidate) {
                found.push((candidate, slip));
            }
        }
    });
    found
}

/// The English word a member more likely meant by `word` than `fixed`, the facts' word the
/// typo corrector would read: one reached by a usual slip (a letter left out, two swapped)
/// when `fixed` is reached only by another ("slience" is silence, not the facts' "science").
pub(crate) fn likelier_than(word: &str, fixed: &str) -> Option<String> {
    if usual_slip(word, fixed) || !readable(word) {
        return None;
    }
    // Not a doubled letter typed: the facts' word may be the one meant ("foundd").
    most_common(&readings(word), Slip::leaves_out_or_swaps)
}

/// Whether `word` is `meant` with one letter left out or two neighbours swapped.
fn usual_slip(word: &str, meant: &str) -> bool {
    let (word, meant) = (word.as_bytes(), meant.as_bytes());
    let common_start = word.iter().zip(meant).take_while(|(a, b)| a == b).count();
    if meant.len() == word.len() + 1 {
        return word[common_start..] == meant[common_start + 1..];
    }
    let at = common_start;
    meant.len() == word.len()
        && at + 1 < word.len()
        && word[at] == meant[at + 1]
        && word[at + 1] == meant[at]
        && word[at + 2..] == meant[at + 2..]
}

/// The reading far more common in English than every reading of another stem, when the
/// member left a letter out or swapped two to reach it or a word of its stem (the common slips
/// of a hurried typist, where a letter typed too many or for another is as likely a word the
/// list lacks). Only the readings whose slip is `among` count.
fn most_common(readings: &[(String, Slip)], among: impl Fn(Slip) -> bool) -> Option<String> {
    static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));
    let counted = || readings.iter().filter(|&&(_, slip)| among(slip));
    let (best, _) = counted().max_by_key(|(reading, _)| LEXICON.frequency(reading))?;
    let (best_frequency, best_stem) = (LEXICON.frequency(best), STEMMER.stem(best));
    let mut usual = false;
    for (reading, slip) in counted() {
        if STEMMER.stem(reading) == best_stem {
            usual |= slip.usual();
        } else if LEXICON.frequency(reading) + FREQUENCY_LEAD > best_frequency {
            return None;
        }
    }
    (usual && best_frequency > 0).then(|| best.clone())
}

/// Calls `visit` with every string one slip from `word` (in one reused buffer) and the slip
/// that would have made `word` of it.
fn each_slip(word: &[u8], visit: &mut impl FnMut(&[u8], Slip)) {
    let mut edit: Vec<u8> = Vec::with_capacity(word.len() + 1);
    for at in 0..word.len() {
        edit.clear();
        edit.extend_from_slice(&word[..at]);
        edit.extend_from_slice(&word[at + 1..]);
        let doubled = (at > 0 && word[at - 1] == word[at])
            || word.get(at + 1).is_some_and(|&next| next == word[at]);
        visit(&edit, Slip::Extra { doubled });
    }
    for at in 1..word.len() {
        if word[at - 1] != word[at] {
            edit.clear();
            edit.extend_from_slice(word);
            edit.swap(at - 1, at);
            visit(&edit, Slip::Swapped);
        }
    }
    edit.clear();
    edit.extend_from_slice(word);
    for at in 0..word.len() {
        for letter in (b'a'..=b'z').filter(|&letter| letter != word[at]) {
            edit[at] = letter;
            visit(&edit, Slip::Changed);
        }
        edit[at] = word[at];
    }
    for at in 0..=word.len() {
        edit.clear();
        edit.extend_from_slice(&word[..at]);
        edit.push(b'a');
        edit.extend_from_slice(&word[at..]);
        for letter in b'a'..=b'z' {
            edit[at] = letter;
            let doubled = (at > 0 && word[at - 1] == letter) || word.get(at) == Some(&letter);
            visit(&edit, Slip::Missing { doubled });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{likelier_than, meant, usual_slip};

    #[test]
    fn one_slip_from_one_english_word_is_read_as_that_word() {
        assert_eq!(meant("hospitl").as_deref(), Some("hospital"));
        assert_eq!(meant("actualy").as_deref(), Some("actually"));
        assert_eq!(meant("goverment").as_deref(), Some("government"));
        assert_eq!(meant("becuase").as_deref(), Some("because"));
    }

    #[test]
    fn a_doubled_letter_settles_between_several_readings() {
        // "spoted" is also one slip from "sported" and "spited"; "spotted" doubles a letter.
        assert_eq!(meant("spoted").as_deref(), Some("spotted"));
        assert_eq!(meant("finaly").as_deref(), Some("finally"));
        // A letter typed twice: "storry" is also "sorry" with a "t" typed too many.
        assert_eq!(meant("storry").as_deref(), Some("story"));
        // Two doubled readings: the far more common one ("drooping" is rare).
        assert_eq!(meant("droping").as_deref(), Some("dropping"));
        // A doubled letter typed may be a facts word's letter left out ("foundd": founded).
        assert_eq!(likelier_than("foundd", "founded"), None);
    }

    #[test]
    fn a_far_more_common_reading_or_one_stem_settles_between_several() {
        // "back" (Zipf 6.0) against "bake" (3.9), "bark" and "bank" (4.8 and under).
        assert_eq!(meant("bakc").as_deref(), Some("back"));
        // "relieve" is one slip away as well, but ten times rarer than "receive".
        assert_eq!(meant("recieve").as_deref(), Some("receive"));
        // "talk", "talks", "talked": one stem, whichever is read.
        assert_eq!(meant("talkd").as_deref(), Some("talk"));
        // "source" and "force" are as common as each other.
        assert_eq!(meant("sorce"), None);
        // "areas" is far more common than "arenas", but a letter typed too many is as likely
        // a word the list lacks (a dish).
        assert_eq!(meant("arepas"), None);
    }

    #[test]
    fn a_usual_slip_to_an_english_word_beats_an_unusual_one_to_a_facts_word() {
        // Two letters swapped from "silence"; a letter changed from "science".
        assert_eq!(
            likelier_than("slience", "science").as_deref(),
            Some("silence")
        );
        // A letter left out of the facts' word is as usual: the facts' word stands.
        assert_eq!(likelier_than("hospitl", "hospital"), None);
        assert!(usual_slip("bakc", "back") && usual_slip("talkd", "talked"));
        assert!(!usual_slip("slience", "science") && !usual_slip("arepas", "areas"));
    }

    #[test]
    fn short_words_unknown_spellings_and_real_words_are_left_alone() {
        assert_eq!(meant("bil"), None, "too short to read safely");
        assert_eq!(meant("xqzvwk"), None, "no English word is near");
        assert_eq!(meant("cuánto"), None, "not plain English letters");
    }
}
