//! Years an answer names only relative to when it was written ("mined 5.5 million tonnes *last
//! year*"), made absolute from its source's date.
//!
//! A year in a question must match exactly ("2023" is never "2024"), so a member asking about
//! "2025" would veto the very fact that says "last year" in an article of 2026. Indexing the
//! year the phrase stands for lets the year match, and nothing else changes: the answer still
//! reads as the moderator wrote it.

/// Phrases that name a year relative to the text's own, with how many years they move
/// (English and Spanish, read as [`super::text`] reads them: "a year ago" loses its "a").
const RELATIVE_YEARS: &[(&str, i32)] = &[
    ("last year", -1),
    ("year ago", -1),
    ("previous year", -1),
    ("this year", 0),
    ("next year", 1),
    ("coming year", 1),
    ("ano pasado", -1),
    ("este ano", 0),
    ("proximo ano", 1),
    ("ano que viene", 1),
];

/// The years `text` names relatively, as written by someone in `published` (an ISO date,
/// `YYYY-MM-DD`), each once, in the order of [`RELATIVE_YEARS`]. None when the date has no year.
pub(crate) fn resolved(text: &str, published: &str) -> Vec<String> {
    let Some(year) = published.get(..4).and_then(|year| year.parse::<i32>().ok()) else {
        return Vec::new();
    };
    let words = folded_words(text);
    let mut years: Vec<String> = Vec::new();
    for (phrase, shift) in RELATIVE_YEARS {
        let resolved = (year + shift).to_string();
        if contains_words(&words, phrase) && !years.contains(&resolved) {
            years.push(resolved);
        }
    }
    years
}

/// The text's words as the matcher reads them (lowercase, accents folded, one-letter words
/// dropped), as one space-separated run with a space at each end.
fn folded_words(text: &str) -> String {
    let mut folded = String::with_capacity(text.len() + 2);
    folded.push(' ');
    super::text::each_token(text, |token| {
        folded.push_str(token);
        folded.push(' ');
    });
    folded
}

/// Whether `phrase` stands in `words` as whole words.
fn contains_words(words: &str, phrase: &str) -> bool {
    words.contains(&format!(" {phrase} "))
}

#[cfg(test)]
mod tests {
    use super::resolved;

    #[test]
    fn a_relative_year_is_read_from_the_source_date() {
        assert_eq!(
            resolved("Chile mined 5.5 million tonnes last year.", "2026-03-18"),
            ["2025"]
        );
        assert_eq!(
            resolved("Opens next year; this year it hosts trials.", "2024-07-04"),
            ["2024", "2025"]
        );
        assert_eq!(
            resolved("El año pasado exportó más.", "2024-07-04"),
            ["2023"]
        );
    }

    #[test]
    fn only_whole_phrases_count_and_a_date_without_a_year_gives_none() {
        assert!(resolved("the yearly report last yearned", "2026-03-18").is_empty());
        assert!(resolved("last year", "unknown").is_empty());
        assert!(resolved("Prices rose 4% in the year to March.", "2026-03-18").is_empty());
    }
}
