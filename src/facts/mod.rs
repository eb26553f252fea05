//! The validated facts base: what the bot knows, where each answer comes from, and where the
//! conversation can go next.
//!
//! A `FactBase` is only ever built by [`load`], after every file has parsed and every
//! cross-reference has been checked, so code holding one never re-validates. It is immutable:
//! a reload builds a new one and swaps it whole.

mod changes;
mod diag;
mod edit;
mod load;
mod parse;
mod snippet;

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::lang::Lang;

pub use changes::{changed_answers, AnswerChange};
pub(crate) use diag::did_you_mean;
pub use diag::{line_column, Diagnostic, Severity};
pub use edit::{add_questions, Addition, Edit, EditError};
pub use load::{load, load_edited, load_sources, load_with, LoadError, LoadOptions, Loaded};
pub use parse::{ATTRIBUTION_MAX, CORRECTION_MAX, NOTE_MAX};
pub use snippet::is_verbatim;

/// A fact's id: unique across all files, `[a-z0-9-]+`, and stable, because Discord buttons and
/// moderators' follow-up lists refer to facts by it.
///
/// Shared, not copied: every reply names its fact, and the record of sent replies kept for
/// corrections holds one id per reply (tens of thousands over a day).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FactId(Arc<str>);

impl serde::Serialize for FactId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl FactId {
    /// Whether `text` is a well-formed id, so adapters can reject forged button ids early.
    pub fn is_valid(text: &str) -> bool {
        !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    }

    /// The id `text`, when it is well-formed.
    pub fn new(text: &str) -> Option<Self> {
        Self::is_valid(text).then(|| Self(text.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn new_unchecked(text: impl Into<String>) -> Self {
        Self(text.into().into())
    }
}

impl fmt::Display for FactId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where answers come from; every reply quotes one of these.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Source {
    pub id: String,
    pub publisher: String,
    pub title: String,
    /// ISO date (`YYYY-MM-DD`), as written in the facts file.
    pub published: String,
    pub url: Option<String>,
    /// The date the source's facts hold as of (an article updated since it was published),
    /// unless a fact says otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
}

/// One answerable fact, with its follow-ups resolved to indices into the same base.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub id: FactId,
    /// The first question is the fact's title (button labels, suggestions).
    pub questions: Vec<String>,
    pub answer: String,
    pub snippet: String,
    /// Index into [`FactBase::sources`].
    pub source: usize,
    /// Indices into [`FactBase::facts`].
    pub follow_ups: Vec<usize>,
    pub tags: Vec<String>,
    /// The file the fact came from, for diagnostics and `/facts status`.
    pub file: PathBuf,
    /// Line and column of each question, so lints about a pattern can point at it.
    pub question_positions: Vec<(usize, usize)>,
    /// The date the answer holds as of (`YYYY-MM-DD`), when the facts file gives one; see
    /// [`FactBase::as_of`] for the source's date as a fallback.
    pub as_of: Option<String>,
    /// Whose claim the answer is ("Martin Cassinelli, Atlantic Council"): the answer is then
    /// presented as that person's claim, not as fact.
    pub attribution: Option<String>,
    pub status: FactStatus,
    /// What an earlier version of the answer got wrong, in the newsroom's words: shown on the
    /// replies the bot corrects after the answer changed.
    pub correction: Option<String>,
    /// The fact in other languages, at most one per language, in the order written.
    pub translations: Vec<(Lang, Translation)>,
}

/// A fact's texts in another language. The snippet is never translated: it is a quote, shown
/// as the source wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The button label and suggestion in this language.
    pub title: String,
    pub answer: String,
    /// The retraction note, for a retracted fact.
    pub note: Option<String>,
    /// The correction note, when the fact has one.
    pub correction: Option<String>,
}

/// Whether a fact still stands. A retracted fact stays in the base so that a member who asks
/// for it (or clicks an old button) is told it was retracted and why, but it is never offered:
/// not as a follow-up, a suggestion, a starting point, a topic or an autocomplete choice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FactStatus {
    #[default]
    Current,
    Retracted {
        /// Why, in the moderators' words.
        note: String,
    },
}

impl Fact {
    pub fn title(&self) -> &str {
        &self.questions[0]
    }

    pub fn is_retracted(&self) -> bool {
        matches!(self.status, FactStatus::Retracted { .. })
    }

    /// The fact's texts in `lang`, unless that is English or the fact has no translation.
    pub fn translation(&self, lang: Lang) -> Option<&Translation> {
        self.translations
            .iter()
            .find(|(own, _)| *own == lang)
            .map(|(_, translation)| translation)
    }

    /// The title in `lang`, else the English one.
    pub fn title_in(&self, lang: Lang) -> &str {
        self.translation(lang)
            .map_or_else(|| self.title(), |translation| &translation.title)
    }

    /// The retraction note, when the fact was retracted.
    pub fn retraction(&self) -> Option<&str> {
        match &self.status {
            FactStatus::Retracted { note } => Some(note),
            FactStatus::Current => None,
        }
    }
}

/// A story-specific synonym: every variant (a word or phrase) means `canonical` here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synonym {
    pub canonical: String,
    pub variants: Vec<String>,
}

/// Everything loaded from the facts files, validated and cross-referenced.
#[derive(Debug, Clone, Default)]
pub struct FactBase {
    pub facts: Vec<Fact>,
    pub sources: Vec<Source>,
    pub synonyms: Vec<Synonym>,
    /// The files that were loaded, in load order.
    pub files: Vec<PathBuf>,
    by_id: HashMap<FactId, usize>,
}

impl FactBase {
    pub(crate) fn new(
        facts: Vec<Fact>,
        sources: Vec<Source>,
        synonyms: Vec<Synonym>,
        files: Vec<PathBuf>,
    ) -> Self {
        let by_id = facts
            .iter()
            .enumerate()
            .map(|(index, fact)| (fact.id.clone(), index))
            .collect();
        Self {
            facts,
            sources,
            synonyms,
            files,
            by_id,
        }
    }

    /// Looks a fact up by id, e.g. from a follow-up button that may outlive the fact.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(&FactId::new_unchecked(id)).copied()
    }

    pub fn get(&self, id: &str) -> Option<&Fact> {
        self.index_of(id).map(|index| &self.facts[index])
    }

    pub fn source_of(&self, fact: &Fact) -> &Source {
        &self.sources[fact.source]
    }

    /// The date `fact` holds as of: its own, else its source's.
    pub fn as_of<'a>(&'a self, fact: &'a Fact) -> Option<&'a str> {
        fact.as_of
            .as_deref()
            .or_else(|| self.source_of(fact).as_of.as_deref())
    }

    /// Whether fact `index` may be offered to members (as a button, suggestion or topic): every
    /// fact but the retracted ones.
    pub fn is_offered(&self, index: usize) -> bool {
        self.facts
            .get(index)
            .is_some_and(|fact| !fact.is_retracted())
    }

    /// What the facts are about, for "I don't have that in my facts about …" and greetings:
    /// the only source's title and publisher, or a generic phrase when there are several.
    pub fn topic(&self) -> String {
        self.topic_in(Lang::EN)
    }

    /// [`FactBase::topic`] in `lang`: a source's title is never translated.
    pub fn topic_in(&self, lang: Lang) -> String {
        match self.sources.as_slice() {
            [only] => format!("\u{201C}{}\u{201D} ({})", only.title, only.publisher),
            _ => lang.text(crate::lang::Msg::ThisStory, &[]),
        }
    }

    /// Facts that make good starting points when the bot cannot answer: those most often
    /// followed up to, then file order, so the choice is stable across runs. Never a retracted
    /// fact.
    pub fn starting_points(&self, n: usize) -> Vec<usize> {
        let mut in_links = vec![0usize; self.facts.len()];
        for fact in &self.facts {
            for &target in &fact.follow_ups {
                in_links[target] += 1;
            }
        }
        let mut order: Vec<usize> = (0..self.facts.len())
            .filter(|&index| self.is_offered(index))
            .collect();
        order.sort_by_key(|&index| (std::cmp::Reverse(in_links[index]), index));
        order.truncate(n);
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fact_ids_are_lowercase_digits_and_dashes() {
        assert!(FactId::is_valid("trip-dates-2"));
        assert!(!FactId::is_valid(""));
        assert!(!FactId::is_valid("Trip"));
        assert!(!FactId::is_valid("trip_dates"));
        assert!(!FactId::is_valid("viaje-á"));
    }
}
