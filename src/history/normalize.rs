//! A question's normalised form: what the matcher made of it, as a stable string to group by.
//!
//! "Did Boluarte visit Japan?", "did boluarte visit japan" and "Boluarte visited Japan??" are
//! one gap for the moderators. The matcher already reads questions that way (case, accents,
//! filler, stop words, stems, synonyms, typo fixes); [`crate::matcher::Matcher::explain`]
//! shows its reading as `term:weight` items, and the normalised form is those terms, sorted
//! and deduplicated. A question the matcher reads as nothing falls back to its folded words.

use unicode_normalization::UnicodeNormalization as _;

use crate::matcher::Matcher;

pub fn normalize(matcher: &Matcher, question: &str) -> String {
    let mut terms: Vec<String> = matcher
        .explain(question)
        .split_whitespace()
        .filter_map(|item| {
            // `?japan:1.20` (unknown word), `~visit:0.50` (typo fix), `when:-` (question word).
            let item = item.trim_start_matches(['?', '~']);
            let term = item.rsplit_once(':').map_or(item, |(term, _)| term);
            (!term.is_empty()).then(|| term.to_owned())
        })
        .collect();
    if terms.is_empty() {
        terms = fold(question);
    }
    terms.sort();
    terms.dedup();
    terms.join(" ")
}

/// Lowercase words without accents or punctuation.
fn fold(text: &str) -> Vec<String> {
    let folded: String = text
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::MatchSettings;

    fn matcher() -> Matcher {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.toml");
        std::fs::write(
            &path,
            "[[sources]]\nid = \"s\"\npublisher = \"P\"\ntitle = \"T\"\npublished = 2024-07-04\n\
             [[facts]]\nid = \"trip\"\nquestions = [\"When did Boluarte visit China?\"]\n\
             answer = \"In June 2024.\"\nsnippet = \"S\"\n",
        )
        .unwrap();
        let base = crate::facts::load(&[path]).unwrap().base;
        Matcher::new(&base, &MatchSettings::default())
    }

    #[test]
    fn rewordings_of_one_question_share_a_form() {
        let matcher = matcher();
        let form = normalize(&matcher, "Did Boluarte visit Japan?");
        assert!(!form.is_empty());
        assert!(form.contains("japan"), "{form}");
        assert_eq!(normalize(&matcher, "did boluarte visit JAPAN"), form);
        assert_eq!(normalize(&matcher, "Did Boluarte visit Japan??"), form);
        assert_ne!(normalize(&matcher, "Did Boluarte visit Korea?"), form);
    }

    #[test]
    fn a_question_of_nothing_but_filler_keeps_its_words() {
        let matcher = matcher();
        let form = normalize(&matcher, "¡¡!!");
        assert_eq!(form, "");
        assert_eq!(fold("Qué PASÓ?"), ["que", "paso"]);
    }
}
