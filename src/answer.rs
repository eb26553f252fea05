//! The machine-readable answer to one question: the fixed contract of `factbot ask --json`.
//!
//! Other tools (moderators' CI, dashboards) parse this, so field names and shapes change only
//! with a version bump. It is built from the matcher's outcome and nothing else.

use serde::Serialize;

use crate::facts::{FactBase, FactId, Source};
use crate::lang::Lang;
use crate::matcher::{Outcome, Status};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub question: String,
    pub status: Status,
    pub fact: Option<FactId>,
    pub score: f32,
    pub answer: Option<String>,
    pub snippet: Option<String>,
    pub source: Option<SourceRef>,
    pub follow_ups: Vec<FactRef>,
    pub candidates: Vec<ScoredFactRef>,
    /// For an unknown question no fact scored for, the facts closest to it in meaning: the
    /// topics the reply offers. Present only then, so other answers are unchanged.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub closest: Vec<FactRef>,
    /// Newsroom fields, present only when the answered fact has them, so the output for
    /// facts without them is unchanged: the date the answer holds as of (the fact's, else its
    /// source's), whose claim it is, and, for a retracted fact, the note saying why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retracted: Option<String>,
    /// The language of the reply: of `answer` when there is one (English when the fact has no
    /// translation into the question's language), else the question's.
    pub lang: Lang,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceRef {
    pub id: String,
    pub publisher: String,
    pub title: String,
    pub published: String,
    pub url: Option<String>,
}

impl From<&Source> for SourceRef {
    fn from(source: &Source) -> Self {
        Self {
            id: source.id.clone(),
            publisher: source.publisher.clone(),
            title: source.title.clone(),
            published: source.published.clone(),
            url: source.url.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactRef {
    pub id: FactId,
    pub question: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredFactRef {
    pub id: FactId,
    pub question: String,
    pub score: f32,
}

impl Answer {
    /// The answer in English, the facts' own language.
    pub fn new(base: &FactBase, question: &str, outcome: &Outcome) -> Self {
        Self::new_in(base, question, outcome, Lang::EN)
    }

    /// The answer for a question in `lang`: the fact's answer and retraction note in `lang`
    /// when it has a translation. Titles (`follow_ups`, `candidates`) stay the English ones.
    pub fn new_in(base: &FactBase, question: &str, outcome: &Outcome, lang: Lang) -> Self {
        let fact_ref = |index: usize| FactRef {
            id: base.facts[index].id.clone(),
            question: base.facts[index].title().to_owned(),
        };
        let answered = outcome.answer().map(|index| &base.facts[index]);
        let translated = answered.and_then(|fact| fact.translation(lang));
        let lang = match (answered, translated) {
            (Some(_), None) => Lang::EN,
            _ => lang,
        };
        Self {
            question: question.to_owned(),
            status: outcome.status,
            fact: answered.map(|fact| fact.id.clone()),
            score: round(outcome.score()),
            answer: answered
                .map(|fact| translated.map_or_else(|| fact.answer.clone(), |t| t.answer.clone())),
            snippet: answered.map(|fact| fact.snippet.clone()),
            source: answered.map(|fact| SourceRef::from(base.source_of(fact))),
            follow_ups: answered.map_or_else(Vec::new, |fact| {
                fact.follow_ups
                    .iter()
                    .filter(|&&i| base.is_offered(i))
                    .map(|&i| fact_ref(i))
                    .collect()
            }),
            candidates: outcome
                .candidates
                .iter()
                .map(|candidate| {
                    let FactRef { id, question } = fact_ref(candidate.fact);
                    ScoredFactRef {
                        id,
                        question,
                        score: round(candidate.score),
                    }
                })
                .collect(),
            closest: outcome
                .nearest
                .iter()
                .filter(|&&i| base.is_offered(i))
                .map(|&i| fact_ref(i))
                .collect(),
            as_of: answered.and_then(|fact| base.as_of(fact).map(str::to_owned)),
            attribution: answered.and_then(|fact| fact.attribution.clone()),
            retracted: answered.and_then(|fact| {
                let note = translated.and_then(|t| t.note.as_deref());
                note.or(fact.retraction()).map(str::to_owned)
            }),
            lang,
        }
    }
}

/// Three decimals: enough to compare, and stable output for people and snapshots.
fn round(score: f32) -> f32 {
    (score * 1000.0).round() / 1000.0
}
