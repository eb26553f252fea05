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
//! "acording"): a misspelling with several readings says nothing sure.

use std::hash::Hasher;
use std::sync::LazyLock;

use rustc_hash::FxHasher;

use super::lexicon::LEXICON;

/// Shorter words are a slip away from too many others to be read safely.
const MIN_LETTERS: usize = 5;
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

/// The English word `word` is one slip from (a letter left out, added, changed or two
/// swapped), when there is exactly one, or exactly one made by doubling a letter.
pub(crate) fn meant(word: &str) -> Option<String> {
    if !(MIN_LETTERS..=MAX_LETTERS).contains(&word.len())
        || !word.bytes().all(|b| b.is_ascii_lowercase())
    {
        return None;
    }
    let mut found: Vec<(String, bool)> = Vec::new();
    each_slip(word.as_bytes(), &mut |candidate, doubled| {
        if is_english(candidate) {
            let candidate = String::from_utf8_lossy(candidate).into_owned();
            if !found.iter().any(|(w, _)| *w == candidate) {
                found.push((candidate, doubled));
            }
        }
    });
    if let [(only, _)] = found.as_slice() {
        return Some(only.clone());
    }
    let mut doubled = found.into_iter().filter(|(_, doubled)| *doubled);
    match (doubled.next(), doubled.next()) {
        (Some((only, _)), None) => Some(only),
        _ => None,
    }
}

/// Calls `visit` with every string one slip from `word` (in one reused buffer), and whether
/// it doubles a letter of `word`.
fn each_slip(word: &[u8], visit: &mut impl FnMut(&[u8], bool)) {
    let mut edit: Vec<u8> = Vec::with_capacity(word.len() + 1);
    for at in 0..word.len() {
        edit.clear();
        edit.extend_from_slice(&word[..at]);
        edit.extend_from_slice(&word[at + 1..]);
        visit(&edit, false);
    }
    for at in 1..word.len() {
        if word[at - 1] != word[at] {
            edit.clear();
            edit.extend_from_slice(word);
            edit.swap(at - 1, at);
            visit(&edit, false);
        }
    }
    edit.clear();
    edit.extend_from_slice(word);
    for at in 0..word.len() {
        for letter in (b'a'..=b'z').filter(|&letter| letter != word[at]) {
            edit[at] = letter;
            visit(&edit, false);
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
            let doubles = (at > 0 && word[at - 1] == letter) || word.get(at) == Some(&letter);
            visit(&edit, doubles);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::meant;

    #[test]
    fn one_slip_from_one_english_word_is_read_as_that_word() {
        assert_eq!(meant("hospitl").as_deref(), Some("hospital"));
        assert_eq!(meant("actualy").as_deref(), Some("actually"));
        assert_eq!(meant("goverment").as_deref(), Some("government"));
        assert_eq!(meant("becuase").as_deref(), Some("because"));
        // "relieve" is one slip away as well: no sure reading.
        assert_eq!(meant("recieve"), None);
    }

    #[test]
    fn a_doubled_letter_settles_between_several_readings() {
        // "spoted" is also one slip from "sported" and "spited"; "spotted" doubles a letter.
        assert_eq!(meant("spoted").as_deref(), Some("spotted"));
        assert_eq!(meant("finaly").as_deref(), Some("finally"));
    }

    #[test]
    fn short_words_unknown_spellings_and_real_words_are_left_alone() {
        assert_eq!(meant("bil"), None, "too short to read safely");
        assert_eq!(meant("xqzvwk"), None, "no English word is near");
        assert_eq!(meant("cuánto"), None, "not plain English letters");
    }
}
