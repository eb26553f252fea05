//! What the matcher's word lists say about a text's language, for adapters that choose the
//! language of a reply. Scoring never calls this; it only reads the same lists.

use std::sync::LazyLock;

use super::analyzer::{language_vote, SPANISH_WORDS};
use super::lexicon::LEXICON;
use super::packed::PackedSet;
use super::text;

/// Builds the word sets language detection uses (see `matcher::build_shared_tables`).
pub(super) fn build_tables() {
    LazyLock::force(&SPANISH_ONLY_WORDS);
}

/// Words of the Spanish glossary that are not also English words ("cuando", "puerto"): the
/// glossary knows them as Spanish, and no English question uses them.
static SPANISH_ONLY_WORDS: LazyLock<PackedSet> = LazyLock::new(|| {
    SPANISH_WORDS
        .keys()
        .filter(|spanish| !LEXICON.english_words.contains(spanish))
        .filter(|spanish| !LEXICON.english_stopwords.contains(*spanish))
        .collect()
});

/// How many of the words of `text` only Spanish uses, and how many only English uses: function
/// words from the stop-word lists, plus Spanish content words from the glossary. Accents are
/// folded first, so "cuándo" and "cuando" count alike.
pub fn language_votes(text: &str) -> (usize, usize) {
    let (mut spanish, mut english) = (0, 0);
    for token in text::question_tokens(text) {
        match language_vote(&token) {
            1 => spanish += 1,
            -1 => english += 1,
            _ if SPANISH_ONLY_WORDS.contains(token.as_str()) => spanish += 1,
            _ => {}
        }
    }
    (spanish, english)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_and_glossary_words_vote() {
        assert_eq!(language_votes("¿Qué hizo Boluarte en Shanghái?").1, 0);
        assert!(language_votes("¿Qué hizo Boluarte en Shanghái?").0 >= 2);
        assert_eq!(language_votes("cuando"), (1, 0), "a glossary word alone");
        assert_eq!(language_votes("¿Cuándo?"), (1, 0), "accents are folded");
        assert_eq!(language_votes("What did she do in Shanghai?").0, 0);
        assert!(language_votes("What did she do in Shanghai?").1 >= 2);
        assert_eq!(language_votes("Huawei 20000"), (0, 0));
    }
}
