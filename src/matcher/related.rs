//! Paraphrase support: an English word the facts never use may still mean one they do
//! ("concentrating" for "focused", "transit" for "transport").
//!
//! WordNet's relations are far too loose to answer on ("move" is related to "travel"), so they
//! never find a fact. They only speak for a fact the question's other words already found:
//! there, a related word is a paraphrase rather than evidence that the question is about
//! something else. The relations come from `lexicon/related_en.txt`.

use super::lexicon::LEXICON;

/// The dictionary forms an inflected word may come from, the word itself first:
/// "concentrating" → concentrate, "farmers" → farmer, "studies" → study, "stopped" → stop,
/// "longer" → long. Forms that are not words simply find nothing in the relations.
pub(crate) fn base_forms(word: &str) -> Vec<String> {
    let mut forms = vec![word.to_owned()];
    let mut add = |form: String| {
        if form.len() >= 3 && !forms.contains(&form) {
            forms.push(form);
        }
    };
    for (suffix, replacements) in [
        ("ies", &["y"][..]),
        ("ied", &["y"]),
        ("es", &["", "e"]),
        ("s", &[""]),
        ("ed", &["", "e"]),
        ("ing", &["", "e"]),
        ("er", &["", "e"]),
        ("est", &["", "e"]),
    ] {
        let Some(stem) = word.strip_suffix(suffix) else {
            continue;
        };
        for replacement in replacements {
            add(format!("{stem}{replacement}"));
        }
        if let Some(undoubled) = undouble(stem) {
            add(undoubled.to_owned());
        }
    }
    forms
}

/// "stopp" → "stop": the consonant English doubles before -ed, -ing, -er.
fn undouble(stem: &str) -> Option<&str> {
    let n = stem.len();
    let [.., before, last] = *stem.as_bytes() else {
        return None;
    };
    // Only a doubled ASCII letter: two equal bytes at the end of any other text are the
    // inside of one character ("ኊ" is E1 8A 8A), and cutting there would split it.
    (n >= 3 && last.is_ascii() && last == before && !b"aeiousl".contains(&last))
        .then(|| &stem[..n - 1])
}

/// Words that ask who leads something, whatever the role is called ("Who *heads* Sindoport?",
/// "who's *running* the airline?", "the *chief* of the panel", "the hospital's *boss*"), base
/// forms only. Not a title ("mayor"): a city's mayor is not its region's governor.
const LEADS: &[&str] = &[
    "head", "chief", "boss", "leader", "lead", "led", "run", "ran", "helm", "preside",
];

/// The roles of whoever leads an organisation, a body or a team: what a word of [`LEADS`]
/// asks for. Not the owner, the founder or an executive, who need not lead it.
pub(crate) const LEADING_ROLES: &[&str] = &[
    "president",
    "chairman",
    "chairwoman",
    "chairperson",
    "chair",
    "ceo",
    "director",
    "chief",
    "head",
    "leader",
    "manager",
    "minister",
    "secretary",
    "mayor",
    "governor",
    "commissioner",
    "superintendent",
    "administrator",
    "commander",
    "coordinator",
    "rector",
    "dean",
    "coach",
    "captain",
];

/// Whether `word` asks who leads (see [`LEADS`]), so that it relates to the
/// [`LEADING_ROLES`]: "charge" only after "in" ("who is *in charge*?"; a charge is also a
/// fee). WordNet relates these words to "take", "make" and "proceed" through their other
/// senses, so they take the roles instead.
pub(crate) fn asks_who_leads(word: &str, previous: Option<&str>) -> bool {
    // Every form of a word of LEADS starts with it ("heading", "led"): most words are
    // turned away before their base forms are built.
    if word == "charge" {
        previous == Some("in")
    } else {
        LEADS.iter().any(|lead| word.starts_with(lead))
            && base_forms(word)
                .iter()
                .any(|form| LEADS.contains(&form.as_str()))
    }
}

/// Every word related to `word` or to one of its base forms.
pub(crate) fn related_words(word: &str) -> Vec<&'static str> {
    let mut related: Vec<&'static str> = Vec::new();
    for form in base_forms(word) {
        if let Some(words) = LEXICON.related(form.as_str()) {
            for candidate in words {
                if !related.contains(&candidate) {
                    related.push(candidate);
                }
            }
        }
    }
    related
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_reach_their_dictionary_form() {
        assert!(base_forms("concentrating").contains(&"concentrate".to_owned()));
        assert!(base_forms("farmers").contains(&"farmer".to_owned()));
        assert!(base_forms("studies").contains(&"study".to_owned()));
        assert!(base_forms("stopped").contains(&"stop".to_owned()));
        assert!(base_forms("longer").contains(&"long".to_owned()));
        assert_eq!(base_forms("port"), vec!["port".to_owned()]);
    }

    #[test]
    fn a_doubled_byte_inside_a_character_is_no_doubled_letter() {
        assert_eq!(base_forms("ኊs"), ["ኊs", "ኊ"]);
        assert_eq!(base_forms("𥉉ing"), ["𥉉ing", "𥉉", "𥉉e"]);
        assert!(related_words("ବs").is_empty());
    }

    #[test]
    fn words_that_ask_who_leads_reach_the_leading_roles() {
        for word in [
            "heads", "running", "led", "chief", "leader", "boss", "presides",
        ] {
            assert!(asks_who_leads(word, None), "{word}");
        }
        assert!(LEADING_ROLES.contains(&"ceo") && LEADING_ROLES.contains(&"president"));
        assert!(asks_who_leads("charge", Some("in")));
        assert!(!asks_who_leads("charge", Some("the")), "a fee");
        assert!(!asks_who_leads("owner", None));
        assert!(!asks_who_leads("reading", None));
    }

    #[test]
    fn related_words_come_from_the_base_form() {
        assert!(related_words("concentrating").contains(&"focus"));
        assert!(related_words("xyzzy").is_empty());
    }
}
