//! Members' questions to facts: the fuzzy matcher, as named stages.
//!
//! Everything that can be done once per fact base is done in [`Matcher::new`]: analyzing every
//! pattern, the inverted index, term weights, the typo dictionary. [`Matcher::ask`] then only
//! touches the postings of the question's own terms, so its cost grows with the question, not
//! with the number of facts.
//!
//! Scoring is coverage of the question by a fact: each question term weighs its rarity across
//! facts, and a content word that no fact mentions weighs most of all, because it is the best
//! sign that the question is about something the facts do not cover ("Did she visit *Japan*?").
//!
//! A question goes through the stages in order, one file each: [`text`] (raw text to tokens),
//! [`question`] (typo fixes, relations, terms), [`score`] (weights, coverage, graded meaning,
//! pattern fits, vetoes), [`surface`] (the first candidates read again, letter by letter),
//! [`decide`] (answered, ambiguous or unknown, with the confidence model). [`settings`] holds
//! the knobs and [`lint`] asks every pattern for `check`.

mod analyzer;
mod cognates;
mod confidence;
mod decide;
mod gist;
mod index;
mod kinds;
mod language;
mod lexicon;
mod lint;
mod meaning;
mod misspelt;
mod packed;
mod question;
mod related;
mod score;
mod settings;
mod spelling;
mod surface;
#[cfg(test)]
mod testing;
mod text;
mod typo;
mod years;

use std::collections::HashMap;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::facts::{Fact, FactBase};
use crate::threads;
use analyzer::Analyzer;
use index::{Field, IndexBuilder, Tokenized, Vocabulary};
use kinds::AnswerKinds;
use question::Question;
pub use settings::{MatchSettings, SettingsError, FEATURES};
use typo::Corrector;

pub use language::language_votes;
pub use lint::lint_message;

/// Builds the tables every snapshot shares for the life of the process (the built-in
/// lexicon, the word vectors, the Spanish-only words), once; later calls return at once.
///
/// Called on a thread of its own before the first snapshot is built (see
/// `store::Snapshot::load_with`): built on the snapshot's thread, they shared its allocator
/// pages, and when a reload replaced that first snapshot its pages could not go back.
pub fn build_shared_tables() {
    std::sync::LazyLock::force(&lexicon::LEXICON);
    std::sync::LazyLock::force(&meaning::MEANINGS);
    std::sync::LazyLock::force(&confidence::MODEL);
    language::build_tables();
    analyzer::build_tables();
}

/// `text` without chat markup: mentions, channel and role links, custom emoji, timestamps and
/// web links, as every question loses them before it is read. For `suggest`, which otherwise
/// keeps a member's own words.
pub fn without_markup(text: &str) -> String {
    text::strip_markup(text).into_owned()
}

/// Whether `c` is an emoji or a symbol chat uses like one (☀, ☕, ✨).
pub fn is_emoji(c: char) -> bool {
    text::is_pictograph(c)
}

/// Whether `word` (lowercase, without punctuation) is chat filler or a greeting ("hey",
/// "thanks", "pls"): chatter, not part of a question.
pub fn is_filler(word: &str) -> bool {
    lexicon::LEXICON.filler.contains(word)
}

/// The words of a text, lowercase and without accents, markup or punctuation ("¿Cuándo?" and
/// "cuando" are the same word): the matcher's first step, for adapters that compare text
/// themselves (autocomplete's prefixes).
pub fn words(text: &str) -> Vec<String> {
    text::tokens(text)
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
/// share in 0..=1 unless said otherwise; `matcher/calibrate.py` fits the confidence model that
/// weighs them (`matcher::confidence`) on tuning questions.
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
    /// The facts behind it: the same lead means less over several facts that fit the question
    /// almost as well than over one that barely fits it.
    pub rival: Rival,
    /// How much more the fact looks like the question, letter by letter, than the likeliest
    /// of the next candidates (see `matcher::surface`): a second reader that agrees or not.
    pub surface_lead: f32,
    /// How well the fact's gist, its words' meanings summed, fits the question's (cosine; see
    /// `matcher::gist`): a third reader, of meaning alone.
    pub meaning_fit: f32,
    /// The gist's fit less the likeliest next candidate's: whether meaning alone leans to this
    /// fact too.
    pub meaning_lead: f32,
    /// The question is one of the fact's own patterns, word for word: the moderator said this
    /// fact answers it, so it is answered unless another fact fits as well.
    pub own_wording: bool,
}

/// The best fact's nearest rivals, as the decision sees them (see [`Signals::rival`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rival {
    /// The next fact's coverage of the question.
    pub coverage: f32,
    /// How well the next fact's best pattern fits the question.
    pub pattern: f32,
    /// The next fact's missing share (1 when vetoed): a rival that cannot answer is no rival.
    pub missing: f32,
    /// How many other facts score within [`RIVAL_REACH`] of the best.
    pub close: f32,
}

/// How near the best score another fact must be to count among [`Rival::close`].
pub const RIVAL_REACH: f32 = 0.1;

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    /// Best first; for `Answered` the first is the answer.
    pub candidates: Vec<Candidate>,
    /// When no fact scored well enough to offer (`Unknown` with no candidates): of the facts
    /// the scorer found at all, those whose gist lies closest to the question's (see
    /// `matcher::gist`), best first, as the topics to offer. Empty otherwise, and when
    /// nothing lies close enough.
    pub nearest: Vec<usize>,
}

impl Outcome {
    /// Nothing matched, and nothing to offer.
    pub fn unknown() -> Self {
        Self {
            status: Status::Unknown,
            candidates: Vec::new(),
            nearest: Vec::new(),
        }
    }

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

/// Postings up to this long are always walked: short lists cost less to walk than to search.
const LONG_POSTINGS: usize = 256;

/// The index of one fact base. Immutable; a reload builds a new one.
pub struct Matcher {
    settings: MatchSettings,
    /// Shared with other snapshots of the same story (see [`Analyzer::shared`]).
    analyzer: Arc<Analyzer>,
    corrector: Corrector,
    /// Surface words seen in the facts, sorted: never typo-corrected (nor are the words of
    /// mapped phrases, see [`Analyzer::is_phrase_word`]); sorted, a compound is found by its
    /// first part.
    known_words: Vec<String>,
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
    /// Per pattern: the same with its generic words weighed as a question weighs them, so a
    /// question asked word for word as the pattern is seen to be (see `score::OWN_WORDING_FIT`).
    pattern_total_as_asked: Vec<f32>,
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
    /// The stems of the words the facts use as places (see [`kinds::AnswerKinds::placed`]).
    places: Vec<String>,
    /// Per attribute stem, the ids of the facts' words of its families (only stems with
    /// some): a fact saying what a docker *earns* gives the *salary* (see `attributes.txt`).
    attribute_kin: FxHashMap<String, Vec<usize>>,
    /// The terms questions read role words as ("minist", "ceo"; sorted): "who is the X?"
    /// asks for whoever holds such a role (see [`AnswerKinds::leaves_unnamed`]).
    title_terms: Vec<String>,
    /// The ids of the facts' terms for the roles of whoever leads something (president, CEO,
    /// chair…; sorted): what a question word asking who leads relates to, read once here.
    leading_role_ids: Vec<u32>,
    /// Every fact's letter-trigram profile, for [`Signals::surface_lead`].
    surface: surface::Surface,
    /// Every fact's gist, for [`Signals::meaning_fit`].
    gists: gist::Gists,
}

/// A fact's question patterns with the titles of its translations: a translated title is the
/// moderator's own wording of the question in that language ("¿Cuántas sucursales tiene?"),
/// and meets words of a member's question that the built-in glossary does not translate.
fn patterns(fact: &Fact) -> impl Iterator<Item = &String> {
    fact.questions.iter().chain(
        fact.translations
            .iter()
            .map(|(_, translation)| &translation.title),
    )
}

/// The words of a fact's id: a moderator names a fact for its topic ("hotel-occupancy",
/// "report-author", "load-factor"), often in words neither its pattern nor its answer uses, so
/// the id counts as a tag would. Numbers and letters of counters ("q12", "fact-3") are left
/// out: they name no topic, and a number would meet a question's figure.
fn id_words(id: &str) -> Vec<&str> {
    id.split(|c: char| !c.is_alphabetic())
        .filter(|word| word.chars().count() > 2)
        .collect()
}

/// The text of a fact that is not a question pattern: found there, a word counts for less.
/// The years its answer and snippet name relative to their source's date ("last year") are
/// added, so a question naming the year finds it.
fn answer_text(fact: &Fact, base: &FactBase) -> String {
    let own = format!(
        "{} {} {} {}",
        fact.answer,
        fact.snippet,
        fact.tags.join(" "),
        id_words(fact.id.as_str()).join(" ")
    );
    let Some(source) = base.sources.get(fact.source) else {
        return own;
    };
    let years = years::resolved(&own, &source.published);
    if years.is_empty() {
        own
    } else {
        format!("{own} {}", years.join(" "))
    }
}

/// Every fact's letter-trigram profile, from all its text: patterns, answer and snippet
/// (`answers`: each fact's [`answer_text`]).
fn fact_surfaces(base: &FactBase, answers: &[String]) -> surface::Surface {
    surface::Surface::new(
        base.facts
            .iter()
            .zip(answers)
            .map(|(fact, answer)| patterns(fact).chain([answer])),
    )
}

/// The stems one field of every answer's kinds holds, sorted, each once.
fn every_stem(
    answer_kinds: &[AnswerKinds],
    field: impl Fn(&AnswerKinds) -> &Vec<String>,
) -> Vec<String> {
    let mut stems: Vec<String> = answer_kinds
        .iter()
        .flat_map(|kinds| field(kinds).iter().cloned())
        .collect();
    stems.sort_unstable();
    stems.dedup();
    stems
}

/// For each attribute stem, the ids of the facts' terms of its families, where there are any.
fn attribute_kin(term_ids: &HashMap<String, u32>) -> FxHashMap<String, Vec<usize>> {
    lexicon::LEXICON
        .attribute_kin
        .iter()
        .filter_map(|(stem, kin)| {
            let ids: Vec<usize> = kin
                .iter()
                .filter_map(|other| term_ids.get(other).map(|&id| id as usize))
                .collect();
            (!ids.is_empty()).then(|| (stem.clone(), ids))
        })
        .collect()
}

impl Matcher {
    pub fn new(base: &FactBase, settings: &MatchSettings) -> Self {
        let analyzer = Analyzer::shared(&base.synonyms);
        let mut builder = IndexBuilder::new(settings.answer_text_weight);
        let mut vocabulary = Vocabulary::default();
        // Two cores: while this thread indexes the first half of the facts, another splits the
        // second half into words (and reads every answer's kind and profiles every fact's
        // letters, `fact_surfaces`); this thread then indexes the
        // second half from those words, in order, so nothing depends on which finished first.
        let half = base.facts.len() / 2;
        // Each fact's answer text, made once for the index and the letter profiles.
        let answers: Vec<String> = base
            .facts
            .iter()
            .map(|fact| answer_text(fact, base))
            .collect();
        let ((), (answer_kinds, tokenized, surface)) = threads::both(
            || {
                for (fact_index, (fact, answer)) in
                    base.facts[..half].iter().zip(&answers).enumerate()
                {
                    let fact_index = fact_index as u32;
                    for question in patterns(fact) {
                        vocabulary.add_text(
                            &analyzer,
                            &mut builder,
                            fact_index,
                            Field::Pattern,
                            question,
                        );
                    }
                    vocabulary.add_text(&analyzer, &mut builder, fact_index, Field::Answer, answer);
                }
            },
            || {
                let mut tokenized = Tokenized::default();
                for (fact, answer) in base.facts[half..].iter().zip(&answers[half..]) {
                    for question in patterns(fact) {
                        tokenized.add(question);
                    }
                    tokenized.add(answer);
                }
                let answer_kinds: Vec<AnswerKinds> = base
                    .facts
                    .iter()
                    .map(|fact| match base.sources.get(fact.source) {
                        Some(source) => AnswerKinds::of_dated(&fact.answer, &source.published),
                        None => AnswerKinds::of(&fact.answer),
                    })
                    .collect();
                (answer_kinds, tokenized, fact_surfaces(base, &answers))
            },
        );
        let fields = base.facts[half..]
            .iter()
            .zip(half as u32..)
            .flat_map(|(fact, index)| {
                let patterns = patterns(fact).map(move |_| (index, Field::Pattern));
                patterns.chain([(index, Field::Answer)])
            });
        vocabulary.add_tokenized(&analyzer, &mut builder, &tokenized, fields);
        let (corrector, known_words) = vocabulary.typo_fixer(&analyzer, &builder.term_ids);
        let mut matcher = builder.finish(
            base.facts.len(),
            settings.clone(),
            analyzer,
            corrector,
            known_words,
            answer_kinds,
        );
        // What the facts capitalise names something in this story: exact matches only.
        let named = every_stem(&matcher.answer_kinds, |kinds| &kinds.capitalised);
        let terms = matcher
            .term_ids
            .iter()
            .filter(|(stem, _)| named.binary_search(stem).is_err())
            .map(|(stem, &id)| (stem.as_str(), id));
        matcher.fact_words = meaning::FactWords::new(terms);
        matcher.gists = gist::Gists::new(
            base.facts.len(),
            &matcher.fact_words,
            &matcher.term_weight,
            &matcher.fact_postings,
        );
        matcher.named = named;
        matcher.places = every_stem(&matcher.answer_kinds, |kinds| &kinds.placed);
        matcher.attribute_kin = attribute_kin(&matcher.term_ids);
        matcher.surface = surface;
        matcher.read_titles();
        matcher
    }

    /// Reads the role words as a question's words are analysed, so a question's terms can be
    /// compared with them: the lexicon may make "premier" "prime minister", a story's synonyms "CEO" "boss".
    fn read_titles(&mut self) {
        let mut answer_kinds = std::mem::take(&mut self.answer_kinds);
        // The analyzer alone, not the whole question reading: role words are plain English,
        // and reading them as a question would look up WordNet's relations for each, making
        // that table resident at load for nothing.
        let read = |word: &str| -> Vec<String> {
            let known = |stem: &str| self.term_ids.contains_key(stem);
            self.analyzer
                .terms(vec![word.to_owned()], &[], &known)
                .into_iter()
                .map(|term| term.text)
                .collect()
        };
        let mut title_terms: Vec<String> = kinds::TITLE_WORDS
            .iter()
            .flat_map(|word| read(word))
            .collect();
        for titled in answer_kinds
            .iter_mut()
            .flat_map(|kinds| kinds.titles.iter_mut())
        {
            titled.terms = read(&titled.word);
        }
        title_terms.sort_unstable();
        title_terms.dedup();
        self.answer_kinds = answer_kinds;
        self.title_terms = title_terms;
        let mut leading_role_ids: Vec<u32> = related::LEADING_ROLES
            .iter()
            .filter_map(|role| match self.analyzer.analyze(role).as_slice() {
                [term] => self.term_ids.get(&term.text).copied(),
                _ => None,
            })
            .collect();
        leading_role_ids.sort_unstable();
        leading_role_ids.dedup();
        self.leading_role_ids = leading_role_ids;
    }

    pub fn settings(&self) -> &MatchSettings {
        &self.settings
    }

    /// Matches one question. The same input always gives the same outcome.
    pub fn ask(&self, message: &str) -> Outcome {
        let question = self.question(message);
        let outcome = self.decide(&question);
        if outcome.status == Status::Answered {
            return outcome;
        }
        let best = outcome.candidates.first().map(|c| c.fact);
        self.ask_question_sentence(message, &question)
            .filter(|sentence| sentence.answer() == best)
            .unwrap_or(outcome)
    }

    /// Scores the facts for a read question and decides, with how the best fact looks beside
    /// the next ones letter by letter.
    fn decide(&self, question: &Question) -> Outcome {
        let mut candidates = self.score(question);
        let measured = self.surface.weigh(
            &question.surface,
            &mut candidates,
            self.settings.surface_weight,
        );
        let lead = self.surface.lead(&question.surface, &candidates, &measured);
        // Nothing scored, nothing to weigh or offer: the gist is not worth reading.
        let gist = if candidates.is_empty() {
            gist::Gist::default()
        } else {
            self.question_gist(question)
        };
        let (meaning_fit, meaning_lead) = self.gists.fit_and_lead(&gist, &candidates);
        if let Some(best) = candidates.first_mut() {
            best.signals.surface_lead = lead;
            best.signals.meaning_fit = meaning_fit;
            best.signals.meaning_lead = meaning_lead;
        }
        let none_to_offer = candidates
            .first()
            .is_none_or(|best| best.score < self.settings.suggest_threshold);
        let nearest = if none_to_offer {
            let scored = candidates.iter().map(|c| c.fact);
            self.gists
                .nearest(&gist, scored, self.settings.max_candidates)
        } else {
            Vec::new()
        };
        let mut outcome = decide::decide(
            candidates,
            &self.settings,
            self.rarest_weight,
            question.terse,
        );
        if outcome.candidates.is_empty() {
            outcome.nearest = nearest;
        }
        outcome
    }

    /// The question's gist (see `matcher::gist`), from the terms that may count by meaning,
    /// each weighed as the scorer weighs it.
    fn question_gist(&self, question: &Question) -> gist::Gist {
        self.gists
            .question(question.terms.iter().filter_map(|term| {
                let (id, weight, term) = self.weigh(term);
                self.finds_by_meaning(id, term).then_some((weight, term))
            }))
    }

    /// A chatty message whose chatter outweighs its question ("yo 👋 how many people will
    /// Huawei train? my cousin works in IT lol"): its question sentence (or clause, see
    /// [`text::clauses`]) is asked alone, while
    /// the numbers, names and attributes of the rest of the message still count against a
    /// fact ("I read she went to Japan too. When was that?"). Answers only when exactly one
    /// sentence is answered, with the fact the whole message leans to: a sentence that leans
    /// on the others ("what was the exact number?") says too little alone.
    fn ask_question_sentence(&self, message: &str, whole: &Question) -> Option<Outcome> {
        let sentences = text::clauses(message);
        if sentences.len() < 2 {
            return None;
        }
        // Each sentence read once: for the context its neighbours give, and as a question.
        let read: Vec<(&str, Question, bool)> = sentences
            .into_iter()
            .map(|sentence| (sentence, self.question(sentence), about_the_asker(sentence)))
            .collect();
        let context = if read.iter().any(|&(_, _, mine)| mine) {
            read.iter()
                .filter(|&&(_, _, mine)| !mine)
                .flat_map(|(_, question, _)| self.vetoing_terms(&question.terms))
                .collect()
        } else {
            self.vetoing_terms(&whole.terms)
        };
        let mut answered = read.into_iter().filter_map(|(sentence, mut question, _)| {
            let asks = sentence.contains('?') || question.terms.iter().any(|t| t.is_question_word);
            if !asks {
                return None;
            }
            question.context.clone_from(&context);
            let outcome = self.decide(&question);
            (outcome.status == Status::Answered).then_some(outcome)
        });
        let first = answered.next()?;
        answered.next().is_none().then_some(first)
    }
}

/// Whether a sentence of a chatty message is about the member, not the story: it says "my" and
/// names nobody else ("my cousin works in IT in Arequipa lol"). Its names and numbers do not
/// count against a fact, as those of "I read she went to Japan too" do.
fn about_the_asker(sentence: &str) -> bool {
    const MINE: &[&str] = &["my", "mi", "mis", "our", "nuestro", "nuestra"];
    const OTHERS: &[&str] = &[
        "she", "he", "they", "her", "his", "their", "them", "him", "ella", "ellos", "su", "sus",
    ];
    let tokens = text::question_tokens(sentence);
    tokens.iter().any(|t| MINE.contains(&t.as_str()))
        && !tokens.iter().any(|t| OTHERS.contains(&t.as_str()))
}
