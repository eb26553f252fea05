//! Answer quality, measured: a JSON Lines file of questions and what a right answer is.
//!
//! This is how the team and moderators know whether a change to the facts or the matcher made
//! things better. It only reads the cases and asks the matcher; it never changes behaviour.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use serde::{Deserialize, Deserializer, Serialize};

use crate::answer::Answer;
use crate::facts::{did_you_mean, FactBase};
use crate::matcher::Status;
use crate::store::Snapshot;

/// One line of an eval file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub q: String,
    #[serde(default = "general")]
    pub kind: String,
    #[serde(default)]
    pub lang: Option<String>,
    /// Absent: judge by `expect_any`; `null`: must not be answered; an id: must be that fact.
    #[serde(default, deserialize_with = "present")]
    pub expect_fact: Option<Option<String>>,
    #[serde(default)]
    pub expect_any: Vec<String>,
    /// Where the case is in its file (1-based), for errors found once the facts are loaded.
    #[serde(skip)]
    pub line: usize,
}

fn general() -> String {
    "general".to_owned()
}

/// Tells `"expect_fact": null` (present) from a missing key (`None`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("line {line}: {message}")]
    Invalid { line: usize, message: String },
}

/// Parses an eval file, naming the line of the first bad case.
pub fn parse_cases(text: &str) -> Result<Vec<Case>, CaseError> {
    let mut cases = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let invalid = |message: String| CaseError::Invalid {
            line: number + 1,
            message,
        };
        let mut case: Case = serde_json::from_str(line).map_err(|e| invalid(e.to_string()))?;
        if case.expect_fact.is_none() && case.expect_any.is_empty() {
            return Err(invalid(
                "a case needs \"expect_fact\" (an id or null) or \"expect_any\" (strings)".into(),
            ));
        }
        if case.expect_fact == Some(Some(String::new())) {
            return Err(invalid(
                "\"expect_fact\" is empty: write null for a question that must not be answered"
                    .into(),
            ));
        }
        case.line = number + 1;
        cases.push(case);
    }
    Ok(cases)
}

/// Refuses a case expecting a fact `base` does not have: it could never be right, and would
/// hide a typo in the eval file or a fact renamed since it was written.
pub fn check_expected_facts(cases: &[Case], base: &FactBase) -> Result<(), CaseError> {
    let ids: HashSet<&str> = base.facts.iter().map(|fact| fact.id.as_str()).collect();
    for case in cases {
        let Some(Some(id)) = &case.expect_fact else {
            continue;
        };
        if ids.contains(id.as_str()) {
            continue;
        }
        let hint = did_you_mean(id, ids.iter().copied())
            .map(|hint| format!(" ({hint})"))
            .unwrap_or_default();
        return Err(CaseError::Invalid {
            line: case.line,
            message: format!("\"expect_fact\": \"{id}\" is not the id of any fact loaded{hint}"),
        });
    }
    Ok(())
}

impl Case {
    /// Whether `answer` is right for this case.
    pub fn judge(&self, answer: &Answer) -> bool {
        match &self.expect_fact {
            Some(Some(id)) => {
                answer.status == Status::Answered
                    && answer.fact.as_ref().is_some_and(|f| f.as_str() == id)
            }
            Some(None) => answer.status != Status::Answered,
            None => {
                let text = format!(
                    "{} {}",
                    answer.answer.as_deref().unwrap_or(""),
                    answer.snippet.as_deref().unwrap_or("")
                )
                .to_lowercase();
                answer.status == Status::Answered
                    && self
                        .expect_any
                        .iter()
                        .any(|expected| text.contains(&expected.to_lowercase()))
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub total: usize,
    pub right: usize,
    pub accuracy: f64,
    pub by_kind: BTreeMap<String, KindScore>,
    /// Out-of-scope questions (`expect_fact: null`) that were answered: the worst kind of miss.
    pub wrongly_answered: usize,
    pub median_micros: f64,
    pub p99_micros: f64,
    pub misses: Vec<Miss>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct KindScore {
    pub total: usize,
    pub right: usize,
    pub accuracy: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub question: String,
    pub kind: String,
    pub expected: String,
    pub got: Answer,
}

/// Asks every case and scores the answers.
pub fn run(snapshot: &Snapshot, cases: &[Case]) -> Report {
    let mut timings = Vec::with_capacity(cases.len());
    let mut by_kind: BTreeMap<String, KindScore> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut wrongly_answered = 0;
    for case in cases {
        let started = Instant::now();
        let outcome = snapshot.matcher.ask(&case.q);
        timings.push(started.elapsed());
        let answer = Answer::new(&snapshot.base, &case.q, &outcome);
        let right = case.judge(&answer);
        let score = by_kind.entry(case.kind.clone()).or_default();
        score.total += 1;
        if right {
            score.right += 1;
            continue;
        }
        if case.expect_fact == Some(None) {
            wrongly_answered += 1;
        }
        misses.push(Miss {
            question: case.q.clone(),
            kind: case.kind.clone(),
            expected: expectation(case),
            got: answer,
        });
    }
    for score in by_kind.values_mut() {
        score.accuracy = ratio(score.right, score.total);
    }
    let right = cases.len() - misses.len();
    Report {
        total: cases.len(),
        right,
        accuracy: ratio(right, cases.len()),
        by_kind,
        wrongly_answered,
        median_micros: percentile(&mut timings, 0.5),
        p99_micros: percentile(&mut timings, 0.99),
        misses,
    }
}

fn expectation(case: &Case) -> String {
    match &case.expect_fact {
        Some(Some(id)) => format!("fact {id}"),
        Some(None) => "not answered".to_owned(),
        None => format!("an answer containing one of {:?}", case.expect_any),
    }
}

fn ratio(right: usize, total: usize) -> f64 {
    if total == 0 {
        return 0.0;
    }
    right as f64 / total as f64
}

fn percentile(timings: &mut [Duration], quantile: f64) -> f64 {
    if timings.is_empty() {
        return 0.0;
    }
    timings.sort();
    let index = ((timings.len() - 1) as f64 * quantile).round() as usize;
    timings[index].as_secs_f64() * 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expect_fact_null_differs_from_absent() {
        let cases = parse_cases("{\"q\":\"a\",\"expect_fact\":null}\n{\"q\":\"b\",\"expect_any\":[\"x\"]}\n\n{\"q\":\"c\",\"expect_fact\":\"trip\"}").unwrap();
        assert_eq!(cases[0].expect_fact, Some(None));
        assert_eq!(cases[1].expect_fact, None);
        assert_eq!(cases[2].expect_fact, Some(Some("trip".into())));
        assert_eq!(cases[0].kind, "general");
    }

    #[test]
    fn a_case_without_expectation_is_rejected_with_its_line() {
        let error = parse_cases("{\"q\":\"a\",\"expect_fact\":null}\n{\"q\":\"b\"}").unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 2: a case needs \"expect_fact\" (an id or null) or \"expect_any\" (strings)"
        );
        assert!(parse_cases("not json").is_err());
    }
}
