//! British spellings read as American ones: "harbour", "kilometres", "organised", "defence".
//!
//! A moderator in London writes "the 14.2-kilometre line" and a member in Lima asks how many
//! kilometers it runs; the stems differ ("kilometr", "kilomet"), and the built-in word lists
//! (the common English words, the word-meaning table) are American. Both sides of every
//! comparison go through [`american`] before stemming, so either spelling meets the other.
//!
//! A word is rewritten only when it is not an English word as it stands and a rewrite is, so a
//! word that merely looks British ("tour", "centred" when listed, a name) is left alone.

use std::borrow::Cow;

use super::lexicon::LEXICON;

/// The American spelling of `word` when `word` is not in the English word list and one of the
/// regular British-to-American rewrites of it is (see [`always_american`] for the few taken
/// either way); `word` itself otherwise.
pub(crate) fn american(word: &str) -> Cow<'_, str> {
    if !looks_british(word) || LEXICON.names.contains(word) {
        return Cow::Borrowed(word);
    }
    if let Some(american) = always_american(word) {
        return Cow::Owned(american);
    }
    if LEXICON.english_words.contains(word) {
        return Cow::Borrowed(word);
    }
    rewrites(word)
        .find(|candidate| is_listed(candidate))
        .map_or(Cow::Borrowed(word), Cow::Owned)
}

/// Whether the English word list holds `word` or, for an inflection it lacks, the base form
/// it is made from: the list has "hospitalized" but neither "hospitalization" nor its plural,
/// "mobilization" but not "mobilizations".
fn is_listed(word: &str) -> bool {
    let words = &LEXICON.english_words;
    let singular = word.strip_suffix('s').unwrap_or(word);
    words.contains(word)
        || words.contains(singular)
        || singular.strip_suffix("ization").is_some_and(|stem| {
            words.contains(&format!("{stem}ize")) || words.contains(&format!("{stem}ized"))
        })
}

/// The endings whose American form is taken even when the list holds both ("programme" and
/// "program", "catalogue" and "catalog"): no other English word ends the same way. So is an
/// `ae` read as `e` ("paediatric", "anaemia"): no English word differs from another by it.
fn always_american(word: &str) -> Option<String> {
    let ae = word.contains("ae").then(|| word.replace("ae", "e"));
    with_endings(word, ALWAYS)
        .chain(ae)
        .find(|candidate| LEXICON.english_words.contains(candidate))
}

/// `word` with each British ending of `endings` it has replaced by its American form.
fn with_endings<'a>(
    word: &'a str,
    endings: &'static [(&'static str, &'static str)],
) -> impl Iterator<Item = String> + 'a {
    endings.iter().filter_map(move |(british, american)| {
        word.strip_suffix(british)
            .map(|stem| format!("{stem}{american}"))
    })
}

/// Whether some rewrite could change `word`: most words have no such part and cost a few
/// comparisons of their ending, on every question's words.
fn looks_british(word: &str) -> bool {
    word.contains("our")
        || word.contains("ae")
        || SUFFIXES
            .iter()
            .chain(ALWAYS)
            .any(|(british, _)| word.ends_with(british))
}

/// The endings whose American form is taken even when the list holds both (see
/// [`always_american`]).
const ALWAYS: &[(&str, &str)] = &[
    ("ogue", "og"),
    ("ogues", "ogs"),
    ("mme", "m"),
    ("mmes", "ms"),
];

/// British endings and their American forms, for words the list lacks.
const SUFFIXES: &[(&str, &str)] = &[
    ("tres", "ters"),
    ("tre", "ter"),
    ("tred", "tered"),
    ("isation", "ization"),
    ("isations", "izations"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("ising", "izing"),
    ("iser", "izer"),
    ("isers", "izers"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("yses", "yzes"),
    ("ysing", "yzing"),
    ("ence", "ense"),
    ("ences", "enses"),
    ("lled", "led"),
    ("lling", "ling"),
    ("ller", "ler"),
    ("llers", "lers"),
];

/// The rewrites of `word`, most specific first: `-our-` → `-or-` ("harbours"), `-tre(s|d)` →
/// `-ter(s|ed)` ("metres"), `-is(e|ed|es|ing|er|ation)` → `-iz…` ("organisation"), `-yse` →
/// `-yze` ("analysed"), `-ence` → `-ense` ("defence"), a doubled `l` before `-ed`, `-ing`,
/// `-er` (where the list lacks the British form).
fn rewrites(word: &str) -> impl Iterator<Item = String> + '_ {
    let our = word
        .rfind("our")
        .map(|at| format!("{}or{}", &word[..at], &word[at + 3..]));
    our.into_iter().chain(with_endings(word, SUFFIXES))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_british_spellings_read_as_american() {
        for (british, american_form) in [
            ("harbour", "harbor"),
            ("harbours", "harbors"),
            ("labourers", "laborers"),
            ("kilometres", "kilometers"),
            ("centre", "center"),
            ("organised", "organized"),
            ("organisation", "organization"),
            ("analysed", "analyzed"),
            ("defence", "defense"),
            ("neighbouring", "neighboring"),
            ("colour", "color"),
            ("catalogue", "catalog"),
            ("programmes", "programs"),
            ("paediatric", "pediatric"),
            ("anaemia", "anemia"),
            ("haemorrhage", "hemorrhage"),
            ("orthopaedic", "orthopedic"),
            // The list holds a word's base forms, not all its inflections.
            ("hospitalisations", "hospitalizations"),
            ("hospitalisation", "hospitalization"),
            ("privatisation", "privatization"),
            ("mobilisations", "mobilizations"),
        ] {
            assert_eq!(american(british), american_form, "{british}");
        }
    }

    #[test]
    fn english_words_names_and_unknown_rewrites_stay_as_they_are() {
        for word in [
            "tour",
            "hours",
            "president",
            "wall",
            "filled",
            "seymour",
            "boluarte",
            "xyzour",
            "israel",
            "aerial",
            "maestro",
        ] {
            assert_eq!(american(word), word);
        }
    }
}
