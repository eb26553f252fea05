//! Raw chat text to plain tokens: the steps every question and every fact pattern share.
//!
//! Each step is a small function, listed once and in order in [`STEPS`] and followed by
//! [`split`], so each can be tested alone. Nothing here knows any language's words; that is the
//! analyzer's job.

use std::borrow::Cow;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Characters of a message that are looked at. A question is a sentence or two; a longer
/// message is either pasted text or hostile, and the first part says what it is about.
pub(crate) const MAX_INPUT_CHARS: usize = 600;
/// Tokens kept per text, for the same reason: matching cost stays bounded per message.
pub(crate) const MAX_TOKENS: usize = 48;

/// A step from text to text; one that changes nothing hands its input back borrowed.
type Step = fn(&str) -> Cow<'_, str>;

/// The normalisation steps, in the order they run, before the text is [`split`] into tokens.
/// Markup goes first, while `<@123>` and links are still whole; abbreviations are spelt out
/// last, on lowercase text with curly apostrophes already straight.
const STEPS: [Step; 3] = [strip_markup, fold, expand_abbreviations];

/// Runs every step: the tokens of `text`, lowercase, without accents, markup or punctuation.
pub(crate) fn tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    each_token(text, |token| tokens.push(token.to_owned()));
    tokens
}

/// [`tokens`], handed over one at a time and borrowed: indexing a large fact base meets the
/// same few thousand words hundreds of thousands of times, and should not allocate each one.
pub(crate) fn each_token(text: &str, mut emit: impl FnMut(&str)) {
    if is_plain(text) {
        // Already what every step would make of it: building an analyzer tokenises some
        // 60,000 such words and phrases of the built-in lexicon, written this way.
        for word in text.split(' ').filter(|word| word.len() > 1) {
            emit(word);
        }
        return;
    }
    split(&normalize(text), usize::MAX, &mut emit);
}

/// Lowercase ASCII letters and spaces only: no step changes such a text, and [`split`] keeps
/// its words of two letters or more as they are.
fn is_plain(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_lowercase() || b == b' ')
}

/// The tokens of a member's message, bounded in characters and tokens so that a huge or
/// hostile message costs no more than a long question.
pub(crate) fn question_tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    split(&normalize(cap(text)), MAX_TOKENS, &mut |token| {
        tokens.push(token.to_owned())
    });
    tokens
}

/// `text` after every step of [`STEPS`], in order.
fn normalize(text: &str) -> Cow<'_, str> {
    let mut text = Cow::Borrowed(text);
    for step in STEPS {
        if let Cow::Owned(changed) = step(&text) {
            text = Cow::Owned(changed);
        }
    }
    text
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
        // "U.S." but not "there...": a dot between letters, not only dots at the end.
        let initialism = || {
            let word = text[start..at].rsplit(char::is_whitespace).next();
            word.is_some_and(|word| word.trim_end_matches('.').contains('.'))
        };
        let ends = matches!(c, '?' | '!' | '\n' | '—' | '–' | '…')
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

/// [`sentences`], each split again before a question that follows chatter after a comma, a
/// colon or a semicolon ("hey, saw the protests on TV, how many were arrested?"): the question
/// is a clause of its own, and the chatter would count against every fact.
pub(crate) fn clauses(text: &str) -> Vec<&str> {
    let mut clauses = Vec::new();
    for sentence in sentences(text) {
        let mut start = 0;
        for (at, c) in sentence.char_indices() {
            if !matches!(c, ',' | ':' | ';') {
                continue;
            }
            let rest = &sentence[at + 1..];
            if rest.starts_with(char::is_whitespace) && opens_question(rest) {
                clauses.push(&sentence[start..=at]);
                start = at + 1;
            }
        }
        clauses.push(&sentence[start..]);
    }
    clauses.retain(|clause| clause.chars().any(char::is_alphanumeric));
    clauses
}

/// Words that open a question in English or Spanish, lowercase and without apostrophes; the
/// Spanish ones with their accents. Not "que", "como", "cuando" or "donde" without them: they
/// join clauses as often as they ask.
const QUESTION_OPENERS: &[&str] = &[
    "what", "whats", "who", "whos", "whose", "when", "where", "why", "which", "how", "is", "are",
    "was", "were", "did", "does", "do", "can", "could", "will", "would", "has", "have", "had",
    "should", "qué", "quién", "quiénes", "cuándo", "dónde", "cuánto", "cuánta", "cuántos",
    "cuántas", "cuál", "cuáles", "cómo", "por", "hay",
];

/// Whether `rest`, the text after a comma, colon or semicolon, opens a question: "¿" or one
/// of [`QUESTION_OPENERS`].
fn opens_question(rest: &str) -> bool {
    let rest = rest.trim_start();
    if rest.starts_with('¿') {
        return true;
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '\'' || *c == '’')
        .flat_map(char::to_lowercase)
        .filter(|c| *c != '\'' && *c != '’')
        .collect();
    QUESTION_OPENERS.contains(&word.as_str())
}

/// Emoji and the symbols chat uses like them (☀, ☕, ✨), by Unicode block.
pub(crate) fn is_pictograph(c: char) -> bool {
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
pub(crate) fn strip_markup(text: &str) -> Cow<'_, str> {
    if !text.contains('<') && !may_hold_link(text) {
        return Cow::Borrowed(text);
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
    Cow::Owned(
        kept.split_whitespace()
            .filter(|word| !is_link(word))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Whether `text` holds "http" or "www." in any case: one pass that looks further only at an
/// `h` or a `w`.
fn may_hold_link(text: &str) -> bool {
    text.as_bytes().windows(4).any(|window| match window[0] {
        b'h' | b'H' => window.eq_ignore_ascii_case(b"http"),
        b'w' | b'W' => window.eq_ignore_ascii_case(b"www."),
        _ => false,
    })
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
fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        let lower = text.to_ascii_lowercase();
        return Cow::Owned(if lower.contains('`') {
            lower.replace('`', "'")
        } else {
            lower
        });
    }
    Cow::Owned(
        text.nfkd()
            .filter(|c| !is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .map(|c| match c {
                '\u{2018}' | '\u{2019}' | '\u{2032}' | '`' => '\'',
                other => other,
            })
            .collect(),
    )
}

/// Spells out what splitting would otherwise lose: negative contractions ("won't" would
/// become the verb "won") and dotted initialisms ("U.S." would vanish as one-letter words; as
/// "us" it would be a pronoun).
fn expand_abbreviations(text: &str) -> Cow<'_, str> {
    if !text.contains(['\'', '.']) {
        return Cow::Borrowed(text);
    }
    // Only a word (a run without whitespace) with an apostrophe or a dot can change: find
    // those, and copy the text between them as it is.
    let mut out = String::with_capacity(text.len() + 8);
    let mut copied = 0;
    while let Some(found) = text[copied..].find(['\'', '.']) {
        let at = copied + found;
        let start = text[..at]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8())
            .max(copied);
        let end = text[at..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| at + i);
        out.push_str(&text[copied..start]);
        out.push_str(&expand_word(&text[start..end]));
        copied = end;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
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
/// `20000`, `1.51` and `1,51` → `1.51`), `%` and currency signs as words (`percent`,
/// `dollar`), and letters apart from digits (`37bn` → `37`, `bn`). One-letter words are dropped: after splitting they are the
/// `s` of `Cosco's` or a pronoun, never the subject.
///
/// Words are handed out as slices of `text` and numbers from one reused buffer, so splitting
/// allocates nothing per token.
fn split(text: &str, max_tokens: usize, emit: &mut impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut number = String::new();
    let mut emitted = 0;
    let mut i = 0;
    while i < bytes.len() && emitted < max_tokens {
        let c = char_at(text, i);
        if c == '%' {
            emit("percent");
            emitted += 1;
            i += 1;
        } else if c == '#' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            // "#1 trading partner": a rank, read as "number 1".
            emit("number");
            emitted += 1;
            i += 1;
        } else if let Some(currency) = currency(c) {
            emit(currency);
            emitted += 1;
            i += c.len_utf8();
        } else if c.is_ascii_digit() {
            i = read_number(bytes, i, &mut number);
            emit(&number);
            emitted += 1;
        } else if c.is_alphabetic() {
            // A word, with any digits that follow its first letters: "CO2", "G20", "H1N1" are
            // one name, and their digits no number to match or veto.
            let start = i;
            let mut letters = 0;
            while i < bytes.len() {
                let c = char_at(text, i);
                let in_word = c.is_alphabetic() || (letters > 0 && c.is_ascii_digit());
                if !in_word {
                    break;
                }
                letters += 1;
                i += c.len_utf8();
            }
            if letters > 1 {
                emit(&text[start..i]);
                emitted += 1;
            }
        } else {
            i += c.len_utf8();
        }
    }
}

/// The character starting at byte `at` (a character boundary); plain ASCII without decoding.
fn char_at(text: &str, at: usize) -> char {
    match text.as_bytes()[at] {
        byte if byte.is_ascii() => char::from(byte),
        _ => text[at..].chars().next().unwrap_or_default(),
    }
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

/// The number starting at byte `start` into `number`, with thousands separators removed and a
/// decimal comma made a point. Returns the byte index after it. Every byte a number may hold
/// is ASCII, so the bytes can be read directly.
fn read_number(bytes: &[u8], start: usize, number: &mut String) -> usize {
    // Each group of digits, with the separator before it.
    let mut groups: Vec<(Option<u8>, std::ops::Range<usize>)> = vec![(None, start..start)];
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            if let Some((_, digits)) = groups.last_mut() {
                digits.end = i + 1;
            }
            i += 1;
        } else if (b == b',' || b == b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            groups.push((Some(b), i + 1..i + 1));
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
    let digits = |range: &std::ops::Range<usize>| {
        std::str::from_utf8(&bytes[range.clone()]).unwrap_or_default()
    };
    number.clear();
    if thousands {
        for (_, range) in &groups {
            number.push_str(digits(range));
        }
    } else {
        number.push_str(digits(&groups[0].1));
        if let Some((_, decimals)) = groups.get(1) {
            number.push('.');
            number.push_str(digits(decimals));
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expect: &[&str]) {
        assert_eq!(tokens(input), expect, "{input:?}");
    }

    #[test]
    fn plain_text_gives_the_tokens_every_step_would() {
        let built_in = [
            include_str!("lexicon/es_en.txt"),
            include_str!("lexicon/synonyms_en.txt"),
            include_str!("lexicon/english_words.txt"),
        ];
        let pieces = built_in
            .iter()
            .flat_map(|text| text.split(['\n', ':', ',']))
            .map(str::trim)
            .chain(["a bit of http", "www", "x y zz", "  two  spaces ", "nt", ""]);
        for piece in pieces.filter(|piece| is_plain(piece)) {
            let mut stepped = Vec::new();
            split(&normalize(piece), usize::MAX, &mut |t| {
                stepped.push(t.to_owned())
            });
            assert_eq!(tokens(piece), stepped, "{piece:?}");
        }
        assert!(!is_plain("Peru") && !is_plain("g20") && !is_plain("don't") && !is_plain("u.s."));
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
    fn a_word_keeps_the_digits_that_follow_it_and_a_number_its_unit_apart() {
        check(
            "CO₂ and CO2 at the G20, 14.2km, 5G",
            &["co2", "and", "co2", "at", "the", "g20", "14.2", "km", "5"],
        );
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
    fn only_words_with_a_dot_or_an_apostrophe_are_rewritten() {
        let word_by_word = |text: &str| -> String {
            text.split_inclusive(char::is_whitespace)
                .map(|word| {
                    let (body, space) = word.split_at(word.trim_end().len());
                    format!("{}{space}", expand_word(body))
                })
                .collect()
        };
        for text in [
            "U.S. and\u{a0}U.N.  won't\tgo.",
            "..a.b. 'x' y' .",
            " e.g. i.e.",
            "no dots here",
            "can't",
        ] {
            assert_eq!(expand_abbreviations(text), word_by_word(text), "{text:?}");
        }
    }

    #[test]
    fn a_rank_is_read_as_a_number() {
        check("#1 partner #peru", &["number", "1", "partner", "peru"]);
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
    fn a_question_after_chatter_and_a_comma_is_a_clause_of_its_own() {
        assert_eq!(
            clauses("hey, saw it on TV, how many were arrested? wow"),
            vec!["hey, saw it on TV,", " how many were arrested?", " wow"]
        );
        assert_eq!(
            clauses("quick q: ¿cuántos detenidos hubo?"),
            vec!["quick q:", " ¿cuántos detenidos hubo?"]
        );
        assert_eq!(
            clauses("Hi! What's new; Who's in charge?"),
            vec!["Hi!", " What's new;", " Who's in charge?"]
        );
        // Not before a word that merely joins clauses, nor where no space follows.
        assert_eq!(
            clauses("dijo que, como siempre, que no. 1,5 or 2,what"),
            vec!["dijo que, como siempre, que no.", " 1,5 or 2,what"]
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
        // An ellipsis ends a sentence; an initialism does not.
        assert_eq!(
            sentences("my aunt might stay there... how many beds? ok… thanks"),
            vec![
                "my aunt might stay there...",
                " how many beds?",
                " ok…",
                " thanks"
            ]
        );
        assert_eq!(
            sentences("is the U.S. in it... or not"),
            vec!["is the U.S. in it...", " or not"]
        );
    }

    #[test]
    fn questions_and_facts_go_through_the_same_steps() {
        for text in [
            "<@1> Didn’t the U.S. visit PEKÍN? https://x.org",
            "Cosco's 60% stake, $3.5bn",
            "no change at all",
        ] {
            assert_eq!(question_tokens(text), tokens(text), "{text:?}");
        }
        // The order matters: markup is dropped before folding could touch it, and an
        // apostrophe is straightened before contractions are spelt out.
        check("<@!12> Won’t", &["will", "not"]);
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
