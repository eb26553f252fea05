//! The built-in language resources: stop words, chat filler, English paraphrases and a
//! Spanish-to-English glossary, read once from the text files in `lexicon/`.
//!
//! They are general-purpose (any news story); story-specific words live in the facts files'
//! `[synonyms]`. The files are compiled into the binary so the bot needs nothing at run time.

use std::ops::Range;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};

use super::packed::{PackedMap, PackedSet, Span};
use super::text;

const STOPWORDS_EN: &str = include_str!("lexicon/stopwords_en.txt");
const STOPWORDS_ES: &str = include_str!("lexicon/stopwords_es.txt");
const FILLER: &str = include_str!("lexicon/filler.txt");
const SYNONYMS_EN: &str = include_str!("lexicon/synonyms_en.txt");
const SPANISH_TO_ENGLISH: &str = include_str!("lexicon/es_en.txt");
const SPANISH_SENSES: &str = include_str!("lexicon/es_en_senses.txt");
const GENERIC: &str = include_str!("lexicon/generic_en.txt");
const ENGLISH_WORDS: &str = include_str!("lexicon/english_words.txt");
/// One byte a word of [`ENGLISH_WORDS`], in its sorted order: see [`Lexicon::frequency`].
const ENGLISH_FREQUENCY: &[u8] = include_bytes!("lexicon/english_frequency.bin");
const NAMES: &str = include_str!("lexicon/names.txt");
const SHORT_WORDS: &str = include_str!("lexicon/short_words_en.txt");
const RELATED: &str = include_str!("lexicon/related_en.txt");
const ANTONYMS: &str = include_str!("lexicon/antonyms_en.txt");
const SIBLINGS: &str = include_str!("lexicon/siblings_en.txt");
const IRREGULAR: &str = include_str!("lexicon/irregular_en.txt");
const ATTRIBUTES: &str = include_str!("lexicon/attributes.txt");
const ATTRIBUTES_NAMED: &str = include_str!("lexicon/attributes_named.txt");

/// Canonical words that ask *what kind* of answer is wanted. They help choose between facts
/// about the same thing (where vs. when) but say nothing about the topic, so they weigh little
/// and never count as evidence against a fact.
pub(crate) const QUESTION_WORDS: &[&str] =
    &["when", "where", "who", "why", "how", "which", "quantity"];

/// Stems of nouns that name the kind of answer asked for, with the question word that asks
/// for it: "trip *dates*" asks when, "how long" (read as "duration") for a span or a figure,
/// "how often" (read as "frequency") for a rate ("every ten minutes", "daily"), "what time"
/// (read as "timeofday") for a time of day ("9pm", "noon"), "what *position* does she hold",
/// "what is her *job* / *role*" (read as "role") for a role ("the company's deputy chief
/// executive"), and in a terse question "trade *figure*", "delegation *size*" for a figure,
/// "report *author*" for who, "ceremony *venue*" for where ("amount", "total", "location" and
/// "reason" are read so by the paraphrase groups of `synonyms_en.txt`, whatever the facts say).
/// Read so only when no fact uses the word: a word no fact knows would otherwise weigh as the
/// question's topic and count against every fact, though any fact whose answer gives a date
/// gives what is asked. Not "city": it asks for a name, which an answer naming only what the
/// question names does not give (`attributes_named.txt`).
pub(crate) const KIND_NOUNS: &[(&str, &str)] = &[
    ("date", "when"),
    ("durat", "duration"),
    ("frequenc", "frequency"),
    ("timeofday", "timeofday"),
    ("posit", "role"),
    ("job", "role"),
    ("role", "role"),
    ("figur", "quantity"),
    ("size", "quantity"),
    ("author", "who"),
    ("venu", "where"),
];

/// The words people type for those (and for "how many"), as typo fixes may target them.
pub(crate) const QUESTION_WORDS_SURFACE: &[&str] = &[
    "when", "where", "who", "why", "how", "which", "many", "much",
];

/// Words that only mean something inside a phrase ("how *many*", "did*n't*"): once phrases are
/// mapped, what is left of them is noise.
const AFTER_PHRASES: &[&str] = &["much", "many", "not", "no", "nt"];

pub(crate) struct Lexicon {
    pub(crate) english_stopwords: FxHashSet<String>,
    pub(crate) spanish_stopwords: FxHashSet<String>,
    pub(crate) filler: FxHashSet<String>,
    /// Conversational or vague words ("stuff", "supposed", "better"): a question may use them
    /// without being about anything the facts lack, so they weigh little when unknown.
    pub(crate) generic: FxHashSet<String>,
    /// Common English words: never "corrected" into a word of the facts.
    pub(crate) english_words: WordSet,
    /// Three-letter words, abbreviations and names in common English use ("tea", "gdp"): never
    /// read as a slip for a longer word of the facts (see `Corrector::lengthened`).
    pub(crate) short_words: WordSet,
    /// Names of places, people and organisations: never corrected either, and a question about
    /// one the facts never mention is not answered by them.
    pub(crate) names: WordSet,
    /// Word → words of its most frequent WordNet senses and their derivations ("concentrate":
    /// focus, centre). Too loose to match on, but enough to tell a paraphrase from a word
    /// about something else; see `matcher::related`. Each word's related words are the rest of
    /// its line of the built-in text, split when asked for: the table has 16,000 words and
    /// 300,000 related words, 6 MiB as owned strings and 64 KiB as offsets of lines.
    pub(crate) related: WordSet,
    /// Irregular forms of English verbs and nouns and their base word ("took": take, "children":
    /// child), which the stemmer cannot fold: see [`Lexicon::base_form`]. A hash map, not a
    /// [`WordSet`]: every English word stemmed is looked up, and 400 entries cost 16 KiB.
    irregular: FxHashMap<&'static str, &'static str>,
    /// Stems (English and Spanish) of the words that name what a question asks for ("name",
    /// "cost", "ciudad"): a fact that never mentions one cannot answer the question.
    pub(crate) attribute_stems: FxHashSet<String>,
    /// Per attribute stem, the stems of the other words of its families: a fact that mentions
    /// one of them gives what the attribute asks for (see `attributes.txt`).
    pub(crate) attribute_kin: FxHashMap<String, Vec<String>>,
    /// Stems of the words that ask for a name ("name", "city", "nombre"): see
    /// `AnswerKinds::names_something_besides`.
    pub(crate) named_attribute_stems: FxHashSet<String>,
}

pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon {
    english_stopwords: words(STOPWORDS_EN),
    spanish_stopwords: words(STOPWORDS_ES),
    filler: words(FILLER),
    generic: words(GENERIC),
    english_words: WordSet::new(ENGLISH_WORDS),
    short_words: WordSet::new(SHORT_WORDS),
    names: WordSet::new(NAMES),
    related: WordSet::new(RELATED),
    irregular: lines(IRREGULAR)
        .filter_map(|line| line.split_once(':'))
        .map(|(form, base)| (form.trim(), base.trim()))
        .collect(),
    attribute_stems: lines(ATTRIBUTES)
        .flat_map(|line| family_stems(line).0)
        .collect(),
    attribute_kin: kin(ATTRIBUTES),
    named_attribute_stems: stems(ATTRIBUTES_NAMED),
});

/// The entries of a built-in text, one a line (`word`, or `word: rest`), as the offsets of
/// their lines sorted by word: four bytes an entry (a `&str` is sixteen, a `String` forty and
/// more), for 40,000 English words, 9,000 names and 16,000 WordNet entries that a process
/// keeps for its whole life. A lookup is a binary search, done a few times a question.
pub(crate) struct WordSet {
    text: &'static str,
    starts: Box<[u32]>,
}

impl WordSet {
    /// Every line of `text` (but comments and blank lines), the first of equal words kept.
    fn new(text: &'static str) -> Self {
        let mut starts: Vec<u32> = lines(text)
            .map(|line| (line.as_ptr() as usize - text.as_ptr() as usize) as u32)
            .collect();
        starts.sort_by_key(|&start| word_at(text, start));
        starts.dedup_by_key(|start| word_at(text, *start));
        Self {
            text,
            starts: starts.into_boxed_slice(),
        }
    }

    /// The line whose word is `word`.
    fn line(&self, word: &str) -> Option<&'static str> {
        self.position(word)
            .map(|at| line_at(self.text, self.starts[at]))
    }

    pub(crate) fn contains(&self, word: &str) -> bool {
        self.line(word).is_some()
    }

    /// Where `word` is among the words, sorted.
    fn position(&self, word: &str) -> Option<usize> {
        self.starts
            .binary_search_by(|&start| word_at(self.text, start).cmp(word))
            .ok()
    }

    /// The words, sorted.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.starts.iter().map(|&start| word_at(self.text, start))
    }
}

/// The line of `text` that starts at `start`, without its line break and trailing spaces.
fn line_at(text: &'static str, start: u32) -> &'static str {
    let rest = &text[start as usize..];
    rest[..rest.find('\n').unwrap_or(rest.len())].trim_end()
}

/// The word of the entry whose line starts at `start`: all of the line, or what comes before
/// its colon. Only the word is read, not the rest of the line (a WordNet line runs to hundreds
/// of bytes), since a lookup compares a dozen entries' words.
fn word_at(text: &'static str, start: u32) -> &'static str {
    let rest = &text[start as usize..];
    let end = rest
        .bytes()
        .position(|b| b == b'\n' || b == b':')
        .unwrap_or(rest.len());
    rest[..end].trim_end()
}

impl Lexicon {
    /// The words related to `word` (see [`Lexicon::related`]), in the order of the text.
    pub(crate) fn related(&self, word: &str) -> Option<impl Iterator<Item = &'static str>> {
        let (_, related) = self.related.line(word)?.split_once(':')?;
        Some(related.split_whitespace())
    }

    /// How common `word` is in English text, as its Zipf value times ten (60 for "back", 39
    /// for "bake"); 0 for a word rarer than 3.0 or not an English word. Which of several words
    /// one slip from a misspelling a member meant: one byte a word beside the English list,
    /// so nothing is built for it (a table of its own cost 0.3 MiB).
    pub(crate) fn frequency(&self, word: &str) -> u8 {
        self.english_words
            .position(word)
            .and_then(|at| ENGLISH_FREQUENCY.get(at).copied())
            .unwrap_or(0)
    }

    /// The base word of an irregular form ("took", "taken": take; "caught": catch), so a
    /// question in one tense meets a fact written in another.
    pub(crate) fn base_form(&self, word: &str) -> Option<&'static str> {
        self.irregular.get(word).copied()
    }

    pub(crate) fn is_stopword(&self, token: &str) -> bool {
        AFTER_PHRASES.contains(&token)
            || self.english_stopwords.contains(token)
            || self.spanish_stopwords.contains(token)
            || self.filler.contains(token)
    }
}

/// The built-in English antonyms (`antonyms_en.txt`) as (word, antonym) pairs.
pub(crate) fn antonyms() -> impl Iterator<Item = (&'static str, &'static str)> {
    pairs(ANTONYMS)
}

/// The built-in pairs of different kinds of one thing (`siblings_en.txt`: "copper" and "zinc").
pub(crate) fn siblings() -> impl Iterator<Item = (&'static str, &'static str)> {
    pairs(SIBLINGS)
}

/// `word: other, other` lines as (word, other) pairs.
fn pairs(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    lines(text).flat_map(|line| {
        let (word, others) = line.split_once(':').unwrap_or((line, ""));
        others
            .split(',')
            .map(str::trim)
            .filter(|other| !other.is_empty())
            .map(move |other| (word.trim(), other))
    })
}

/// Whether normalisation keeps every word of `phrase` (it drops one-letter words and symbols).
pub(crate) fn survives_normalisation(phrase: &str) -> bool {
    phrase.split_whitespace().all(|word| {
        let alphanumeric = word.chars().filter(|c| c.is_alphanumeric()).count();
        matches!(text::tokens(word).as_slice(), [token] if token.chars().count() == alphanumeric)
    })
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

fn words(text: &str) -> FxHashSet<String> {
    lines(text).flat_map(text::tokens).collect()
}

/// The built-in English paraphrases as (variant, canonical) pairs, each a token sequence joined
/// by single spaces. Read from the built-in text when an analyzer is built (once a process, or
/// when a story's synonyms change), rather than kept for the process's life.
pub(crate) fn english_synonyms() -> Vec<(String, String)> {
    groups(SYNONYMS_EN)
}

/// The built-in Spanish-to-English glossary as (Spanish, English) pairs, like
/// [`english_synonyms`].
pub(crate) fn spanish_to_english() -> Vec<(String, String)> {
    translations(SPANISH_TO_ENGLISH)
}

/// The glossary's other English renderings of its Spanish words, as (Spanish, renderings in
/// order) pairs, normalised like any text (see `Analyzer::sense_keys`).
pub(crate) fn spanish_senses() -> Vec<(String, Vec<String>)> {
    lines(SPANISH_SENSES)
        .filter_map(|line| line.split_once(':'))
        .map(|(spanish, senses)| {
            let senses = senses
                .split(',')
                .map(|sense| text::tokens(sense).join(" "))
                .filter(|sense| !sense.is_empty())
                .collect();
            (text::tokens(spanish).join(" "), senses)
        })
        .filter(|(spanish, senses): &(String, Vec<String>)| {
            !spanish.is_empty() && !senses.is_empty()
        })
        .collect()
}

/// `canonical: variant, variant` lines to (variant, canonical) pairs, normalised like any text.
fn groups(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for line in lines(text) {
        let Some((canonical, variants)) = line.split_once(':') else {
            continue;
        };
        let canonical = text::tokens(canonical).join(" ");
        if canonical.is_empty() {
            continue;
        }
        for variant in variants.split(',') {
            let variant = text::tokens(variant).join(" ");
            if !variant.is_empty() && variant != canonical {
                pairs.push((variant, canonical.clone()));
            }
        }
    }
    pairs
}

/// `spanish: english` lines to (spanish, english) pairs, normalised like any text.
fn translations(text: &str) -> Vec<(String, String)> {
    lines(text)
        .filter_map(|line| line.split_once(':'))
        .map(|(spanish, english)| {
            (
                text::tokens(spanish).join(" "),
                text::tokens(english).join(" "),
            )
        })
        .filter(|(spanish, english)| {
            !spanish.is_empty() && !english.is_empty() && spanish != english
        })
        .collect()
}

/// Every word's English and Spanish stem.
fn stems(text: &str) -> FxHashSet<String> {
    lines(text).flat_map(line_stems).collect()
}

/// The English and Spanish stems of a line's words.
fn line_stems(line: &str) -> Vec<String> {
    let english = Stemmer::create(Algorithm::English);
    let spanish = Stemmer::create(Algorithm::Spanish);
    line.split_whitespace()
        .flat_map(|word| {
            [
                english.stem(word).into_owned(),
                spanish.stem(word).into_owned(),
            ]
        })
        .collect()
}

/// A family line's stems: those of the words that ask for the attribute, and those of all its
/// words, the words after "|" included, which only give it ("How *high*…" gives a height, but
/// "high" asks for none: "*high* prices").
fn family_stems(line: &str) -> (Vec<String>, Vec<String>) {
    let (asking, giving) = line.split_once('|').unwrap_or((line, ""));
    let asking = line_stems(asking);
    let mut all = asking.clone();
    all.extend(line_stems(giving));
    (asking, all)
}

/// Each stem that asks for an attribute in a text of families, one a line, with the other
/// stems of every family it is in.
fn kin(text: &str) -> FxHashMap<String, Vec<String>> {
    let mut kin: FxHashMap<String, Vec<String>> = FxHashMap::default();
    for (asking, family) in lines(text).map(family_stems) {
        for stem in &asking {
            let others = kin.entry(stem.clone()).or_default();
            others.extend(family.iter().filter(|&other| other != stem).cloned());
            others.sort_unstable();
            others.dedup();
        }
    }
    kin
}

/// Maps word sequences to canonical word sequences, longest match first. Built once per fact
/// base (story synonyms take precedence over the built-in resources). Every phrase is its
/// tokens joined by single spaces; the tables are packed (see `matcher::packed`), since a
/// process keeps some 7,400 phrases for its whole life.
#[derive(Debug, Default)]
pub(crate) struct PhraseMap {
    /// Variant → where its canonical is in `canonicals`.
    phrases: PackedMap<Span>,
    /// Every canonical, once.
    canonicals: PackedSet,
    /// Single-word variants by their English stem, so inflected forms map too ("treaties" →
    /// "treaty" → "agreement"). Only stems that lead to one canonical are kept, with every
    /// variant that has the stem ("ally", "allied", "allies"): a range of `stem_variants`,
    /// sorted, and the canonical.
    stems: PackedMap<(Range<u32>, Span)>,
    /// The variants of `stems`, as spans of `phrases`' keys.
    stem_variants: Vec<Span>,
    /// Every word of every canonical: such words are English, whatever the text's language.
    canonical_words: PackedSet,
    /// First words of multi-word variants.
    phrase_starts: PackedSet,
    /// First two words of multi-word variants, joined by a space.
    phrase_pairs: PackedSet,
    longest: usize,
    stemmer: EnglishStemmer,
}

/// rust-stemmers' `Stemmer` is not `Debug`/`Default`; this wrapper gives the map both.
pub(crate) struct EnglishStemmer(Stemmer);

impl Default for EnglishStemmer {
    fn default() -> Self {
        Self(Stemmer::create(Algorithm::English))
    }
}

impl std::fmt::Debug for EnglishStemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EnglishStemmer")
    }
}

impl std::ops::Deref for EnglishStemmer {
    type Target = Stemmer;
    fn deref(&self) -> &Stemmer {
        &self.0
    }
}

/// How many passes `PhraseMap::apply` makes. Whole-phrase chains are resolved at build time;
/// the second pass catches a phrase formed by a mapped word and its neighbour.
const PASSES: usize = 2;

impl PhraseMap {
    /// Adds `variant → canonical` unless the variant is already mapped (first writer wins).
    /// A variant that loses words to normalisation (`"3 d"` reads as `"3"`) is skipped: it
    /// would rewrite far more than was meant.
    pub(crate) fn insert(&mut self, variant: &str, canonical: &str) {
        if !survives_normalisation(variant) {
            return;
        }
        let variant = text::tokens(variant).join(" ");
        let canonical = text::tokens(canonical).join(" ");
        if variant.is_empty()
            || canonical.is_empty()
            || canonical == variant
            || self.phrases.contains(&variant)
        {
            return;
        }
        self.longest = self.longest.max(variant.split(' ').count());
        let canonical = self.canonicals.insert(&canonical, ());
        self.phrases.insert(&variant, canonical);
    }

    /// The canonical `variant` maps to, as it was written.
    fn canonical(&self, variant: &str) -> Option<&str> {
        self.phrases
            .get(variant)
            .map(|&span| self.canonicals.str(span))
    }

    /// Follows chains (`viaje → trip → visit`) once, at build time, so every variant maps
    /// straight to its final word. A cycle (`ai ↔ artificial intelligence`) maps all its
    /// members to the smallest of them, so both spellings meet whichever is written first.
    pub(crate) fn resolve_chains(&mut self) {
        let mut phrases = PackedMap::default();
        let mut canonicals = PackedSet::default();
        for (key, _) in self.phrases.iter() {
            let target = self.final_canonical(key);
            if target != key {
                let target = canonicals.insert(target, ());
                phrases.insert(key, target);
            }
        }
        phrases.shrink_to_fit();
        canonicals.shrink_to_fit();
        (self.phrases, self.canonicals) = (phrases, canonicals);
        self.canonical_words = self
            .canonicals
            .keys()
            .flat_map(|canonical| canonical.split(' '))
            .collect();
        self.phrase_starts = self
            .phrases
            .keys()
            .filter_map(|phrase| phrase.split_once(' ').map(|(first, _)| first))
            .collect();
        self.phrase_pairs = self
            .phrases
            .keys()
            .filter(|phrase| phrase.contains(' '))
            .map(|phrase| {
                let mut words = phrase.splitn(3, ' ');
                let first = words.next().unwrap_or_default();
                let second = words.next().unwrap_or_default();
                &phrase[..first.len() + 1 + second.len()]
            })
            .collect();
        self.index_stems();
    }

    /// Where the chain from `key` ends (see [`PhraseMap::resolve_chains`]).
    fn final_canonical<'s>(&'s self, key: &'s str) -> &'s str {
        let mut path = vec![key];
        let mut current = self.canonical(key).unwrap_or(key);
        while let Some(next) = self.canonical(current) {
            if path.contains(&current) {
                break;
            }
            path.push(current);
            current = next;
        }
        match path.iter().position(|member| *member == current) {
            Some(start) => path[start..].iter().min().copied().unwrap_or(current),
            None => current,
        }
    }

    fn index_stems(&mut self) {
        let stemmer = &self.stemmer;
        let mut stems: FxHashMap<String, Option<(Vec<Span>, Span)>> = FxHashMap::default();
        for (variant, &canonical) in self.phrases.iter() {
            if variant.contains(' ') {
                continue;
            }
            let stem = stemmer.stem(variant).into_owned();
            let entry = stems
                .entry(stem)
                .or_insert_with(|| Some((Vec::new(), canonical)));
            match entry {
                Some((variants, c)) if *c == canonical => {
                    variants.push(self.phrases.span(variant).expect("a key of the map"));
                }
                _ => *entry = None,
            }
        }
        let mut stems: Vec<(String, Vec<Span>, Span)> = stems
            .into_iter()
            .filter_map(|(stem, found)| {
                found.map(|(variants, canonical)| (stem, variants, canonical))
            })
            .collect();
        // Sorted, so the tables come out the same whatever the hash map's order.
        stems.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        self.stems = PackedMap::default();
        self.stem_variants.clear();
        for (stem, mut variants, canonical) in stems {
            variants.sort_by(|a, b| self.phrases.str(*a).cmp(self.phrases.str(*b)));
            let start = self.stem_variants.len() as u32;
            self.stem_variants.extend(variants);
            let range = start..self.stem_variants.len() as u32;
            self.stems.insert(&stem, (range, canonical));
        }
        self.stems.shrink_to_fit();
        self.stem_variants.shrink_to_fit();
    }

    /// The canonical of an inflected form of a single-word variant. The stem must agree, the
    /// word must keep all of the variant but its last letter ("treaties" for "treaty"), and
    /// an English word is no form of a word of the Spanish glossary ("extra" of "extrae",
    /// "facility" of "facil"): stemmers also conflate different words ("designed" and
    /// "designate"). Every variant with the stem is tried, so the outcome does not depend on
    /// the map's order.
    fn inflected(&self, word: &str) -> Option<&str> {
        let (variants, canonical) = self.stems.get(self.stemmer.stem(word).as_ref())?;
        let english = LEXICON.english_words.contains(word);
        let inflects = |variant: &Span| {
            let variant = self.phrases.str(*variant);
            let english_variant =
                LEXICON.english_words.contains(variant) || LEXICON.short_words.contains(variant);
            if english && !english_variant {
                return false;
            }
            let kept = variant
                .chars()
                .zip(word.chars())
                .take_while(|(a, b)| a == b)
                .count();
            kept + 1 >= variant.chars().count()
        };
        let variants = &self.stem_variants[variants.start as usize..variants.end as usize];
        variants
            .iter()
            .any(inflects)
            .then(|| self.canonicals.str(*canonical))
    }

    pub(crate) fn is_canonical(&self, word: &str) -> bool {
        self.canonical_words.contains(word)
    }

    pub(crate) fn contains_word(&self, word: &str) -> bool {
        self.phrases.contains(word)
    }

    /// Every word of every variant and canonical.
    pub(crate) fn words(&self) -> impl Iterator<Item = &str> {
        let variants = self.phrases.keys().flat_map(|phrase| phrase.split(' '));
        variants.chain(self.canonical_words.keys())
    }

    /// Rewrites `tokens`, marking which output tokens came from a mapping (and are therefore
    /// English canonical words, whatever the language of the text). Also returns the words
    /// that multi-word phrases swallowed ("manufacturer" of "car manufacturer"), which a fact
    /// may still want to be found by.
    pub(crate) fn apply(&self, tokens: Vec<String>) -> (Vec<(String, bool)>, Vec<String>) {
        let mut current: Vec<(String, bool)> = tokens.into_iter().map(|t| (t, false)).collect();
        let mut swallowed = Vec::new();
        let mut key = String::new();
        for _ in 0..PASSES {
            let mut changed = false;
            let mut next = Vec::with_capacity(current.len());
            let mut i = 0;
            while i < current.len() {
                match self.longest_match(&current[i..], &mut key) {
                    Some((length, canonical)) => {
                        if length > 1 {
                            swallowed.extend(
                                current[i..i + length]
                                    .iter()
                                    .filter(|(_, mapped)| !mapped)
                                    .map(|(t, _)| t.clone()),
                            );
                        }
                        next.extend(canonical.split(' ').map(|t| (t.to_owned(), true)));
                        i += length;
                        changed = true;
                    }
                    None => {
                        next.push(current[i].clone());
                        i += 1;
                    }
                }
            }
            current = next;
            if !changed {
                break;
            }
        }
        (current, swallowed)
    }

    /// Per token: whether the first pass of [`PhraseMap::apply`] maps it as part of a phrase
    /// of several words.
    pub(crate) fn inside_phrases(&self, tokens: &[String]) -> Vec<bool> {
        let tokens: Vec<(String, bool)> = tokens.iter().map(|t| (t.clone(), false)).collect();
        let mut inside = vec![false; tokens.len()];
        let (mut key, mut i) = (String::new(), 0);
        while i < tokens.len() {
            let length = match self.longest_match(&tokens[i..], &mut key) {
                Some((length, _)) => length,
                None => 1,
            };
            if length > 1 {
                inside[i..i + length].fill(true);
            }
            i += length;
        }
        inside
    }

    /// The longest phrase starting at `tokens[0]`, or an inflection of a one-word variant.
    fn longest_match(&self, tokens: &[(String, bool)], key: &mut String) -> Option<(usize, &str)> {
        let (first, mapped) = tokens.first()?;
        // Most words start no phrase: one lookup instead of building every longer key.
        if self.starts_phrase(first) {
            for length in (2..=self.longest.min(tokens.len())).rev() {
                key.clear();
                for (n, (token, _)) in tokens[..length].iter().enumerate() {
                    if n > 0 {
                        key.push(' ');
                    }
                    key.push_str(token);
                }
                if let Some(canonical) = self.canonical(key) {
                    if !modifies_next_noun(tokens, length) {
                        return Some((length, canonical));
                    }
                }
            }
        }
        let canonical = if *mapped {
            self.canonical(first)
        } else {
            self.word(first)
        };
        canonical.map(|canonical| (1, canonical))
    }

    /// What one word that no mapping produced maps to on its own (canonical words joined by
    /// spaces): its own entry, else an inflection of a one-word variant (stop words are never
    /// inflections).
    pub(crate) fn word(&self, word: &str) -> Option<&str> {
        if let Some(canonical) = self.canonical(word) {
            return Some(canonical);
        }
        if LEXICON.is_stopword(word) {
            return None;
        }
        self.inflected(word)
    }

    /// The single-word variants of `pairs` (variant, canonical) only, for their inflections:
    /// see [`PhraseMap::word`].
    pub(crate) fn inflections_of(pairs: &[(String, String)]) -> Self {
        let mut map = Self::default();
        for (variant, canonical) in pairs.iter().filter(|(variant, _)| !variant.contains(' ')) {
            map.insert(variant, canonical);
        }
        map.resolve_chains();
        map
    }

    /// Whether `word` is the first word of a multi-word variant, so its neighbours matter.
    pub(crate) fn starts_phrase(&self, word: &str) -> bool {
        self.phrase_starts.contains(word)
    }

    /// Whether some multi-word variant begins with `pair` ("first second"): when none does,
    /// [`PhraseMap::apply`] maps the first word as if it started no phrase.
    pub(crate) fn begins_phrase(&self, pair: &str) -> bool {
        self.phrase_pairs.contains(pair)
    }
}

/// Whether a matched "which city" or "what day" is only the start of a longer noun ("which
/// city official", "what day trip"): the question then asks for that noun, not for a place or a
/// date. A stop word or a past tense after it ("which city did", "which city hosted") ends it.
/// English only: a phrase the glossary wrote ("en qué ciudad" → "in which city") is followed by
/// the rest of a Spanish question, where a noun's modifiers come after it.
fn modifies_next_noun(tokens: &[(String, bool)], length: usize) -> bool {
    let phrase = &tokens[..length];
    let Some((next, _)) = tokens.get(length) else {
        return false;
    };
    let asks_which = phrase[..length - 1]
        .iter()
        .any(|(token, mapped)| !mapped && (token == "what" || token == "which"));
    asks_which
        && !LEXICON.is_stopword(&phrase[length - 1].0)
        && !LEXICON.is_stopword(next)
        && !next.ends_with("ed")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> PhraseMap {
        let mut map = PhraseMap::default();
        for (variant, canonical) in pairs {
            map.insert(variant, canonical);
        }
        map
    }

    #[track_caller]
    fn check(map: &PhraseMap, input: &str, expect: &str) {
        let output: Vec<String> = map
            .apply(text::tokens(input))
            .0
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(output.join(" "), expect);
    }

    #[test]
    fn longest_phrase_wins_and_chains_resolve() {
        let mut map = map(&[
            ("viaje", "trip"),
            ("trip", "visit"),
            ("cosco shipping", "cosco"),
            ("how many", "quantity"),
        ]);
        map.resolve_chains();
        check(&map, "el viaje de Cosco Shipping", "el visit de cosco");
        check(&map, "How many ports", "quantity ports");
        check(&map, "nothing here", "nothing here");
    }

    #[test]
    fn which_city_before_a_noun_starts_that_noun() {
        let mut map = map(&[("which city", "where"), ("what day", "when")]);
        map.resolve_chains();
        check(&map, "which city did she visit", "where did she visit");
        check(&map, "in which city", "in where");
        check(&map, "which city hosted it", "where hosted it");
        check(
            &map,
            "which city official leads it",
            "which city official leads it",
        );
        check(&map, "what day trips", "what day trips");
    }

    #[test]
    fn first_writer_wins_and_cycles_meet_in_one_word() {
        let mut map = map(&[
            ("ai", "artificial intelligence"),
            ("artificial intelligence", "ai"),
            ("port", "harbour"),
            ("port", "airport"),
        ]);
        map.resolve_chains();
        check(&map, "ai and artificial intelligence", "ai and ai");
        check(&map, "port", "harbour");
    }

    #[test]
    fn inflected_variants_map_through_their_stem() {
        let mut map = map(&[("treaty", "agreement"), ("deal", "agreement")]);
        map.resolve_chains();
        check(
            &map,
            "treaties deals dealing",
            "agreement agreement agreement",
        );
    }

    #[test]
    fn an_english_word_is_no_inflection_of_a_foreign_variant() {
        // The English stemmer reads the Spanish "extrae" as "extra" + "e".
        let mut map = map(&[
            ("extrae", "extract"),
            ("facil", "easy"),
            ("treaty", "agreement"),
            ("pay", "payment"),
        ]);
        map.resolve_chains();
        check(
            &map,
            "extra facility extraes treaties paying",
            "extra facility extract agreement payment",
        );
    }

    #[test]
    fn an_inflection_of_any_variant_with_the_stem_maps() {
        let mut map = map(&[
            ("ally", "alliance"),
            ("allied", "alliance"),
            ("allies", "alliance"),
        ]);
        map.resolve_chains();
        check(&map, "allying allied", "alliance alliance");
    }

    #[test]
    fn variants_that_lose_words_are_skipped() {
        let map = map(&[
            ("3 d", "threedimensional"),
            ("3d", "threedimensional"),
            ("q and a", "interview"),
            ("u.s.", "usa"),
        ]);
        check(&map, "3 months and you", "3 months and you");
    }

    #[test]
    fn a_word_set_finds_each_line_by_its_word_whatever_the_order_of_the_text() {
        let set = WordSet::new(
            "# a comment: not an entry\nport: harbour dock\n  zinc  \nport: wharf\n\naardvark\n",
        );
        assert_eq!(set.iter().collect::<Vec<_>>(), ["aardvark", "port", "zinc"]);
        assert!(set.contains("zinc") && set.contains("aardvark") && !set.contains("harbour"));
        assert_eq!(
            set.line("port"),
            Some("port: harbour dock"),
            "the first of equal words"
        );
        assert!(!set.contains("# a comment") && !set.contains(""));
    }

    /// A word of two families has the kin of both ("earn": pay and profit), and no family
    /// reaches into another it does not share a word with.
    #[test]
    fn attribute_families_are_kin() {
        let kin = |stem: &str| LEXICON.attribute_kin.get(stem).cloned().unwrap_or_default();
        assert!(kin("salari").contains(&"earn".to_owned()));
        assert!(
            kin("earn").contains(&"salari".to_owned())
                && kin("earn").contains(&"profit".to_owned())
        );
        assert!(!kin("salari").contains(&"profit".to_owned()));
        assert!(
            kin("cost").contains(&"price".to_owned()) && !kin("cost").contains(&"cost".to_owned())
        );
        assert!(!kin("age").contains(&"born".to_owned()));
        // A word after "|" gives the attribute without asking for it.
        assert!(kin("height").contains(&"high".to_owned()));
        assert!(!LEXICON.attribute_stems.contains("high"));
        assert!(!LEXICON.attribute_kin.contains_key("high"));
    }

    #[test]
    fn builtin_resources_parse() {
        assert!(LEXICON.is_stopword("the"));
        assert!(LEXICON.is_stopword("los"));
        assert!(!LEXICON.is_stopword("when"));
        assert!(!english_synonyms().is_empty());
        assert!(!spanish_to_english().is_empty());
        assert!(LEXICON
            .related("concentrate")
            .is_some_and(|mut words| words.any(|word| word == "focus")));
        assert!(LEXICON.english_words.contains("port") && !LEXICON.english_words.contains("peru"));
        assert!(LEXICON.names.contains("peru") && !LEXICON.names.contains("port"));
        assert!(LEXICON.short_words.contains("tea") && !LEXICON.short_words.contains("clu"));
        assert!(LEXICON.attribute_stems.contains("cost"));
        assert_eq!(LEXICON.frequency("back"), 60);
        assert!(LEXICON.frequency("bake") < 45);
        assert_eq!(LEXICON.frequency("aardvark"), 0, "rarer than 3.0");
        assert_eq!(LEXICON.frequency("peru"), 0, "not in the English list");
        assert_eq!(
            ENGLISH_FREQUENCY.len(),
            LEXICON.english_words.iter().count(),
            "english_frequency.bin has one byte a word of english_words.txt: run word_frequency.py"
        );
    }

    #[test]
    fn every_other_rendering_is_of_a_glossary_word_and_not_its_translation() {
        let glossary: std::collections::HashMap<String, String> =
            spanish_to_english().into_iter().collect();
        let senses = spanish_senses();
        assert!(senses.len() > 100, "{} keys", senses.len());
        for (spanish, english) in senses {
            // A word the glossary writes as it is ("tension: tension") is read as itself.
            let translation = glossary.get(&spanish).unwrap_or(&spanish);
            assert!(
                SPANISH_TO_ENGLISH
                    .lines()
                    .any(|line| line.split_once(':').is_some_and(|(key, _)| key == spanish)),
                "es_en_senses.txt: {spanish} is no key of es_en.txt"
            );
            assert!(
                !english.contains(translation) && english.len() <= 3,
                "es_en_senses.txt: {spanish}: {english:?}"
            );
        }
    }
}
