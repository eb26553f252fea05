//! The built-in language resources: stop words, chat filler, English paraphrases and a
//! Spanish-to-English glossary, read once from the text files in `lexicon/`.
//!
//! They are general-purpose (any news story); story-specific words live in the facts files'
//! `[synonyms]`. The files are compiled into the binary so the bot needs nothing at run time.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::text;

const STOPWORDS_EN: &str = include_str!("lexicon/stopwords_en.txt");
const STOPWORDS_ES: &str = include_str!("lexicon/stopwords_es.txt");
const FILLER: &str = include_str!("lexicon/filler.txt");
const SYNONYMS_EN: &str = include_str!("lexicon/synonyms_en.txt");
const SPANISH_TO_ENGLISH: &str = include_str!("lexicon/es_en.txt");
const GENERIC: &str = include_str!("lexicon/generic_en.txt");
const ENGLISH_WORDS: &str = include_str!("lexicon/english_words.txt");
const NAMES: &str = include_str!("lexicon/names.txt");
const RELATED: &str = include_str!("lexicon/related_en.txt");
const ATTRIBUTES: &str = include_str!("lexicon/attributes.txt");
const ATTRIBUTES_NAMED: &str = include_str!("lexicon/attributes_named.txt");

/// Canonical words that ask *what kind* of answer is wanted. They help choose between facts
/// about the same thing (where vs. when) but say nothing about the topic, so they weigh little
/// and never count as evidence against a fact.
pub(crate) const QUESTION_WORDS: &[&str] =
    &["when", "where", "who", "why", "how", "which", "quantity"];

/// Stems of nouns that name the kind of answer asked for, with the question word that asks
/// for it: "trip *dates*" asks when, "how long" (read as "duration") for a span or a figure.
/// Read so only when no fact uses the word: a word no fact knows would otherwise weigh as the
/// question's topic and count against every fact, though any fact whose answer gives a date
/// gives what is asked. Not "city": it asks for a name, which an answer naming only what the
/// question names does not give (`attributes_named.txt`).
pub(crate) const KIND_NOUNS: &[(&str, &str)] = &[("date", "when"), ("durat", "duration")];

/// The words people type for those (and for "how many"), as typo fixes may target them.
pub(crate) const QUESTION_WORDS_SURFACE: &[&str] = &[
    "when", "where", "who", "why", "how", "which", "many", "much",
];

/// Words that only mean something inside a phrase ("how *many*", "did*n't*"): once phrases are
/// mapped, what is left of them is noise.
const AFTER_PHRASES: &[&str] = &["much", "many", "not", "no", "nt"];

pub(crate) struct Lexicon {
    pub(crate) english_stopwords: HashSet<String>,
    pub(crate) spanish_stopwords: HashSet<String>,
    pub(crate) filler: HashSet<String>,
    /// Conversational or vague words ("stuff", "supposed", "better"): a question may use them
    /// without being about anything the facts lack, so they weigh little when unknown.
    pub(crate) generic: HashSet<String>,
    /// Common English words: never "corrected" into a word of the facts.
    pub(crate) english_words: WordSet,
    /// Names of places, people and organisations: never corrected either, and a question about
    /// one the facts never mention is not answered by them.
    pub(crate) names: WordSet,
    /// Variant → canonical, both as token sequences joined by single spaces.
    pub(crate) english_synonyms: Vec<(String, String)>,
    pub(crate) spanish_to_english: Vec<(String, String)>,
    /// Word → words of its most frequent WordNet senses and their derivations ("concentrate":
    /// focus, centre). Too loose to match on, but enough to tell a paraphrase from a word
    /// about something else; see `matcher::related`. Each word's related words are the rest of
    /// its line of the built-in text, split when asked for: the table has 16,000 words and
    /// 300,000 related words, 6 MiB as owned strings and 4.6 MiB as a list of slices each.
    pub(crate) related: HashMap<&'static str, &'static str>,
    /// Stems (English and Spanish) of the words that name what a question asks for ("name",
    /// "cost", "ciudad"): a fact that never mentions one cannot answer the question.
    pub(crate) attribute_stems: HashSet<String>,
    /// Stems of the words that ask for a name ("name", "city", "nombre"): see
    /// `AnswerKinds::names_something_besides`.
    pub(crate) named_attribute_stems: HashSet<String>,
}

pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon {
    english_stopwords: words(STOPWORDS_EN),
    spanish_stopwords: words(STOPWORDS_ES),
    filler: words(FILLER),
    generic: words(GENERIC),
    english_words: WordSet::new(lines(ENGLISH_WORDS)),
    names: WordSet::new(lines(NAMES)),
    english_synonyms: groups(SYNONYMS_EN),
    spanish_to_english: translations(SPANISH_TO_ENGLISH),
    related: relations(RELATED),
    attribute_stems: stems(ATTRIBUTES),
    named_attribute_stems: stems(ATTRIBUTES_NAMED),
});

/// A large set of words from the built-in text, as sorted slices of that text: a third of the
/// memory of a `HashSet<String>` (38,000 English words and 9,000 names), and a lookup is a
/// binary search of a few microseconds' worth of comparisons, done a few times a question.
pub(crate) struct WordSet(Box<[&'static str]>);

impl WordSet {
    fn new(words: impl Iterator<Item = &'static str>) -> Self {
        let mut words: Vec<&'static str> = words.collect();
        words.sort_unstable();
        words.dedup();
        Self(words.into_boxed_slice())
    }

    pub(crate) fn contains(&self, word: &str) -> bool {
        self.0.binary_search(&word).is_ok()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().copied()
    }
}

impl Lexicon {
    /// The words related to `word` (see [`Lexicon::related`]), in the order of the text.
    pub(crate) fn related(&self, word: &str) -> Option<impl Iterator<Item = &'static str>> {
        self.related.get(word).map(|words| words.split_whitespace())
    }

    pub(crate) fn is_stopword(&self, token: &str) -> bool {
        AFTER_PHRASES.contains(&token)
            || self.english_stopwords.contains(token)
            || self.spanish_stopwords.contains(token)
            || self.filler.contains(token)
    }
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

fn words(text: &str) -> HashSet<String> {
    lines(text).flat_map(text::tokens).collect()
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
fn stems(text: &str) -> HashSet<String> {
    let english = Stemmer::create(Algorithm::English);
    let spanish = Stemmer::create(Algorithm::Spanish);
    lines(text)
        .flat_map(|word| {
            [
                english.stem(word).into_owned(),
                spanish.stem(word).into_owned(),
            ]
        })
        .collect()
}

/// `word: related related` lines (already normalised by the generator).
fn relations(text: &'static str) -> HashMap<&'static str, &'static str> {
    lines(text)
        .filter_map(|line| line.split_once(':'))
        .map(|(word, related)| (word.trim(), related))
        .collect()
}

/// Maps word sequences to canonical word sequences, longest match first. Built once per fact
/// base (story synonyms take precedence over the built-in resources).
#[derive(Debug, Default)]
pub(crate) struct PhraseMap {
    phrases: HashMap<String, Vec<String>>,
    /// Single-word variants by their English stem, so inflected forms map too ("treaties" →
    /// "treaty" → "agreement"). Only stems that lead to one canonical are kept, with every
    /// variant that has the stem ("ally", "allied", "allies"), sorted.
    stems: HashMap<String, Inflections>,
    /// Every word of every canonical: such words are English, whatever the text's language.
    canonical_words: HashSet<String>,
    /// First words of multi-word variants.
    phrase_starts: HashSet<String>,
    /// First two words of multi-word variants, joined by a space.
    phrase_pairs: HashSet<String>,
    longest: usize,
    stemmer: EnglishStemmer,
}

/// The single-word variants that share one English stem, and the canonical they all map to.
type Inflections = (Vec<String>, Vec<String>);

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
        let canonical = text::tokens(canonical);
        if variant.is_empty() || canonical.is_empty() || canonical.join(" ") == variant {
            return;
        }
        self.longest = self.longest.max(variant.split(' ').count());
        self.phrases.entry(variant).or_insert(canonical);
    }

    /// Follows chains (`viaje → trip → visit`) once, at build time, so every variant maps
    /// straight to its final word. A cycle (`ai ↔ artificial intelligence`) maps all its
    /// members to the smallest of them, so both spellings meet whichever is written first.
    pub(crate) fn resolve_chains(&mut self) {
        let keys: Vec<String> = self.phrases.keys().cloned().collect();
        let mut resolved: HashMap<String, Vec<String>> = HashMap::new();
        for key in keys {
            let mut path = vec![key.clone()];
            let mut current = self.phrases[&key].join(" ");
            while let Some(next) = self.phrases.get(&current) {
                if path.contains(&current) {
                    break;
                }
                path.push(current.clone());
                current = next.join(" ");
            }
            let target = match path.iter().position(|member| *member == current) {
                Some(start) => path[start..].iter().min().cloned().unwrap_or(current),
                None => current,
            };
            resolved.insert(key, target.split(' ').map(str::to_owned).collect());
        }
        resolved.retain(|key, target| target.join(" ") != *key);
        self.phrases = resolved;
        self.canonical_words = self.phrases.values().flatten().cloned().collect();
        self.phrase_starts = self
            .phrases
            .keys()
            .filter_map(|phrase| phrase.split_once(' ').map(|(first, _)| first.to_owned()))
            .collect();
        self.phrase_pairs = self
            .phrases
            .keys()
            .filter(|phrase| phrase.contains(' '))
            .map(|phrase| phrase.split(' ').take(2).collect::<Vec<_>>().join(" "))
            .collect();
        self.index_stems();
    }

    fn index_stems(&mut self) {
        let stemmer = &self.stemmer;
        let mut stems: HashMap<String, Option<Inflections>> = HashMap::new();
        for (variant, canonical) in &self.phrases {
            if variant.contains(' ') {
                continue;
            }
            let stem = stemmer.stem(variant).into_owned();
            let entry = stems
                .entry(stem)
                .or_insert_with(|| Some((Vec::new(), canonical.clone())));
            match entry {
                Some((variants, c)) if c == canonical => variants.push(variant.clone()),
                _ => *entry = None,
            }
        }
        self.stems = stems
            .into_iter()
            .filter_map(|(stem, found)| {
                let (mut variants, canonical) = found?;
                variants.sort();
                Some((stem, (variants, canonical)))
            })
            .collect();
    }

    /// The canonical of an inflected form of a single-word variant. The stem must agree and
    /// the word must keep all of the variant but its last letter ("treaties" for "treaty"),
    /// because stemmers also conflate different words ("designed" and "designate"). Every
    /// variant with the stem is tried, so the outcome does not depend on the map's order.
    fn inflected(&self, word: &str) -> Option<&Vec<String>> {
        let (variants, canonical) = self.stems.get(self.stemmer.stem(word).as_ref())?;
        let inflects = |variant: &String| {
            let kept = variant
                .chars()
                .zip(word.chars())
                .take_while(|(a, b)| a == b)
                .count();
            kept + 1 >= variant.chars().count()
        };
        variants.iter().any(inflects).then_some(canonical)
    }

    pub(crate) fn is_canonical(&self, word: &str) -> bool {
        self.canonical_words.contains(word)
    }

    pub(crate) fn contains_word(&self, word: &str) -> bool {
        self.phrases.contains_key(word)
    }

    /// Every word of every variant and canonical.
    pub(crate) fn words(&self) -> impl Iterator<Item = &str> {
        let variants = self.phrases.keys().flat_map(|phrase| phrase.split(' '));
        variants.chain(self.canonical_words.iter().map(String::as_str))
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
                        next.extend(canonical.iter().map(|t| (t.clone(), true)));
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

    /// The longest phrase starting at `tokens[0]`, or an inflection of a one-word variant.
    fn longest_match(
        &self,
        tokens: &[(String, bool)],
        key: &mut String,
    ) -> Option<(usize, &Vec<String>)> {
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
                if let Some(canonical) = self.phrases.get(key.as_str()) {
                    return Some((length, canonical));
                }
            }
        }
        let canonical = if *mapped {
            self.phrases.get(first)
        } else {
            self.word(first)
        };
        canonical.map(|canonical| (1, canonical))
    }

    /// What one word that no mapping produced maps to on its own: its own entry, else an
    /// inflection of a one-word variant (stop words are never inflections).
    pub(crate) fn word(&self, word: &str) -> Option<&Vec<String>> {
        if let Some(canonical) = self.phrases.get(word) {
            return Some(canonical);
        }
        if LEXICON.is_stopword(word) {
            return None;
        }
        self.inflected(word)
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
    fn builtin_resources_parse() {
        assert!(LEXICON.is_stopword("the"));
        assert!(LEXICON.is_stopword("los"));
        assert!(!LEXICON.is_stopword("when"));
        assert!(!LEXICON.english_synonyms.is_empty());
        assert!(!LEXICON.spanish_to_english.is_empty());
        assert!(LEXICON
            .related("concentrate")
            .is_some_and(|mut words| words.any(|word| word == "focus")));
        assert!(LEXICON.english_words.contains("port") && !LEXICON.english_words.contains("peru"));
        assert!(LEXICON.names.contains("peru") && !LEXICON.names.contains("port"));
        assert!(LEXICON.attribute_stems.contains("cost"));
    }
}
