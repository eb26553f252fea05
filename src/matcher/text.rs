//! Raw chat text to plain tokens: the steps every question and every fact pattern share.
//!
//! Each step is a small function applied in order (cap, strip markup, fold, split), so each can
//! be tested alone. Nothing here knows any language's words; that is the analyzer's job.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Characters of a message that are looked at. A question is a sentence or two; a longer
/// message is either pasted text or hostile, and the first part says what it is about.
pub(crate) const MAX_INPUT_CHARS: usize = 600;
/// Tokens kept per text, for the same reason: matching cost stays bounded per message.
pub(crate) const MAX_TOKENS: usize = 48;

/// Runs every step: the tokens of `text`, lowercase, without accents, markup or punctuation.
pub(crate) fn tokens(text: &str) -> Vec<String> {
    let stripped = strip_markup(text);
    let folded = expand_abbreviations(&fold(&stripped));
    split(&folded, usize::MAX)
}

/// The tokens of a member's message, bounded in characters and tokens so that a huge or
/// hostile message costs no more than a long question.
pub(crate) fn question_tokens(text: &str) -> Vec<String> {
    let stripped = strip_markup(cap(text));
    let folded = expand_abbreviations(&fold(&stripped));
    split(&folded, MAX_TOKENS)
}

/// The sentences of a member's message (bounded like [`question_tokens`]), split after `?`,
/// `!`, a line break, a dash, an emoji (chat's full stop: "looks cool 🚝 what's it called?"),
/// or a full stop followed by a space ("U.S." and "1.51" stay whole).
pub(crate) fn sentences(text: &str) -> Vec<&str> {
    let text = cap(text);
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next_is_space = chars.peek().is_none_or(|(_, next)| next.is_whitespace());
        let initialism = || {
            let word = text[start..at].rsplit(char::is_whitespace).next();
            word.is_some_and(|word| word.contains('.'))
        };
        let ends = matches!(c, '?' | '!' | '\n' | '—' | '–')
            || is_pictograph(c)
            || (c == '.' && next_is_space && !initialism());
        if ends {
            let end = at + c.len_utf8();
            sentences.push(&text[start..end]);
            start = end;
        }
    }
    sentences.push(&text[start..]);
    sentences.retain(|sentence| sentence.chars().any(char::is_alphanumeric));
    sentences
}

/// Emoji and the symbols chat uses like them (☀, ☕, ✨), by Unicode block.
fn is_pictograph(c: char) -> bool {
    matches!(u32::from(c), 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x1F000..=0x1FAFF)
}

fn cap(text: &str) -> &str {
    match text.char_indices().nth(MAX_INPUT_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// Drops Discord markup (`<@123>`, `<@!1>`, `<@&1>`, `<#1>`, `<:name:1>`, `<a:name:1>`,
/// `<t:1:R>`, `</cmd:1>`) and links, which carry no words of the question.
fn strip_markup(text: &str) -> String {
    let lower_has = |needle: &str| {
        text.as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    };
    if !text.contains('<') && !lower_has("http") && !lower_has("www.") {
        return text.to_owned();
    }
    let mut kept = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        kept.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('>')
            .filter(|&close| close <= 120 && is_discord_markup(&after[..close]))
        {
            Some(close) => {
                kept.push(' ');
                rest = &after[close + 1..];
            }
            None => {
                kept.push('<');
                rest = after;
            }
        }
    }
    kept.push_str(rest);
    kept.split_whitespace()
        .filter(|word| !is_link(word))
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_discord_markup(inner: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let name = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '~')
    };
    if let Some(id) = inner
        .strip_prefix("@!")
        .or_else(|| inner.strip_prefix("@&"))
    {
        return digits(id);
    }
    if let Some(id) = inner.strip_prefix('@').or_else(|| inner.strip_prefix('#')) {
        return digits(id);
    }
    if let Some(time) = inner.strip_prefix("t:") {
        return digits(time.split(':').next().unwrap_or(""));
    }
    let emoji = inner.strip_prefix("a:").or_else(|| inner.strip_prefix(':'));
    if let Some((emoji_name, id)) = emoji.and_then(|e| e.split_once(':')) {
        return name(emoji_name) && digits(id);
    }
    if let Some((command, id)) = inner.strip_prefix('/').and_then(|c| c.rsplit_once(':')) {
        return !command.is_empty() && digits(id);
    }
    false
}

fn is_link(word: &str) -> bool {
    let lower = word
        .trim_start_matches(['(', '[', '"', '\''])
        .to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.")
}

/// Lowercase, accents removed (`Pekín` → `pekin`, `ñ` → `n`), curly quotes made straight.
fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase().replace('`', "'");
    }
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{2032}' | '`' => '\'',
            other => other,
        })
        .collect()
}

/// Spells out what splitting would otherwise lose: negative contractions ("won't" would
/// become the verb "won") and dotted initialisms ("U.S." would vanish as one-letter words; as
/// "us" it would be a pronoun).
fn expand_abbreviations(text: &str) -> String {
    if !text.contains(['\'', '.']) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for word in text.split_inclusive(char::is_whitespace) {
        let (body, space) = word.split_at(word.trim_end().len());
        out.push_str(&expand_word(body));
        out.push_str(space);
    }
    out
}

fn expand_word(word: &str) -> String {
    let core = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '.');
    if let Some(letters) = initialism(core) {
        let spelled = match letters.as_str() {
            "us" => "usa",
            "un" => "united nations",
            other => other,
        };
        return word.replacen(core, spelled, 1);
    }
    let expanded = match core {
        "won't" => "will not",
        "can't" => "can not",
        "shan't" => "shall not",
        _ => match core.strip_suffix("n't") {
            Some(stem) if !stem.is_empty() => {
                return word.replacen(core, &format!("{stem} not"), 1)
            }
            _ => return word.to_owned(),
        },
    };
    word.replacen(core, expanded, 1)
}

/// "u.s." or "u.s" → "us": single letters separated by dots, at least two of them.
fn initialism(word: &str) -> Option<String> {
    let parts: Vec<&str> = word.trim_end_matches('.').split('.').collect();
    let all_letters = parts
        .iter()
        .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic));
    (parts.len() >= 2 && all_letters).then(|| parts.concat())
}

/// Splits on anything that is not a letter or digit, keeping numbers whole (`20,000` →
/// `20000`, `1.51` and `1,51` → `1.51`), `%` and currency signs as words (`percent`, `dollar`), and letters apart from
/// digits (`37bn` → `37`, `bn`). One-letter words are dropped: after splitting they are the
/// `s` of `Cosco's` or a pronoun, never the subject.
fn split(text: &str, max_tokens: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() && tokens.len() < max_tokens {
        let c = chars[i];
        if c == '%' {
            tokens.push("percent".to_owned());
            i += 1;
        } else if let Some(currency) = currency(c) {
            tokens.push(currency.to_owned());
            i += 1;
        } else if c.is_ascii_digit() {
            let (number, next) = read_number(&chars, i);
            tokens.push(number);
            i = next;
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            if i - start > 1 {
                tokens.push(chars[start..i].iter().collect());
            }
        } else {
            i += 1;
        }
    }
    tokens
}

/// Currency signs as words, so "$37 billion" answers "how many dollars".
fn currency(c: char) -> Option<&'static str> {
    match c {
        '$' => Some("dollar"),
        '€' => Some("euro"),
        '£' => Some("pound"),
        '¥' => Some("yuan"),
        _ => None,
    }
}

/// Whether a token is a number, as `split` writes them (digits and a decimal point).
pub(crate) fn is_number(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// A number starting at `start`, with thousands separators removed and a decimal comma made
/// a point. Returns the number and the index after it.
fn read_number(chars: &[char], start: usize) -> (String, usize) {
    let mut groups: Vec<(Option<char>, String)> = vec![(None, String::new())];
    let mut i = start;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            if let Some((_, digits)) = groups.last_mut() {
                digits.push(c);
            }
            i += 1;
        } else if (c == ',' || c == '.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            groups.push((Some(c), String::new()));
            i += 1;
        } else {
            break;
        }
    }
    let thousands = groups.len() > 1
        && groups[0].1.len() <= 3
        && groups[1..].iter().all(|(_, digits)| digits.len() == 3)
        && groups[1..]
            .iter()
            .all(|(separator, _)| *separator == groups[1].0);
    let number = if thousands {
        groups.iter().map(|(_, digits)| digits.as_str()).collect()
    } else {
        let mut number = groups[0].1.clone();
        if let Some((_, decimals)) = groups.get(1) {
            number.push('.');
            number.push_str(decimals);
        }
        number
    };
    (number, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expect: &[&str]) {
        assert_eq!(tokens(input), expect, "{input:?}");
    }

    #[test]
    fn case_accents_and_punctuation_are_folded() {
        check(
            "¿Qué día estuvo Boluarte en PEKÍN?",
            &["que", "dia", "estuvo", "boluarte", "en", "pekin"],
        );
        check(
            "Cosco’s port—north of Lima!!",
            &["cosco", "port", "north", "of", "lima"],
        );
        check("González-Olaechea", &["gonzalez", "olaechea"]);
        check("año niño", &["ano", "nino"]);
    }

    #[test]
    fn discord_markup_links_and_emoji_are_dropped() {
        check(
            "<@123> hey 👋 <@!45> <#9> <@&7> <:pisco:12> <a:dance:3> <t:1700000000:R>",
            &["hey"],
        );
        check(
            "see https://example.com/a?b=c and www.x.org",
            &["see", "and"],
        );
        check("a < b > c <@abc>", &["abc"]);
        check("</ask:123> port", &["port"]);
    }

    #[test]
    fn contractions_and_initialisms_are_spelled_out() {
        check(
            "She won't, they can't, didn't",
            &["she", "will", "not", "they", "can", "not", "did", "not"],
        );
        check(
            "U.S. investment, the U.N. and the E.U.",
            &[
                "usa",
                "investment",
                "the",
                "united",
                "nations",
                "and",
                "the",
                "eu",
            ],
        );
        check("Peru's 1.51% e.g.", &["peru", "1.51", "percent", "eg"]);
    }

    #[test]
    fn numbers_keep_their_value() {
        check(
            "20,000 20.000 1.51% 1,51 $37bn 2024-2029",
            &[
                "20000", "20000", "1.51", "percent", "1.51", "dollar", "37", "bn", "2024", "2029",
            ],
        );
        check(
            "1,234,567 3.14159 June 23.",
            &["1234567", "3.14159", "june", "23"],
        );
    }

    #[test]
    fn messages_split_into_sentences() {
        assert_eq!(
            sentences("yo 👋 how many? my cousin works in the U.S. lol\nok. 1.51% really!"),
            vec![
                "yo 👋",
                " how many?",
                " my cousin works in the U.S. lol\n",
                "ok.",
                " 1.51% really!"
            ]
        );
        assert_eq!(sentences("just one question"), vec!["just one question"]);
        assert_eq!(
            sentences("looks cool 🚝 what's it called — and why?"),
            vec!["looks cool 🚝", " what's it called —", " and why?"]
        );
        assert!(sentences("?? !!").is_empty());
    }

    #[test]
    fn hostile_input_is_bounded() {
        let long = "word ".repeat(10_000);
        assert!(question_tokens(&long).len() <= MAX_TOKENS);
        assert_eq!(tokens(&long).len(), 10_000);
        let nested = "<".repeat(5_000);
        assert!(question_tokens(&nested).is_empty());
        check("", &[]);
        check("👋🇵🇪🤔", &[]);
    }
}
