//! Suggestions while typing a question (Discord's `/ask` autocomplete): the fact questions
//! that best match what the member has typed so far.
//!
//! A platform asks on every keystroke and gives 3 seconds, so this only reads an in-memory index
//! built once per facts snapshot: each fact question, folded (lowercase, no accents, words).
//! Typed words match the starts of a question's words, in any order; the last typed word may
//! be unfinished. Each fact is offered once, by its best-matching question.

use std::sync::Arc;

use arc_swap::ArcSwapOption;

use crate::facts::FactBase;
use crate::matcher::words;
use crate::store::Snapshot;

/// The fact questions, folded for matching.
pub(crate) struct Suggester {
    /// Per fact (in base order): its questions, each as (text, folded words).
    facts: Vec<Vec<(String, Vec<String>)>>,
    /// Facts in the order offered for an empty input: the best starting points first.
    empty_order: Vec<usize>,
}

impl Suggester {
    pub(crate) fn new(base: &FactBase) -> Self {
        // A retracted fact is never suggested: it keeps its place, with no questions.
        let facts = base
            .facts
            .iter()
            .map(|fact| {
                fact.questions
                    .iter()
                    .filter(|_| !fact.is_retracted())
                    .map(|q| (q.clone(), words(q)))
                    .collect()
            })
            .collect();
        let starting = base.starting_points(crate::reply::STARTING_POINTS);
        let rest = (0..base.facts.len())
            .filter(|&index| base.is_offered(index) && !starting.contains(&index));
        let empty_order = starting.iter().copied().chain(rest).collect();
        Self { facts, empty_order }
    }

    /// Up to `limit` questions for the partial input `typed`, best first.
    pub(crate) fn suggest(&self, typed: &str, limit: usize) -> Vec<&str> {
        let typed = words(typed);
        if typed.is_empty() {
            return self
                .empty_order
                .iter()
                .take(limit)
                .map(|&index| self.facts[index][0].0.as_str())
                .collect();
        }
        let mut scored: Vec<(u32, usize, &str)> = self
            .facts
            .iter()
            .enumerate()
            .filter_map(|(index, questions)| {
                let (score, position, text) = questions
                    .iter()
                    .enumerate()
                    .filter_map(|(position, (text, folded))| {
                        Some((score(&typed, folded)?, position, text.as_str()))
                    })
                    .max_by_key(|&(score, position, _)| (score, std::cmp::Reverse(position)))?;
                Some((score, index * 1000 + position, text))
            })
            .collect();
        scored.sort_by_key(|&(score, order, _)| (std::cmp::Reverse(score), order));
        scored
            .into_iter()
            .take(limit)
            .map(|(_, _, text)| text)
            .collect()
    }
}

/// How well `question` matches every typed word (`None` when one matches nothing): a whole
/// word counts more than a prefix, and matching in the typed order counts a little more.
fn score(typed: &[String], question: &[String]) -> Option<u32> {
    let mut total = 0;
    let mut last_at = None;
    for (i, word) in typed.iter().enumerate() {
        let is_last = i + 1 == typed.len();
        let (at, points) = question.iter().enumerate().find_map(|(at, candidate)| {
            if candidate == word {
                Some((at, 4))
            } else if candidate.starts_with(word.as_str()) && (is_last || word.chars().count() >= 3)
            {
                Some((at, 2))
            } else {
                None
            }
        })?;
        total += points + u32::from(last_at.is_some_and(|last| at > last));
        last_at = Some(at);
    }
    Some(total)
}

/// The index for the live snapshot, rebuilt only when the snapshot changes (a reload).
#[derive(Default)]
pub(crate) struct Cache(ArcSwapOption<(Arc<Snapshot>, Suggester)>);

impl Cache {
    pub(crate) fn get(&self, snapshot: &Arc<Snapshot>) -> Arc<(Arc<Snapshot>, Suggester)> {
        if let Some(cached) = self
            .0
            .load_full()
            .filter(|cached| Arc::ptr_eq(&cached.0, snapshot))
        {
            return cached;
        }
        let fresh = Arc::new((Arc::clone(snapshot), Suggester::new(&snapshot.base)));
        self.0.store(Some(Arc::clone(&fresh)));
        fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggester(facts: &[&[&str]]) -> Suggester {
        Suggester {
            facts: facts
                .iter()
                .map(|questions| {
                    questions
                        .iter()
                        .map(|q| (q.to_string(), words(q)))
                        .collect()
                })
                .collect(),
            empty_order: (0..facts.len()).collect(),
        }
    }

    #[test]
    fn words_are_folded() {
        assert_eq!(
            words("¿Cuándo regresó Boluarte al Perú?"),
            ["cuando", "regreso", "boluarte", "al", "peru"]
        );
    }

    #[test]
    fn partial_input_matches_word_starts_best_first_one_per_fact() {
        let s = suggester(&[
            &[
                "When did Boluarte visit China?",
                "What were the dates of the trip?",
            ],
            &["Who did Boluarte meet in China?"],
            &["When did Boluarte return to Peru?"],
        ]);
        assert_eq!(
            s.suggest("when did bol", 25),
            [
                "When did Boluarte visit China?",
                "When did Boluarte return to Peru?"
            ]
        );
        assert_eq!(
            s.suggest("dates tr", 25),
            ["What were the dates of the trip?"]
        );
        assert_eq!(s.suggest("meet", 25), ["Who did Boluarte meet in China?"]);
        assert_eq!(s.suggest("CHINA", 25).len(), 2);
        assert!(s.suggest("japan", 25).is_empty());
        assert_eq!(s.suggest("cuándo", 25).len(), 0);
    }

    #[test]
    fn at_most_the_limit_and_something_for_empty_input() {
        let many: Vec<String> = (0..40).map(|i| format!("Question number {i}?")).collect();
        let refs: Vec<Vec<&str>> = many.iter().map(|q| vec![q.as_str()]).collect();
        let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
        let s = suggester(&slices);
        assert_eq!(s.suggest("question", 25).len(), 25);
        assert_eq!(s.suggest("", 25).len(), 25);
        assert_eq!(
            s.suggest("   ", 3),
            [
                "Question number 0?",
                "Question number 1?",
                "Question number 2?"
            ]
        );
    }
}
