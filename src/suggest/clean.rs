//! A member's question as a question pattern: their own words, without what only chat carries.
//!
//! Unlike the matcher's reading (stems, no stop words), a pattern is written into a facts file
//! for people to read and edit, so the wording stays as typed; only mentions, links, emoji,
//! Slack's `:shortcode:` emoji, greetings and thanks around the question, repeated punctuation
//! and extra spaces go, and the result is cut at a word to [`PATTERN_MAX`] characters.

use crate::limits;
use crate::matcher;

/// The longest pattern suggested, in characters: a title's length (a button label), so any
/// pattern can be moved first; a longer message is pasted text more than a question.
pub const PATTERN_MAX: usize = limits::BUTTON_LABEL;

/// `question` as a pattern, or `None` when nothing of a question is left.
pub fn pattern_of(question: &str) -> Option<String> {
    let text = matcher::without_markup(question);
    let words: Vec<String> = text
        .split_whitespace()
        .filter(|word| !is_shortcode(word))
        .map(|word| word.chars().filter(|&c| !is_emoji_part(c)).collect())
        .filter(|word: &String| !word.is_empty())
        .collect();
    let start = words.iter().position(|w| !is_chatter(w))?;
    let end = words.iter().rposition(|w| !is_chatter(w))?;
    let text = tidy_punctuation(&words[start..=end].join(" "));
    let text = capitalise(cut(&text, PATTERN_MAX).trim());
    text.chars().any(char::is_alphanumeric).then_some(text)
}

/// Slack writes emoji as `:name:`.
fn is_shortcode(word: &str) -> bool {
    let inner = word
        .trim_end_matches(|c: char| c.is_ascii_punctuation() && c != ':')
        .strip_prefix(':')
        .and_then(|w| w.strip_suffix(':'));
    inner.is_some_and(|name| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | ':'))
    })
}

/// Emoji, and what composes them: variation selectors, joiners, skin tones, flags' letters.
fn is_emoji_part(c: char) -> bool {
    matcher::is_emoji(c)
        || matches!(
            u32::from(c),
            0xFE0E | 0xFE0F | 0x200D | 0x20E3 | 0x1F3FB..=0x1F3FF
        )
        || ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

/// A greeting, thanks or other filler word ("hey", "pls", "thanks!!"), or punctuation alone.
fn is_chatter(word: &str) -> bool {
    let bare: String = word
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '\'')
        .flat_map(char::to_lowercase)
        .collect();
    bare.is_empty() || matcher::is_filler(&bare) || matches!(bare.as_str(), "bot" | "factbot")
}

/// Runs of `?` or `!` as one `?` or `!`, commas or spaces left hanging at the start removed.
fn tidy_punctuation(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let last = out.chars().last();
        let repeated = matches!(c, '?' | '!' | '.' | ',') && last == Some(c);
        if !repeated {
            out.push(c);
        }
    }
    const HANGING: [char; 5] = [',', ';', ':', '-', ' '];
    out.trim_start_matches(HANGING)
        .trim_end_matches(HANGING)
        .to_owned()
}

/// `text` cut at a word so it holds at most `max` characters.
fn cut(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        None => text,
        Some((end, _)) => {
            let head = &text[..end];
            head.rfind(' ').map_or(head, |space| &head[..space])
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(question: &str, expect: Option<&str>) {
        assert_eq!(pattern_of(question).as_deref(), expect, "{question:?}");
    }

    #[test]
    fn chat_is_stripped_and_the_words_kept() {
        check(
            "<@1234> hey, what happened with cosco?? 🙏 https://example.com/x thanks!",
            Some("What happened with cosco?"),
        );
        check(
            "yo bot who owns the port :pray: :+1:",
            Some("Who owns the port"),
        );
        check(
            "¿Cuánto costó el puerto? 👍🏽",
            Some("¿Cuánto costó el puerto?"),
        );
        check("Huawei   deal \u{1F1F5}\u{1F1EA}!!!", Some("Huawei deal"));
        check("Huawei deal!!! \u{1F1F5}\u{1F1EA}", Some("Huawei deal!"));
        check("hi thanks 😀 <#55>", None);
        check("   ", None);
    }

    #[test]
    fn a_long_message_is_cut_at_a_word_within_a_titles_length() {
        let long = "why ".repeat(40);
        let pattern = pattern_of(&long).unwrap();
        assert!(pattern.chars().count() <= PATTERN_MAX, "{pattern}");
        assert!(pattern.ends_with("why"), "{pattern}");
    }
}
