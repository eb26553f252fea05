//! A question's normalised form: what the matcher made of it, as a stable string to group by.
//!
//! "Did Boluarte visit Japan?", "did boluarte visit japan" and "Boluarte visited Japan??" are
//! one gap for the moderators. The matcher already reads questions that way (case, accents,
//! filler, stop words, stems, synonyms, typo fixes), so the normalised form is its reading:
//! [`crate::matcher::Matcher::normalized`].

use crate::matcher::Matcher;

/// See [`Matcher::normalized`].
pub fn normalize(matcher: &Matcher, question: &str) -> String {
    matcher.normalized(question)
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
        assert_eq!(normalize(&matcher, "Qué PASÓ?"), "paso que");
    }
}
