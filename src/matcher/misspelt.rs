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

use super::lexicon::LEXICON;

/// Shorter words are a slip away from too many others to be read safely.
const MIN_LETTERS: usize = 5;
/// The English list's longest words have 12 letters: a longer word is more than one slip from
/// all of them, and is not tried (a hostile message of long made-up words costs nothing).
const MAX_LETTERS: usize = 13;

/// The English word `word` is one slip from (a letter left out, added, changed or two
/// swapped), when there is exactly one, or exactly one made by doubling a letter.
pub(crate) fn meant(word: &str) -> Option<String> {
    if !(MIN_LETTERS..=MAX_LETTERS).contains(&word.len())
        || !word.bytes().all(|b| b.is_ascii_lowercase())
    {
        return None;
    }
    let mut found: Vec<(String, bool)> = Vec::new();
    for (candidate, doubled) in one_slip_away(word.as_bytes()) {
        if LEXICON.english_words.contains(&candidate) && !found.iter().any(|(w, _)| *w == candidate)
        {
            found.push((candidate, doubled));
        }
    }
    if let [(only, _)] = found.as_slice() {
        return Some(only.clone());
    }
    let mut doubled = found.into_iter().filter(|(_, doubled)| *doubled);
    match (doubled.next(), doubled.next()) {
        (Some((only, _)), None) => Some(only),
        _ => None,
    }
}

/// Every string one slip from `word`, each with whether it doubles a letter of `word`.
fn one_slip_away(word: &[u8]) -> impl Iterator<Item = (String, bool)> + '_ {
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap_or_default();
    let deleted = (0..word.len()).map(move |at| {
        let mut edit = word.to_vec();
        edit.remove(at);
        (text(edit), false)
    });
    let swapped = (1..word.len())
        .filter(move |&at| word[at - 1] != word[at])
        .map(move |at| {
            let mut edit = word.to_vec();
            edit.swap(at - 1, at);
            (text(edit), false)
        });
    let changed = (0..word.len()).flat_map(move |at| {
        (b'a'..=b'z')
            .filter(move |&letter| letter != word[at])
            .map(move |letter| {
                let mut edit = word.to_vec();
                edit[at] = letter;
                (text(edit), false)
            })
    });
    let inserted = (0..=word.len()).flat_map(move |at| {
        (b'a'..=b'z').map(move |letter| {
            let mut edit = word.to_vec();
            edit.insert(at, letter);
            let doubles = (at > 0 && word[at - 1] == letter) || word.get(at) == Some(&letter);
            (text(edit), doubles)
        })
    });
    deleted.chain(swapped).chain(changed).chain(inserted)
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
