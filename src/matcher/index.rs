//! Building the index: every fact's patterns and answer text to postings, and the words of the
//! facts for the typo fixer.
//!
//! A base of 10,000 facts has some 600,000 words but only some 20,000 distinct ones, so each
//! distinct word is looked up, mapped and stemmed once ([`Vocabulary`]) and a text then costs
//! one hash lookup per word. A text in which a multi-word phrase may form goes through the
//! analyzer whole. Either way a text yields exactly the terms the analyzer gives, in the same
//! order, so term ids, and with them every score, are those that analysing every text in full
//! would give (the tests below compare the two).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::analyzer::{self, Analyzer, Term};
use super::lexicon::{LEXICON, QUESTION_WORDS_SURFACE};
use super::typo::Corrector;
use super::{text, AnswerKinds, MatchSettings, Matcher, LONG_POSTINGS};

/// Collects postings while facts are analyzed; [`super::Matcher::new`] freezes them.
pub(super) struct IndexBuilder {
    answer_text_weight: f32,
    /// Kept by the matcher, where members' words are looked up in it: SipHash, as there.
    pub(super) term_ids: HashMap<String, u32>,
    pub(super) term_is_question_word: Vec<bool>,
    /// Per term: (fact, best field weight), by fact. Facts are added in order, so a fact's
    /// entry, when it has one, is the last.
    pub(super) fact_fields: Vec<Vec<(u32, f32)>>,
    pub(super) pattern_postings: Vec<Vec<u32>>,
    pub(super) pattern_fact: Vec<u32>,
    pub(super) pattern_terms: Vec<Vec<u32>>,
}

impl IndexBuilder {
    pub(super) fn new(answer_text_weight: f32) -> Self {
        Self {
            answer_text_weight,
            term_ids: HashMap::new(),
            term_is_question_word: Vec::new(),
            fact_fields: Vec::new(),
            pattern_postings: Vec::new(),
            pattern_fact: Vec::new(),
            pattern_terms: Vec::new(),
        }
    }

    /// The id of `term`, new ones numbered in the order they are first met.
    fn id(&mut self, term: &Term) -> u32 {
        if let Some(&id) = self.term_ids.get(&term.text) {
            return id;
        }
        let id = self.term_ids.len() as u32;
        self.term_ids.insert(term.text.clone(), id);
        self.term_is_question_word.push(term.is_question_word);
        self.fact_fields.push(Vec::new());
        self.pattern_postings.push(Vec::new());
        id
    }

    fn add_pattern(&mut self, fact: u32, ids: Vec<u32>) {
        let pattern = self.pattern_fact.len() as u32;
        self.pattern_fact.push(fact);
        for &id in &ids {
            self.pattern_postings[id as usize].push(pattern);
            self.set_field(id, fact, 1.0, true);
        }
        self.pattern_terms.push(ids);
    }

    fn add_answer_text(&mut self, fact: u32, ids: &[u32]) {
        for &id in ids {
            self.set_field(id, fact, self.answer_text_weight, false);
        }
    }

    /// Records that `fact` mentions term `id` with `weight`; an existing weight is kept unless
    /// `replace` (a pattern word outweighs an answer word, whichever comes first).
    fn set_field(&mut self, id: u32, fact: u32, weight: f32, replace: bool) {
        let fields = &mut self.fact_fields[id as usize];
        match fields.last_mut() {
            Some((last, field)) if *last == fact => {
                if replace {
                    *field = weight;
                }
            }
            last => {
                debug_assert!(
                    last.is_none_or(|(last, _)| *last < fact),
                    "facts out of order"
                );
                fields.push((fact, weight));
            }
        }
    }

    /// Freezes the index into a [`Matcher`]: term weights, sorted postings, pattern totals.
    pub(super) fn finish(
        self,
        n_facts: usize,
        settings: MatchSettings,
        analyzer: Arc<Analyzer>,
        corrector: Corrector,
        known_words: HashSet<String>,
        answer_kinds: Vec<AnswerKinds>,
    ) -> Matcher {
        let n = n_facts.max(1) as f32;
        let rarest = (1.0 + n).ln();
        let term_weight: Vec<f32> = self
            .fact_fields
            .iter()
            .zip(&self.term_is_question_word)
            .map(|(facts, &question)| {
                if question {
                    settings.question_word_weight
                } else {
                    (1.0 + n / facts.len().max(1) as f32).ln()
                }
            })
            .collect();
        let pattern_count = self.pattern_fact.len();
        let totals = |weights: &[f32]| -> Vec<f32> {
            self.pattern_terms
                .iter()
                .map(|ids| {
                    ids.iter()
                        .map(|&id| weights[id as usize])
                        .sum::<f32>()
                        .max(f32::EPSILON)
                })
                .collect()
        };
        let pattern_total = totals(&term_weight);
        // A generic word weighs in a question at most this (see `Matcher::weigh`).
        let generic_cap = settings.generic_word_weight * settings.unknown_word_weight * rarest;
        let mut as_asked = term_weight.clone();
        for word in &LEXICON.generic {
            if let Some(&id) = self.term_ids.get(&analyzer.stem(word, false)) {
                as_asked[id as usize] = as_asked[id as usize].min(generic_cap);
            }
        }
        let pattern_total_as_asked = totals(&as_asked);
        Matcher {
            unknown_weight: settings.unknown_word_weight * rarest,
            rarest_weight: rarest,
            long_postings: LONG_POSTINGS.max(n_facts / 64),
            long_pattern_postings: (8 * LONG_POSTINGS).max(pattern_count / 64),
            fact_words: super::meaning::FactWords::default(),
            named: Vec::new(),
            places: Vec::new(),
            attribute_kin: FxHashMap::default(),
            title_terms: Vec::new(),
            leading_role_ids: Vec::new(),
            surface: super::surface::Surface::default(),
            gists: super::gist::Gists::default(),
            settings,
            analyzer,
            corrector,
            known_words: {
                let mut words: Vec<String> = known_words.into_iter().collect();
                words.sort_unstable();
                words
            },
            term_ids: self.term_ids,
            term_weight,
            // Already by fact: facts are added in order.
            fact_postings: self.fact_fields,
            pattern_postings: self.pattern_postings,
            pattern_fact: self.pattern_fact,
            pattern_total,
            pattern_total_as_asked,
            answer_kinds,
        }
    }
}

/// Which field of a fact a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Pattern,
    Answer,
}

/// Every distinct word met while indexing, read once. Build-time only: FxHash, because its
/// keys are the facts authors' words and no member's word ever reaches it.
#[derive(Default)]
pub(super) struct Vocabulary {
    by_text: FxHashMap<String, u32>,
    words: Vec<Word>,
    /// The words each word maps to, one after another; see [`Reading::mapping`].
    mappings: Vec<u32>,
    /// Reused per text: the words of the text being indexed.
    scratch: Vec<u32>,
    /// Reused per text: two words joined, to look up as the start of a phrase.
    pair: String,
}

struct Word {
    text: String,
    /// How often the word occurs in the facts' texts; 0 for a word only a mapping writes.
    count: u32,
    /// See [`Analyzer::starts_phrase`].
    starts_phrase: bool,
    /// See [`Analyzer::is_variant`].
    is_variant: bool,
    /// What the word is on its own; `None` until it is met in a text.
    reading: Option<Reading>,
    /// Its term in an English text, in a Spanish text, and as a mapping's output.
    terms: [Slot; 3],
}

struct Reading {
    /// See [`analyzer::language_vote`].
    vote: i32,
    /// The words it maps to on its own, if any: a range of [`Vocabulary::mappings`].
    mapping: Option<std::ops::Range<usize>>,
}

/// A word's term in one context, worked out the first time it is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Unread,
    StopWord,
    Term(u32),
}

/// Index into [`Word::terms`].
#[derive(Debug, Clone, Copy)]
enum Context {
    English = 0,
    Spanish = 1,
    Mapped = 2,
}

impl Context {
    fn of(mapped: bool, spanish: bool) -> Self {
        match (mapped, spanish) {
            (true, _) => Self::Mapped,
            (false, true) => Self::Spanish,
            (false, false) => Self::English,
        }
    }
}

impl Vocabulary {
    /// Indexes one text of fact `fact`.
    pub(super) fn add_text(
        &mut self,
        analyzer: &Analyzer,
        builder: &mut IndexBuilder,
        fact: u32,
        field: Field,
        text: &str,
    ) {
        let mut words = std::mem::take(&mut self.scratch);
        words.clear();
        text::each_token(text, |token| words.push(self.met(analyzer, token)));
        self.add_words(analyzer, builder, fact, field, &words);
        self.scratch = words;
    }

    /// Indexes texts that [`Tokenized`] read (on another thread), in its order: `fields`
    /// gives the fact and field of each text.
    pub(super) fn add_tokenized(
        &mut self,
        analyzer: &Analyzer,
        builder: &mut IndexBuilder,
        tokenized: &Tokenized,
        fields: impl IntoIterator<Item = (u32, Field)>,
    ) {
        let ours: Vec<u32> = tokenized
            .words
            .iter()
            .map(|word| self.met(analyzer, word))
            .collect();
        let mut words = std::mem::take(&mut self.scratch);
        let mut start = 0;
        for (&end, (fact, field)) in tokenized.ends.iter().zip(fields) {
            words.clear();
            words.extend(
                tokenized.tokens[start..end]
                    .iter()
                    .map(|&w| ours[w as usize]),
            );
            self.add_words(analyzer, builder, fact, field, &words);
            start = end;
        }
        self.scratch = words;
    }

    /// Indexes one text, given as its words.
    fn add_words(
        &mut self,
        analyzer: &Analyzer,
        builder: &mut IndexBuilder,
        fact: u32,
        field: Field,
        words: &[u32],
    ) {
        for &word in words {
            self.words[word as usize].count += 1;
        }
        let mut pair = std::mem::take(&mut self.pair);
        let (ids, swallowed) = match self.mapped_alone(analyzer, words, &mut pair) {
            Some(mapped) => (self.terms(analyzer, builder, words, &mapped), Vec::new()),
            None => {
                let tokens = words
                    .iter()
                    .map(|&word| self.words[word as usize].text.clone())
                    .collect();
                let (terms, swallowed) = analyzer.analyze_for_index(tokens);
                let ids = terms.iter().map(|term| builder.id(term)).collect();
                let swallowed: Vec<u32> = swallowed.iter().map(|term| builder.id(term)).collect();
                (ids, swallowed)
            }
        };
        match field {
            Field::Pattern => builder.add_pattern(fact, ids),
            Field::Answer => builder.add_answer_text(fact, &ids),
        }
        builder.add_answer_text(fact, &swallowed);
        self.pair = pair;
    }

    /// The words of a text once phrases are mapped (with whether a mapping wrote each), when
    /// every word maps on its own; `None` when the analyzer's passes may form a multi-word
    /// phrase or map a mapping's output again, so the text must be analyzed whole.
    ///
    /// [`PhraseMap::apply`](super::lexicon::PhraseMap::apply) tries a multi-word phrase only
    /// at a word that starts one, and any such phrase begins with that word and the next; when
    /// no such pair begins a phrase, in the text or after the first pass, each word simply
    /// becomes its own mapping.
    fn mapped_alone(
        &self,
        analyzer: &Analyzer,
        words: &[u32],
        pair: &mut String,
    ) -> Option<Vec<(u32, bool)>> {
        if self.forms_phrase(analyzer, words.iter().copied(), pair) {
            return None;
        }
        let mut mapped = Vec::with_capacity(words.len());
        let mut changed = false;
        for &word in words {
            match self.reading(word).mapping.clone() {
                Some(canonical) => {
                    changed = true;
                    for &output in &self.mappings[canonical] {
                        if self.words[output as usize].is_variant {
                            return None;
                        }
                        mapped.push((output, true));
                    }
                }
                None => mapped.push((word, false)),
            }
        }
        if changed && self.forms_phrase(analyzer, mapped.iter().map(|&(word, _)| word), pair) {
            return None;
        }
        Some(mapped)
    }

    /// Whether a word that starts a phrase is followed by a word that continues one.
    fn forms_phrase(
        &self,
        analyzer: &Analyzer,
        mut words: impl Iterator<Item = u32>,
        pair: &mut String,
    ) -> bool {
        let Some(mut previous) = words.next() else {
            return false;
        };
        for word in words {
            let first = &self.words[previous as usize];
            if first.starts_phrase {
                pair.clear();
                pair.push_str(&first.text);
                pair.push(' ');
                pair.push_str(&self.words[word as usize].text);
                if analyzer.begins_phrase(pair) {
                    return true;
                }
            }
            previous = word;
        }
        false
    }

    /// The term ids of a text's mapped words, deduplicated in order, as
    /// [`Analyzer::analyze_for_index`] numbers them.
    fn terms(
        &mut self,
        analyzer: &Analyzer,
        builder: &mut IndexBuilder,
        words: &[u32],
        mapped: &[(u32, bool)],
    ) -> Vec<u32> {
        let spanish = words.iter().map(|&w| self.reading(w).vote).sum::<i32>() > 0;
        let mut ids: Vec<u32> = Vec::with_capacity(mapped.len());
        for &(word, is_mapped) in mapped {
            let context = Context::of(is_mapped, spanish);
            if let Slot::Term(id) = self.term(analyzer, builder, word, context) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids
    }

    /// Word `word`'s term in `context`, numbered in `builder` the first time.
    fn term(
        &mut self,
        analyzer: &Analyzer,
        builder: &mut IndexBuilder,
        word: u32,
        context: Context,
    ) -> Slot {
        let entry = &mut self.words[word as usize];
        let slot = &mut entry.terms[context as usize];
        if *slot == Slot::Unread {
            *slot = match context_term(analyzer, &entry.text, context, &|_| false) {
                Some(term) => Slot::Term(builder.id(&term)),
                None => Slot::StopWord,
            };
        }
        *slot
    }

    fn reading(&self, word: u32) -> &Reading {
        self.words[word as usize]
            .reading
            .as_ref()
            .expect("words of a text are read when met")
    }

    /// The index of a word met in a text, read the first time.
    fn met(&mut self, analyzer: &Analyzer, token: &str) -> u32 {
        let word = self.entry(analyzer, token);
        if self.words[word as usize].reading.is_none() {
            let mapping = analyzer.word_mapping(token).map(|canonical| {
                let start = self.mappings.len();
                for word in canonical {
                    let entry = self.entry(analyzer, word);
                    self.mappings.push(entry);
                }
                start..self.mappings.len()
            });
            self.words[word as usize].reading = Some(Reading {
                vote: analyzer::language_vote(token),
                mapping,
            });
        }
        word
    }

    /// The index of `text`, added unread when new.
    fn entry(&mut self, analyzer: &Analyzer, text: &str) -> u32 {
        if let Some(&word) = self.by_text.get(text) {
            return word;
        }
        let word = self.words.len() as u32;
        self.by_text.insert(text.to_owned(), word);
        self.words.push(Word {
            text: text.to_owned(),
            count: 0,
            starts_phrase: analyzer.starts_phrase(text),
            is_variant: analyzer.is_variant(text),
            reading: None,
            terms: [Slot::Unread; 3],
        });
        word
    }

    /// The typo fixer, and the surface words of the facts, which are never corrected.
    ///
    /// Typo fixes may only land on words that lead to the facts' vocabulary (`term_ids`):
    /// fixing a word into another unknown one gains nothing and hides an honest "unknown".
    /// Each word weighs how often it occurs in the facts (the typo fixer's tie-break).
    pub(super) fn typo_fixer(
        &self,
        analyzer: &Analyzer,
        term_ids: &HashMap<String, u32>,
    ) -> (Corrector, HashSet<String>) {
        let is_indexed = |term: &str| term_ids.contains_key(term);
        let mut dictionary: HashMap<String, u32> = HashMap::new();
        let mut known_words: HashSet<String> = HashSet::new();
        for (word, count) in self.surface_words() {
            known_words.insert(word.to_owned());
            if self.leads_to_index(analyzer, word, &is_indexed) {
                dictionary.insert(word.to_owned(), 1 + count);
            }
        }
        // A word the facts never use is no typo target when it means a number, which must
        // match exactly: "docs" is not the Spanish "doce", twelve.
        for (word, terms) in analyzer.phrase_words() {
            let mut terms = terms.peekable();
            if !known_words.contains(word)
                && terms.peek().is_some()
                && terms.all(|term| is_indexed(term) && !text::is_number(term))
            {
                dictionary.insert(word.to_owned(), 1);
            }
        }
        // Misspelt function words ("manny", "wher") are fixed too, so phrases such as
        // "how many" still form.
        let function_words = LEXICON.english_stopwords.iter().map(String::as_str);
        for word in function_words.chain(QUESTION_WORDS_SURFACE.iter().copied()) {
            dictionary.entry(word.to_owned()).or_insert(1);
        }
        (Corrector::new(dictionary), known_words)
    }

    /// Each distinct word of the facts' texts with how often it occurs.
    fn surface_words(&self) -> impl Iterator<Item = (&str, u32)> {
        self.words
            .iter()
            .filter(|word| word.count > 0)
            .map(|word| (word.text.as_str(), word.count))
    }

    /// Whether `word` (a word of the facts) on its own analyzes to terms that are all in the
    /// index, as [`Analyzer::analyze`] would find.
    fn leads_to_index(
        &self,
        analyzer: &Analyzer,
        word: &str,
        is_indexed: &dyn Fn(&str) -> bool,
    ) -> bool {
        // A word of plain letters tokenizes to itself, so the text is that one word.
        let plain = word.bytes().all(|b| b.is_ascii_lowercase());
        let text = [self.by_text.get(word).copied()];
        let mapped = match text {
            [Some(id)] if plain && self.words[id as usize].reading.is_some() => {
                self.mapped_alone(analyzer, &[id], &mut String::new())
            }
            _ => None,
        };
        let (Some(mapped), [Some(id)]) = (mapped, text) else {
            let terms = analyzer.analyze(word);
            return !terms.is_empty() && terms.iter().all(|term| is_indexed(&term.text));
        };
        let spanish = self.reading(id).vote > 0;
        let mut any = false;
        for (word, is_mapped) in mapped {
            let entry = &self.words[word as usize];
            let context = Context::of(is_mapped, spanish);
            let indexed = match entry.terms[context as usize] {
                Slot::Term(_) => Some(true),
                Slot::StopWord => None,
                Slot::Unread => context_term(analyzer, &entry.text, context, &|_| false)
                    .map(|term| is_indexed(&term.text)),
            };
            match indexed {
                Some(false) => return false,
                Some(true) => any = true,
                None => {}
            }
        }
        any
    }
}

/// Texts split into tokens and numbered by distinct word, away from the index: the part of
/// indexing that needs neither the analyzer's state nor the order of the texts, so another
/// thread can do it for half of the facts.
#[derive(Default)]
pub(super) struct Tokenized {
    /// Each distinct word, numbered in the order met.
    words: Vec<String>,
    by_text: FxHashMap<String, u32>,
    /// Every text's words, one text after another.
    tokens: Vec<u32>,
    /// Where each text's words end in `tokens`.
    ends: Vec<usize>,
}

impl Tokenized {
    pub(super) fn add(&mut self, text: &str) {
        text::each_token(text, |token| {
            let word = match self.by_text.get(token) {
                Some(&word) => word,
                None => {
                    let word = self.words.len() as u32;
                    self.by_text.insert(token.to_owned(), word);
                    self.words.push(token.to_owned());
                    word
                }
            };
            self.tokens.push(word);
        });
        self.ends.push(self.tokens.len());
    }
}

/// A word's term in `context`: the analyzer's [`Analyzer::term`].
fn context_term(
    analyzer: &Analyzer,
    word: &str,
    context: Context,
    known: &dyn Fn(&str) -> bool,
) -> Option<Term> {
    let (mapped, spanish) = match context {
        Context::English => (false, false),
        Context::Spanish => (false, true),
        Context::Mapped => (true, false),
    };
    analyzer.term(word.to_owned(), mapped, spanish, known)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Synonym;

    /// Indexes `texts` both ways and compares every pattern's terms, by text.
    #[track_caller]
    fn check_same_terms(analyzer: &Analyzer, texts: &[&str]) {
        let mut fast = IndexBuilder::new(0.5);
        let mut vocabulary = Vocabulary::default();
        let mut full = IndexBuilder::new(0.5);
        for (fact, text) in texts.iter().enumerate() {
            vocabulary.add_text(analyzer, &mut fast, fact as u32, Field::Pattern, text);
            let (terms, swallowed) = analyzer.analyze_for_index(text::tokens(text));
            let ids = terms.iter().map(|term| full.id(term)).collect();
            full.add_pattern(fact as u32, ids);
            let swallowed: Vec<u32> = swallowed.iter().map(|term| full.id(term)).collect();
            full.add_answer_text(fact as u32, &swallowed);
        }
        assert_eq!(fast.term_ids, full.term_ids);
        assert_eq!(fast.pattern_terms, full.pattern_terms);
        assert_eq!(fast.fact_fields, full.fact_fields);
        assert_eq!(fast.term_is_question_word, full.term_is_question_word);
        for (word, _) in vocabulary.surface_words() {
            let terms = analyzer.analyze(word);
            let expect =
                !terms.is_empty() && terms.iter().all(|t| full.term_ids.contains_key(&t.text));
            let found =
                vocabulary.leads_to_index(analyzer, word, &|t| full.term_ids.contains_key(t));
            assert_eq!(found, expect, "{word}");
        }
    }

    #[test]
    fn word_by_word_reading_gives_the_analyzers_terms() {
        let analyzer = Analyzer::new(&[Synonym {
            canonical: "beijing".into(),
            variants: vec!["pekin".into(), "peking".into()],
        }]);
        check_same_terms(
            &analyzer,
            &[
                "When did Boluarte travel to China?",
                "¿Cuándo viajó la presidenta a Pekín?",
                "How many agreements and treaties were signed?",
                "¿Cuántos acuerdos firmaron Perú y China?",
                "The car manufacturer BYD, Cosco Shipping and Huawei",
                "won't they sign the U.S. deal? 20,000 workers, 1.51% and 1,234.5",
                "el viaje de la presidenta duró seis días",
                "artificial intelligence and ai, treaties dealing deals",
                "Peking peking pekin beijing",
                "when when where quantity how much",
                "What time did the what ka lo happen? what day, how long",
                "Cosco Shipping Ports and the cosco shipping port of Chancay",
            ],
        );
    }

    #[test]
    fn word_by_word_reading_matches_on_the_bundled_facts() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("facts");
        let loaded = crate::facts::load(&[path]).expect("bundled facts load");
        let analyzer = Analyzer::new(&loaded.base.synonyms);
        let texts: Vec<String> = loaded
            .base
            .facts
            .iter()
            .flat_map(|fact| {
                let answer = format!("{} {} {}", fact.answer, fact.snippet, fact.tags.join(" "));
                let titles = fact.translations.iter().map(|(_, t)| t.title.clone());
                fact.questions.iter().cloned().chain(titles).chain([answer])
            })
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        check_same_terms(&analyzer, &texts);
    }
}
