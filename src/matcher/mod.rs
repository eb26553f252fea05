//! Members' questions to facts: the fuzzy matcher.
//!
//! Everything that can be done once per fact base is done in [`Matcher::new`]: analyzing every
//! pattern, the inverted index, term weights, the typo dictionary. [`Matcher::ask`] then only
//! touches the postings of the question's own terms, so its cost grows with the question, not
//! with the number of facts.
//!
//! Scoring is coverage of the question by a fact: each question term weighs its rarity across
//! facts, and a content word that no fact mentions weighs most of all, because it is the best
//! sign that the question is about something the facts do not cover ("Did she visit *Japan*?").

mod analyzer;
mod index;
mod kinds;
mod language;
mod lexicon;
mod meaning;
mod related;
mod text;
mod typo;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::facts::{Diagnostic, Fact, FactBase, Severity};
use analyzer::{Analyzer, Term};
use index::{Field, IndexBuilder, Tokenized, Vocabulary};
use kinds::AnswerKinds;
use typo::Corrector;

pub use language::language_votes;

/// The words of a text, lowercase and without accents, markup or punctuation ("¿Cuándo?" and
/// "cuando" are the same word): the matcher's first step, for adapters that compare text
/// themselves (autocomplete's prefixes).
pub fn words(text: &str) -> Vec<String> {
    text::tokens(text)
}

/// The knobs of matching, read from the config file's `[matching]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchSettings {
    /// Score from which the best fact is given as the answer whatever its confidence (when it
    /// also stands clear); below it, [`Matcher::confidence`] decides.
    pub answer_threshold: f32,
    /// How far the best fact must stand above the next one to be answered rather than offered
    /// among others.
    pub ambiguity_margin: f32,
    /// Score from which a fact is offered as a close topic when nothing is answered.
    pub suggest_threshold: f32,
    /// Weight of a question word the facts never mention, relative to the rarest known word.
    pub unknown_word_weight: f32,
    /// Weight of a question word such as "when" or "how many".
    pub question_word_weight: f32,
    /// Weight of a conversational word the facts never mention ("stuff", "supposed"),
    /// relative to an unknown content word.
    pub generic_word_weight: f32,
    /// How much a word found only in a fact's answer or snippet counts, relative to a word of
    /// its question patterns.
    pub answer_text_weight: f32,
    /// Share of the score that comes from the best single pattern's coverage (the rest is the
    /// question's coverage by the whole fact).
    pub pattern_share: f32,
    /// Factor applied to a fact whose answer cannot be of the kind asked for: a number for
    /// "how many", a date or time for "when".
    pub answer_kind_penalty: f32,
    /// A fact cannot be the answer when one word of the question that it does not mention
    /// carries at least this share of the question's weight: the question is about something
    /// else ("How deep is the Cosco port?" is not answered by the port fact).
    pub missing_word_veto: f32,
    /// The least evidence a fact needs to be the answer: the summed weight of the question's
    /// content words it matches, as a share of the weight of a word found in one fact only.
    /// Keeps "who was president before Boluarte?" from being answered on the strength of
    /// "Boluarte" alone, a word found in most facts.
    pub min_evidence: f32,
    /// How much an unknown English word counts for a fact that uses a word related to it
    /// (WordNet: "concentrating" for "focused"), relative to a word the fact uses itself. Such
    /// a word then no longer counts against the fact either. 0 turns relations off.
    pub related_word_credit: f32,
    /// How close in meaning (cosine, see `matcher::meaning`) a word the fact lacks must be to
    /// one of the fact's words to count as a paraphrase of it.
    pub meaning_threshold: f32,
    /// The closeness from which such a word counts as fully as a word the fact uses; between
    /// the two thresholds its credit rises in a straight line.
    pub meaning_full: f32,
    /// How much a word at `meaning_full` closeness counts, relative to a word the fact uses
    /// itself. 0 turns graded meaning off.
    pub meaning_credit: f32,
    /// The confidence from which the best fact is given as the answer (when it also stands
    /// clear of the next by `ambiguity_margin`); see [`Matcher::confidence`].
    pub answer_confidence: f32,
    /// The bias and weights of the confidence model, in the order of [`Matcher::features`]:
    /// score, margin, coverage, pattern fit, unknown share, kind fits, evidence, missing share.
    pub confidence_weights: [f32; FEATURES + 1],
    /// How many candidates to return.
    pub max_candidates: usize,
}

impl Default for MatchSettings {
    fn default() -> Self {
        Self {
            answer_threshold: 0.5,
            ambiguity_margin: 0.05,
            suggest_threshold: 0.25,
            unknown_word_weight: 1.2,
            question_word_weight: 1.0,
            generic_word_weight: 0.25,
            answer_text_weight: 1.0,
            pattern_share: 0.5,
            answer_kind_penalty: 0.45,
            missing_word_veto: 1.0,
            min_evidence: 0.55,
            related_word_credit: 1.0,
            meaning_threshold: 0.4,
            meaning_full: 0.75,
            meaning_credit: 1.0,
            answer_confidence: 0.6,
            // Fitted by `matcher/calibrate.py` on the tuning questions.
            confidence_weights: [
                -7.011, 2.248, 3.944, 0.417, -0.422, 0.652, 4.854, 0.490, -2.497,
            ],
            max_candidates: 5,
        }
    }
}

/// What the matcher concluded about a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// One fact answers it, confidently.
    Answered,
    /// Two or more facts are close: offer them.
    Ambiguous,
    /// Nothing answers it: say so and offer the closest topics.
    Unknown,
}

/// A fact and how well it matched, `score` in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub fact: usize,
    pub score: f32,
    /// The largest share of the question's weight carried by one word this fact does not
    /// mention; see [`MatchSettings::missing_word_veto`].
    pub missing_share: f32,
    /// The summed weight of the question's content words this fact matches: how much the
    /// question actually says that points here.
    pub evidence: f32,
    /// What the decision weighs besides the score; see [`Signals`].
    pub signals: Signals,
}

/// The evidence behind a candidate that decides whether it is given as the answer. Each is a
/// share in 0..=1 unless said otherwise; `matcher::calibrate.py` fits their weights in
/// [`MatchSettings::confidence_weights`] on tuning questions.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Signals {
    /// How much of the question's weight the fact covers, paraphrases by meaning included.
    pub coverage: f32,
    /// How well the fact's best question pattern fits the question, both ways.
    pub pattern: f32,
    /// The share of the question's weight in words no fact uses and nothing paraphrases.
    pub unknown: f32,
    /// 1 when the fact's answer can be of the kind asked for (a figure for "how many").
    pub kind_fits: f32,
    /// The score's lead over the next fact's.
    pub margin: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    /// Best first; for `Answered` the first is the answer.
    pub candidates: Vec<Candidate>,
}

impl Outcome {
    pub fn answer(&self) -> Option<usize> {
        match self.status {
            Status::Answered => self.candidates.first().map(|c| c.fact),
            _ => None,
        }
    }

    pub fn score(&self) -> f32 {
        self.candidates.first().map_or(0.0, |c| c.score)
    }
}

/// How many signals [`Matcher::confidence`] weighs.
pub const FEATURES: usize = 8;

/// How much the second-best pattern of a fact counts in its pattern fit: enough to break ties
/// between sibling facts, too little to outvote a pattern that fits well.
const SECOND_PATTERN_SHARE: f32 = 0.2;

/// A map keyed by fact or pattern index. Such keys need no protection against crafted
/// collisions (members choose words, not indices), so a multiplicative hash replaces SipHash
/// on the hot path.
type IdMap<V> = HashMap<u32, V, std::hash::BuildHasherDefault<IdHasher>>;

#[derive(Default)]
struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 << 8 | u64::from(byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u32(&mut self, value: u32) {
        self.0 = u64::from(value).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Postings up to this long are always walked: short lists cost less to walk than to search.
const LONG_POSTINGS: usize = 256;

/// The index of one fact base. Immutable; a reload builds a new one.
pub struct Matcher {
    settings: MatchSettings,
    /// Shared with other snapshots of the same story (see [`Analyzer::shared`]).
    analyzer: Arc<Analyzer>,
    corrector: Corrector,
    /// Surface words seen in the facts: never typo-corrected (nor are the words of mapped
    /// phrases, see [`Analyzer::is_phrase_word`]).
    known_words: HashSet<String>,
    term_ids: HashMap<String, u32>,
    /// Per term: its weight (rarity across facts).
    term_weight: Vec<f32>,
    /// Per term: the facts that mention it, with 1.0 for a pattern word and
    /// `answer_text_weight` for an answer- or snippet-only word.
    fact_postings: Vec<Vec<(u32, f32)>>,
    /// Per term: the patterns that contain it.
    pattern_postings: Vec<Vec<u32>>,
    pattern_fact: Vec<u32>,
    /// Per pattern: the summed weight of its terms, the denominator of its coverage.
    pattern_total: Vec<f32>,
    /// Per fact: what kinds of answer its answer text can give.
    answer_kinds: Vec<AnswerKinds>,
    unknown_weight: f32,
    /// The weight of a word found in one fact only: the unit of evidence.
    rarest_weight: f32,
    /// Postings longer than these are looked up, not walked (see [`Matcher::accumulate`]).
    long_postings: usize,
    long_pattern_postings: usize,
    /// The facts' words with a meaning, for words of a question that a fact lacks.
    fact_words: meaning::FactWords,
    /// Stems the facts capitalise (sorted): names in this story, never matched by meaning.
    named: Vec<String>,
}

/// The text of a fact that is not a question pattern: found there, a word counts for less.
fn answer_text(fact: &Fact) -> String {
    format!("{} {} {}", fact.answer, fact.snippet, fact.tags.join(" "))
}

impl Matcher {
    pub fn new(base: &FactBase, settings: &MatchSettings) -> Self {
        let analyzer = Analyzer::shared(&base.synonyms);
        let mut builder = IndexBuilder::new(settings.answer_text_weight);
        let mut vocabulary = Vocabulary::default();
        // Two cores: while this thread indexes the first half of the facts, another splits the
        // second half into words (and reads every answer's kind); this thread then indexes the
        // second half from those words, in order, so nothing depends on which finished first.
        let half = base.facts.len() / 2;
        let (answer_kinds, tokenized) = std::thread::scope(|scope| {
            let later = scope.spawn(|| {
                let mut tokenized = Tokenized::default();
                for fact in &base.facts[half..] {
                    for question in &fact.questions {
                        tokenized.add(question);
                    }
                    tokenized.add(&answer_text(fact));
                }
                let answer_kinds: Vec<AnswerKinds> = base
                    .facts
                    .iter()
                    .map(|fact| AnswerKinds::of(&fact.answer))
                    .collect();
                (answer_kinds, tokenized)
            });
            for (fact_index, fact) in base.facts[..half].iter().enumerate() {
                let fact_index = fact_index as u32;
                for question in &fact.questions {
                    vocabulary.add_text(
                        &analyzer,
                        &mut builder,
                        fact_index,
                        Field::Pattern,
                        question,
                    );
                }
                let answer_text = answer_text(fact);
                vocabulary.add_text(
                    &analyzer,
                    &mut builder,
                    fact_index,
                    Field::Answer,
                    &answer_text,
                );
            }
            later
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        let fields = base.facts[half..]
            .iter()
            .zip(half as u32..)
            .flat_map(|(fact, index)| {
                let patterns = fact.questions.iter().map(move |_| (index, Field::Pattern));
                patterns.chain([(index, Field::Answer)])
            });
        vocabulary.add_tokenized(&analyzer, &mut builder, &tokenized, fields);
        let is_indexed = |term: &str| builder.term_ids.contains_key(term);
        // Typo fixes may only land on words that lead to the facts' vocabulary: fixing a word
        // into another unknown one gains nothing and hides an honest "unknown". Each word
        // weighs how often it occurs in the facts (the typo fixer's tie-break).
        let mut dictionary: HashMap<String, u32> = HashMap::new();
        let mut known_words: HashSet<String> = HashSet::new();
        for (word, count) in vocabulary.surface_words() {
            known_words.insert(word.to_owned());
            if vocabulary.leads_to_index(&analyzer, word, &is_indexed) {
                dictionary.insert(word.to_owned(), 1 + count);
            }
        }
        for (word, terms) in analyzer.phrase_words() {
            if !known_words.contains(word)
                && !terms.is_empty()
                && terms.iter().all(|term| is_indexed(term))
            {
                dictionary.insert(word.to_owned(), 1);
            }
        }
        // Misspelt function words ("manny", "wher") are fixed too, so phrases such as
        // "how many" still form.
        let function_words = lexicon::LEXICON
            .english_stopwords
            .iter()
            .map(String::as_str);
        for word in function_words.chain(lexicon::QUESTION_WORDS_SURFACE.iter().copied()) {
            dictionary.entry(word.to_owned()).or_insert(1);
        }
        let corrector = Corrector::new(dictionary);
        let mut matcher = builder.finish(
            base.facts.len(),
            settings.clone(),
            analyzer,
            corrector,
            known_words,
            answer_kinds,
        );
        // What the facts capitalise names something in this story: exact matches only.
        let mut named: Vec<String> = matcher
            .answer_kinds
            .iter()
            .flat_map(|kinds| kinds.capitalised.iter().cloned())
            .collect();
        named.sort_unstable();
        named.dedup();
        let terms = matcher
            .term_ids
            .iter()
            .filter(|(stem, _)| named.binary_search(stem).is_err())
            .map(|(stem, &id)| (stem.as_str(), id));
        matcher.fact_words = meaning::FactWords::new(terms);
        matcher.named = named;
        matcher
    }

    pub fn settings(&self) -> &MatchSettings {
        &self.settings
    }

    /// Matches one question. The same input always gives the same outcome.
    pub fn ask(&self, message: &str) -> Outcome {
        let question = self.question(message);
        let outcome = self.decide(self.score(&question));
        if outcome.status == Status::Answered {
            return outcome;
        }
        let best = outcome.candidates.first().map(|c| c.fact);
        self.ask_question_sentence(message, &question)
            .filter(|sentence| sentence.answer() == best)
            .unwrap_or(outcome)
    }

    /// A chatty message whose chatter outweighs its question ("yo 👋 how many people will
    /// Huawei train? my cousin works in IT lol"): its question sentence is asked alone, while
    /// the numbers, names and attributes of the rest of the message still count against a
    /// fact ("I read she went to Japan too. When was that?"). Answers only when exactly one
    /// sentence is answered, with the fact the whole message leans to: a sentence that leans
    /// on the others ("what was the exact number?") says too little alone.
    fn ask_question_sentence(&self, message: &str, whole: &Question) -> Option<Outcome> {
        let sentences = text::sentences(message);
        if sentences.len() < 2 {
            return None;
        }
        let context = self.vetoing_terms(&whole.terms);
        let mut answered = sentences.into_iter().filter_map(|sentence| {
            let mut question = self.question(sentence);
            let asks = sentence.contains('?') || question.terms.iter().any(|t| t.is_question_word);
            if !asks {
                return None;
            }
            question.context.clone_from(&context);
            let outcome = self.decide(self.score(&question));
            (outcome.status == Status::Answered).then_some(outcome)
        });
        let first = answered.next()?;
        answered.next().is_none().then_some(first)
    }

    /// A question's normalised form: its terms as the matcher reads them (case, accents,
    /// filler, synonyms, stems and typo fixes applied), sorted and deduplicated, so that
    /// "Did Boluarte visit Japan?" and "did boluarte visit japan??" group together. Falls back
    /// to the plain words when nothing is left.
    pub fn normalized(&self, question: &str) -> String {
        let mut terms: Vec<String> = self
            .question_terms(question)
            .into_iter()
            .map(|term| term.text)
            .collect();
        if terms.is_empty() {
            terms = words(question);
        }
        terms.sort();
        terms.dedup();
        terms.join(" ")
    }

    /// How the matcher read a question: each term with its weight, `?` marking words the facts
    /// never mention and `~` typo fixes. For moderators wondering why a question missed.
    /// A word the facts lack but that means nearly what one of theirs does is followed by
    /// `≈` and the closest such word with its closeness ("harbor≈port:0.43").
    pub fn explain(&self, question: &str) -> String {
        self.question_terms(question)
            .iter()
            .map(|term| {
                let read = match self.term_ids.get(&term.text) {
                    Some(&id) => {
                        let mark = if term.corrected { "~" } else { "" };
                        format!("{mark}{}:{:.2}", term.text, self.term_weight[id as usize])
                    }
                    None if term.is_question_word => return format!("{}:-", term.text),
                    None => format!("?{}:{:.2}", term.text, self.unknown_weight),
                };
                let may_mean = !term.is_name && self.named.binary_search(&term.text).is_err();
                match may_mean
                    .then(|| self.closest_in_meaning(&term.text))
                    .flatten()
                {
                    Some((other, cosine)) => format!("{read}≈{other}:{cosine:.2}"),
                    None => read,
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The facts' term closest in meaning to `stem`, above `meaning_threshold`.
    fn closest_in_meaning(&self, stem: &str) -> Option<(&str, f32)> {
        let close = self
            .fact_words
            .close_to(stem, self.settings.meaning_threshold);
        let (id, cosine) = close.into_iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
        let text = self
            .term_ids
            .iter()
            .find_map(|(text, &other)| (other == id).then_some(text.as_str()))?;
        Some((text, cosine))
    }

    /// The question's terms, with unknown words corrected or split where the facts' vocabulary
    /// allows.
    fn question_terms(&self, question: &str) -> Vec<Term> {
        self.question(question).terms
    }

    fn question(&self, question: &str) -> Question {
        let raw = text::question_tokens(question);
        let spanish = analyzer::is_spanish(&raw);
        let mut tokens = Vec::with_capacity(raw.len());
        let mut corrected = Vec::with_capacity(raw.len());
        let mut related = Vec::new();
        for token in raw {
            let name = lexicon::LEXICON.names.contains(&token);
            let real_word = lexicon::LEXICON.english_words.contains(&token) || name;
            let known = self.is_known(&token, spanish);
            let unswapped = (!known && !name)
                .then(|| self.corrector.unswapped(&token))
                .flatten();
            if let Some(fixed) = unswapped {
                tokens.push(fixed.to_owned());
                corrected.push(true);
            } else if known || real_word {
                if !known && !spanish {
                    self.relate(&token, &mut related);
                }
                tokens.push(token);
                corrected.push(false);
            } else if let Some(fixed) = self.corrector.correct(&token) {
                tokens.push(fixed.to_owned());
                corrected.push(true);
            } else if let Some((left, right)) = self.corrector.split(&token) {
                tokens.extend([left.to_owned(), right.to_owned()]);
                corrected.extend([true, true]);
            } else {
                if !spanish {
                    self.relate(&token, &mut related);
                }
                tokens.push(token);
                corrected.push(false);
            }
        }
        let terms = self
            .analyzer
            .terms(tokens, &corrected, &|stem| self.term_ids.contains_key(stem));
        Question {
            terms,
            related,
            context: Vec::new(),
        }
    }

    /// Notes the facts' terms that an unknown English word is related to, if any, under the
    /// term the word becomes.
    fn relate(&self, word: &str, related: &mut Vec<(String, Vec<u32>)>) {
        if self.settings.related_word_credit <= 0.0 {
            return;
        }
        let mut ids: Vec<u32> = related::related_words(word)
            .into_iter()
            .filter_map(|other| match self.analyzer.analyze(other).as_slice() {
                [term] => self.term_ids.get(&term.text).copied(),
                _ => None,
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if !ids.is_empty() {
            related.push((self.analyzer.stem(word, false), ids));
        }
    }

    /// Whether a word needs no typo fix. The Spanish stem counts only in a Spanish question:
    /// in an English one it would hide a typo ("yunbaa" stems to the Spanish "yunba").
    fn is_known(&self, token: &str, spanish: bool) -> bool {
        self.known_words.contains(token)
            || self.analyzer.is_phrase_word(token)
            || self.analyzer.knows_word(token)
            || text::is_number(token)
            || self
                .term_ids
                .contains_key(&self.analyzer.stem(token, false))
            || (spanish && self.term_ids.contains_key(&self.analyzer.stem(token, true)))
    }

    /// Every fact that shares a term with the question, with its score: a blend of how much
    /// of the question the whole fact covers (answer text included) and how well its best
    /// pattern fits the question both ways (so extra words on either side count against it).
    fn score(&self, question: &Question) -> Vec<Candidate> {
        let terms = &question.terms;
        let weighed: Vec<(Option<usize>, f32, &Term)> =
            terms.iter().map(|term| self.weigh(term)).collect();
        let question_total = weighed
            .iter()
            .map(|(_, weight, _)| weight)
            .sum::<f32>()
            .max(f32::EPSILON);
        let (mut facts, mut patterns) = self.accumulate(&weighed);
        let meant = self.add_meaning(&weighed, &mut facts, &mut patterns);
        let unknown = weighed
            .iter()
            .zip(&meant)
            .filter(|((id, _, term), &meant)| {
                id.is_none() && !meant && !term.is_question_word && !term.is_generic
            })
            .map(|((_, weight, _), _)| weight)
            .sum::<f32>()
            / question_total;
        // Per fact: the best and second-best pattern fits. A fact several of whose patterns
        // fit is more surely the one meant than one with a single lucky pattern.
        let mut pattern_fits: IdMap<(f32, f32)> =
            IdMap::with_capacity_and_hasher(facts.len(), Default::default());
        for (pattern, matched) in patterns {
            let precision = matched / question_total;
            let recall = (matched / self.pattern_total[pattern as usize]).min(1.0);
            let fit = if matched > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            let (best, second) = pattern_fits
                .entry(self.pattern_fact[pattern as usize])
                .or_default();
            if fit > *best {
                *second = *best;
                *best = fit;
            } else if fit > *second {
                *second = fit;
            }
        }
        let asked_kinds: Vec<&str> = terms
            .iter()
            .filter(|t| t.is_question_word)
            .map(|t| t.text.as_str())
            .collect();
        let share = self.settings.pattern_share;
        // What does not depend on the fact, once: candidates can number in the hundreds.
        let texts: Vec<&str> = terms.iter().map(|t| t.text.as_str()).collect();
        let vetoes: Vec<Veto> = weighed
            .iter()
            .map(|&(id, _, term)| Veto::of(id, term))
            .collect();
        let not_paraphrased = vec![0.0; weighed.len()];
        let mut candidates: Vec<Candidate> = facts
            .into_iter()
            .filter(|(_, (_, evidence))| *evidence > 0.0)
            .map(|(fact, (matched, evidence))| {
                let owned;
                let paraphrased = if question.related.is_empty() {
                    &not_paraphrased
                } else {
                    owned = self.paraphrased(fact, &weighed, &question.related);
                    &owned
                };
                let credit = self.settings.related_word_credit * paraphrased.iter().sum::<f32>();
                let coverage = ((matched + credit) / question_total).min(1.0);
                let (best, second) = pattern_fits.get(&fact).copied().unwrap_or_default();
                let pattern = (1.0 - SECOND_PATTERN_SHARE) * best + SECOND_PATTERN_SHARE * second;
                let mut score = ((1.0 - share) * coverage + share * pattern).clamp(0.0, 1.0);
                let kind_fits = asked_kinds
                    .iter()
                    .all(|kind| self.answer_kinds[fact as usize].fits(kind));
                if !kind_fits {
                    score *= self.settings.answer_kind_penalty;
                }

                let missing = Missing {
                    weighed: &weighed,
                    vetoes: &vetoes,
                    paraphrased,
                    texts: &texts,
                    total: question_total,
                };
                let missing_share = self.missing_share(fact, &missing);
                let context_vetoes = question
                    .context
                    .iter()
                    .any(|id| id.is_none_or(|id| !self.mentions(id, fact)));
                let missing_share = if context_vetoes { 1.0 } else { missing_share };
                Candidate {
                    fact: fact as usize,
                    score,
                    missing_share,
                    evidence,
                    signals: Signals {
                        coverage,
                        pattern,
                        unknown,
                        kind_fits: f32::from(u8::from(kind_fits)),
                        margin: 0.0,
                    },
                }
            })
            .collect();
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.fact.cmp(&b.fact)));
        candidates
    }

    /// Sums, per fact and per pattern, the weight of the question's terms they contain.
    ///
    /// Terms are taken rarest first. A term in very many facts (a story's "Peru", "China") is
    /// not walked: it only adds to facts and patterns the rarer terms already found, looked up
    /// by binary search, so a question costs what its rare words cost even on a large base.
    /// A question made only of common terms walks them all.
    fn accumulate(
        &self,
        weighed: &[(Option<usize>, f32, &Term)],
    ) -> (IdMap<(f32, f32)>, IdMap<f32>) {
        // Per fact: (matched weight, matched content-word weight); per pattern: matched weight.
        let mut facts: IdMap<(f32, f32)> = IdMap::with_capacity_and_hasher(64, Default::default());
        let mut patterns: IdMap<f32> = IdMap::with_capacity_and_hasher(256, Default::default());
        let mut known: Vec<(usize, f32, &Term)> = weighed
            .iter()
            .filter_map(|&(id, weight, term)| Some((id?, weight, term)))
            .collect();
        known.sort_by_key(|&(id, _, _)| (self.pattern_postings[id].len(), id));
        for (id, weight, term) in known {
            let trust = if term.corrected { 0.85 } else { 1.0 };
            let add = |entry: &mut (f32, f32), field: f32| {
                entry.0 += weight * field * trust;
                if !term.is_question_word {
                    entry.1 += weight * field * trust;
                }
            };
            let fact_postings = &self.fact_postings[id];
            if fact_postings.len() <= self.long_postings || facts.is_empty() {
                for &(fact, field) in fact_postings {
                    add(facts.entry(fact).or_default(), field);
                }
            } else {
                for (fact, entry) in &mut facts {
                    if let Ok(at) = fact_postings.binary_search_by_key(fact, |(f, _)| *f) {
                        add(entry, fact_postings[at].1);
                    }
                }
            }
            let pattern_postings = &self.pattern_postings[id];
            if pattern_postings.len() <= self.long_pattern_postings || patterns.is_empty() {
                for &pattern in pattern_postings {
                    *patterns.entry(pattern).or_default() += weight * trust;
                }
            } else {
                for (pattern, matched) in &mut patterns {
                    if pattern_postings.binary_search(pattern).is_ok() {
                        *matched += weight * trust;
                    }
                }
            }
        }
        (facts, patterns)
    }

    /// Credits each fact and pattern for the question's words it lacks but has a word close
    /// in meaning to ("harbour" for a fact about a port), graded by how close, once per
    /// question word: its closest word in the fact counts.
    fn add_meaning(
        &self,
        weighed: &[(Option<usize>, f32, &Term)],
        facts: &mut IdMap<(f32, f32)>,
        patterns: &mut IdMap<f32>,
    ) -> Vec<bool> {
        let settings = &self.settings;
        let mut meant = vec![false; weighed.len()];
        if settings.meaning_credit <= 0.0 {
            return meant;
        }
        let mut best_facts: IdMap<f32> = IdMap::default();
        let mut best_patterns: IdMap<f32> = IdMap::default();
        for (&(id, weight, term), meant) in weighed.iter().zip(&mut meant) {
            if term.is_question_word || term.is_name || self.named.binary_search(&term.text).is_ok()
            {
                continue;
            }
            let close = self
                .fact_words
                .close_to(&term.text, settings.meaning_threshold);
            *meant = !close.is_empty();
            best_facts.clear();
            best_patterns.clear();
            for (other, cosine) in close {
                let other = other as usize;
                if self.fact_postings[other].len() > self.long_postings {
                    continue;
                }
                let rise = (cosine - settings.meaning_threshold)
                    / (settings.meaning_full - settings.meaning_threshold).max(f32::EPSILON);
                let credit = settings.meaning_credit * rise.clamp(0.0, 1.0);
                for &(fact, field) in &self.fact_postings[other] {
                    let best = best_facts.entry(fact).or_default();
                    *best = best.max(credit * field);
                }
                for &pattern in &self.pattern_postings[other] {
                    let best = best_patterns.entry(pattern).or_default();
                    *best = best.max(credit);
                }
            }
            for (&fact, &credit) in &best_facts {
                if id.is_some_and(|id| self.mentions(id, fact)) {
                    continue;
                }
                let entry = facts.entry(fact).or_default();
                entry.0 += weight * credit;
                if !term.is_generic {
                    entry.1 += weight * credit;
                }
            }
            for (&pattern, &credit) in &best_patterns {
                if id.is_some_and(|id| self.pattern_postings[id].binary_search(&pattern).is_ok()) {
                    continue;
                }
                *patterns.entry(pattern).or_default() += weight * credit;
            }
        }
        meant
    }

    /// A term's id in the index (None for a word the facts never mention) and its weight.
    fn weigh<'t>(&self, term: &'t Term) -> (Option<usize>, f32, &'t Term) {
        let generic = self.settings.generic_word_weight * self.unknown_weight;
        match self.term_ids.get(&term.text) {
            Some(&id) if term.is_generic => (
                Some(id as usize),
                self.term_weight[id as usize].min(generic),
                term,
            ),
            Some(&id) => (Some(id as usize), self.term_weight[id as usize], term),
            None if term.is_question_word => (None, self.settings.question_word_weight, term),
            None if term.is_generic => (
                None,
                self.settings.generic_word_weight * self.unknown_weight,
                term,
            ),
            None => (None, self.unknown_weight, term),
        }
    }

    /// The largest share of the question's weight carried by one content word that `fact`
    /// does not mention anywhere (1 for a word that vetoes it, see [`Veto`]). Question words
    /// never count: a fact without "when" in its patterns can still answer "when".
    fn missing_share(&self, fact: u32, missing: &Missing) -> f32 {
        missing
            .weighed
            .iter()
            .zip(missing.vetoes)
            .zip(missing.paraphrased)
            .filter(|(_, &paraphrase)| paraphrase == 0.0)
            .map(|(weighed_and_veto, _)| weighed_and_veto)
            .filter(|((_, _, term), _)| !term.is_question_word && !term.is_generic)
            .filter(|((id, _, _), _)| id.is_none_or(|id| !self.mentions(id, fact)))
            .map(|((_, weight, _), veto)| {
                let vetoes = match veto {
                    Veto::Always => true,
                    Veto::UnlessNamed => {
                        !self.answer_kinds[fact as usize].names_something_besides(missing.texts)
                    }
                    Veto::No => false,
                };
                if vetoes {
                    1.0
                } else {
                    weight / missing.total
                }
            })
            .fold(0.0, f32::max)
    }

    /// Whether `fact` mentions the term `id` anywhere.
    fn mentions(&self, id: usize, fact: u32) -> bool {
        self.fact_postings[id]
            .binary_search_by_key(&fact, |(f, _)| *f)
            .is_ok()
    }

    /// The ids of the `terms` that stop any fact lacking them from being the answer (see
    /// [`Veto`]); `None` for such a term that no fact mentions.
    fn vetoing_terms(&self, terms: &[Term]) -> Vec<Option<usize>> {
        terms
            .iter()
            .filter_map(|term| {
                let id = self.term_ids.get(&term.text).map(|&id| id as usize);
                matches!(Veto::of(id, term), Veto::Always).then_some(id)
            })
            .collect()
    }

    /// Per question term: its weight if it is an unknown word related to a term of `fact`
    /// (see [`related`]), else 0.
    fn paraphrased(
        &self,
        fact: u32,
        weighed: &[(Option<usize>, f32, &Term)],
        related: &[(String, Vec<u32>)],
    ) -> Vec<f32> {
        weighed
            .iter()
            .map(|&(id, weight, term)| {
                let reaches_fact =
                    |ids: &Vec<u32>| ids.iter().any(|&other| self.mentions(other as usize, fact));
                let paraphrase = id.is_none()
                    && related
                        .iter()
                        .any(|(word, ids)| *word == term.text && reaches_fact(ids));
                if paraphrase {
                    weight
                } else {
                    0.0
                }
            })
            .collect()
    }

    fn decide(&self, mut candidates: Vec<Candidate>) -> Outcome {
        let settings = &self.settings;
        let best = candidates.first().map_or(0.0, |c| c.score);
        let second = candidates.get(1).map_or(0.0, |c| c.score);
        if let Some(top) = candidates.first_mut() {
            top.signals.margin = best - second;
        }
        let vetoed = candidates.first().is_some_and(|c| {
            c.missing_share >= settings.missing_word_veto
                || c.evidence < settings.min_evidence * self.rarest_weight
        });
        let confident = candidates.first().is_some_and(|c| {
            c.score >= settings.answer_threshold || self.confidence(c) >= settings.answer_confidence
        });
        let status = if vetoed || !confident {
            candidates.retain(|c| c.score >= settings.suggest_threshold);
            Status::Unknown
        } else if best - second >= settings.ambiguity_margin {
            Status::Answered
        } else {
            candidates.retain(|c| best - c.score < settings.ambiguity_margin);
            Status::Ambiguous
        };
        candidates.truncate(settings.max_candidates);
        Outcome { status, candidates }
    }

    /// How likely the candidate, the best one, is the right answer: a logistic model of its
    /// score and [`Signals`], fitted on tuning questions (`matcher/calibrate.py`), so one
    /// threshold in [`MatchSettings::answer_confidence`] decides.
    pub fn confidence(&self, candidate: &Candidate) -> f32 {
        let features = self.features(candidate);
        let weights = &self.settings.confidence_weights;
        let z = weights[0]
            + weights[1..]
                .iter()
                .zip(features)
                .map(|(w, f)| w * f)
                .sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }

    /// The inputs of [`Matcher::confidence`], in the order of its weights after the bias.
    pub fn features(&self, candidate: &Candidate) -> [f32; FEATURES] {
        let signals = &candidate.signals;
        [
            candidate.score,
            signals.margin,
            signals.coverage,
            signals.pattern,
            signals.unknown,
            signals.kind_fits,
            (candidate.evidence / self.rarest_weight).min(3.0),
            candidate.missing_share,
        ]
    }

    /// Warnings for patterns that lead to another fact: members asking that way would get the
    /// wrong answer, or none.
    pub fn lint(&self, base: &FactBase) -> Vec<Diagnostic> {
        let mut warnings = Vec::new();
        for (index, fact) in base.facts.iter().enumerate() {
            for (question, &(line, column)) in fact.questions.iter().zip(&fact.question_positions) {
                let outcome = self.ask(question);
                let Some(top) = outcome.candidates.first() else {
                    continue;
                };
                if top.fact == index {
                    continue;
                }
                let own = outcome
                    .candidates
                    .iter()
                    .find(|c| c.fact == index)
                    .map_or(0.0, |c| c.score);
                if top.score > own {
                    let other = &base.facts[top.fact].id;
                    warnings.push(Diagnostic {
                        severity: Severity::Warning,
                        path: fact.file.clone(),
                        line,
                        column,
                        message: format!("question \"{question}\" matches fact \"{other}\" better than its own fact \"{}\"", fact.id),
                        hint: Some("add the words that set this fact apart, or move the question to that fact".into()),
                    });
                }
            }
        }
        warnings
    }
}

/// Whether a question term, when a fact lacks it, stops the fact from being the answer. A
/// number is precise: "Line 3" is not asked about by a fact about Line 2, however much else
/// they share; nor is a name no fact mentions ("Japan" by the China trip); nor an attribute
/// the fact never gives (the *cost*, the *salary*); and a name is given only by an answer that
/// names something the question does not.
enum Veto {
    Always,
    UnlessNamed,
    No,
}

impl Veto {
    fn of(id: Option<usize>, term: &Term) -> Self {
        let lexicon = &lexicon::LEXICON;
        if text::is_number(&term.text)
            || (term.is_name && id.is_none())
            || lexicon.attribute_stems.contains(&term.text)
        {
            Veto::Always
        } else if lexicon.named_attribute_stems.contains(&term.text) {
            Veto::UnlessNamed
        } else {
            Veto::No
        }
    }
}

/// The question's terms as [`Matcher::missing_share`] weighs them against each fact.
struct Missing<'q> {
    weighed: &'q [(Option<usize>, f32, &'q Term)],
    vetoes: &'q [Veto],
    /// Per term: its weight if it is a paraphrase of a word of the fact (see [`related`]).
    paraphrased: &'q [f32],
    texts: &'q [&'q str],
    total: f32,
}

/// A question as the matcher reads it.
struct Question {
    terms: Vec<Term>,
    /// Unknown English words (as terms) with the facts' terms they are related to.
    related: Vec<(String, Vec<u32>)>,
    /// When one sentence of a chatty message is asked alone: the whole message's numbers,
    /// names and attributes, which still count against a fact (see
    /// [`Matcher::vetoing_terms`]).
    context: Vec<Option<usize>>,
}
