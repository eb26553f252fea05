//! Spanish words the glossary lacks, read as the English words they share a root with
//! ("evacuación" evacuation, "oncólogos" oncologists, "capacidad" capacity).
//!
//! A new story brings words no glossary lists, and a Spanish question about it would miss
//! them. Learned words of Latin origin change by regular endings, so each ending rule below
//! offers an English form; the matcher keeps one only when the facts use it, which keeps false
//! friends from inventing meaning the facts do not have.

/// Spanish endings and the English endings they correspond to, longest first within a family.
/// Spanish words arrive lowercase and without accents.
const ENDINGS: &[(&str, &str)] = &[
    ("ciones", "tions"),
    ("cion", "tion"),
    ("siones", "sions"),
    ("sion", "sion"),
    ("idades", "ities"),
    ("idad", "ity"),
    ("ologos", "ologists"),
    ("ologas", "ologists"),
    ("ologo", "ologist"),
    ("ologa", "ologist"),
    ("ologia", "ology"),
    ("istas", "ists"),
    ("ista", "ist"),
    ("ismo", "ism"),
    ("icos", "ic"),
    ("icas", "ic"),
    ("ico", "ic"),
    ("ica", "ic"),
    ("icos", "ical"),
    ("icas", "ical"),
    ("ico", "ical"),
    ("ica", "ical"),
    ("osos", "ous"),
    ("osas", "ous"),
    ("oso", "ous"),
    ("osa", "ous"),
    ("encia", "ence"),
    ("ancia", "ance"),
    ("antes", "ants"),
    ("ante", "ant"),
    ("entes", "ents"),
    ("ente", "ent"),
    ("izados", "ized"),
    ("izadas", "ized"),
    ("izado", "ized"),
    ("izada", "ized"),
    ("izar", "ize"),
    ("ados", "ated"),
    ("adas", "ated"),
    ("ado", "ated"),
    ("ada", "ated"),
    ("ivos", "ive"),
    ("ivas", "ive"),
    ("ivo", "ive"),
    ("iva", "ive"),
    ("arios", "aries"),
    ("ario", "ary"),
    ("aria", "ary"),
    ("ia", "y"),
];

/// The shortest root a rule may leave: "ado" alone is no word to read.
const MIN_ROOT: usize = 3;

/// The English forms the Spanish `word` may share a root with, in the order of [`ENDINGS`].
pub(crate) fn english_forms(word: &str) -> impl Iterator<Item = String> + '_ {
    ENDINGS.iter().filter_map(move |(spanish, english)| {
        let root = word.strip_suffix(spanish)?;
        (root.chars().count() >= MIN_ROOT).then(|| format!("{root}{english}"))
    })
}

#[cfg(test)]
mod tests {
    use super::english_forms;

    fn forms(word: &str) -> Vec<String> {
        english_forms(word).collect()
    }

    #[test]
    fn learned_endings_give_their_english_forms() {
        assert!(forms("evacuacion").contains(&"evacuation".to_owned()));
        assert!(forms("oncologos").contains(&"oncologists".to_owned()));
        assert!(forms("capacidad").contains(&"capacity".to_owned()));
        assert!(forms("volcanica").contains(&"volcanic".to_owned()));
        assert!(forms("evacuados").contains(&"evacuated".to_owned()));
        assert!(forms("economia").contains(&"economy".to_owned()));
        assert!(forms("hospitalizados").contains(&"hospitalized".to_owned()));
        assert!(forms("organizar").contains(&"organize".to_owned()));
    }

    #[test]
    fn a_short_root_or_another_ending_gives_nothing() {
        assert!(forms("dado").is_empty());
        assert!(forms("casa").is_empty());
    }
}
