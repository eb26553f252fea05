//! The check lint: every question pattern is asked as a member would ask it, and a pattern
//! that leads to another fact is a warning at its line and column, because members asking
//! that way would get the wrong answer, or none; so is a pattern that fits another fact as
//! well as its own, because members asking it get a choice instead of an answer.

use super::{Matcher, Outcome, Status};
use crate::facts::{Diagnostic, FactBase, FactId, Severity};

impl Matcher {
    /// Warnings for patterns that lead to another fact: members asking that way would get the
    /// wrong answer, or none.
    pub fn lint(&self, base: &FactBase) -> Vec<Diagnostic> {
        let mut warnings = Vec::new();
        for (index, fact) in base.facts.iter().enumerate() {
            for (question, &(line, column)) in fact.questions.iter().zip(&fact.question_positions) {
                let outcome = self.ask(question);
                let (message, hint) = if let Some(other) = leads_elsewhere(&outcome, base, index) {
                    (
                        lint_message(question, &base.facts[other].id, &fact.id),
                        "add the words that set this fact apart, or move the question to that fact",
                    )
                } else if let Some(other) = shares_with(&outcome, index) {
                    (
                        format!(
                            "question \"{question}\" fits fact \"{}\" as well as its own fact \"{}\": \
                             members asking it get both to choose from",
                            base.facts[other].id, fact.id
                        ),
                        "add a word of this fact's answer that the other fact lacks",
                    )
                } else {
                    continue;
                };
                warnings.push(Diagnostic {
                    severity: Severity::Warning,
                    path: fact.file.clone(),
                    line,
                    column,
                    message,
                    hint: Some(hint.into()),
                });
            }
        }
        warnings
    }

    /// The fact that `question`, asked as a member would, leads to more strongly than to fact
    /// `index`; `None` when it leads to `index` (or to nothing). The lint asks it of every
    /// pattern, and `suggest` of a pattern before it is added.
    pub fn leads_elsewhere(&self, base: &FactBase, index: usize, question: &str) -> Option<usize> {
        leads_elsewhere(&self.ask(question), base, index)
    }
}

/// See [`Matcher::leads_elsewhere`], for the outcome of asking the pattern.
fn leads_elsewhere(outcome: &Outcome, base: &FactBase, index: usize) -> Option<usize> {
    let top = outcome.candidates.first()?;
    if top.fact == index || top.fact >= base.facts.len() {
        return None;
    }
    let own = outcome
        .candidates
        .iter()
        .find(|c| c.fact == index)
        .map_or(0.0, |c| c.score);
    (top.score > own).then_some(top.fact)
}

/// The other fact that the outcome of asking fact `index`'s own pattern is ambiguous with,
/// if any.
fn shares_with(outcome: &Outcome, index: usize) -> Option<usize> {
    if outcome.status != Status::Ambiguous || !outcome.candidates.iter().any(|c| c.fact == index) {
        return None;
    }
    outcome
        .candidates
        .iter()
        .map(|c| c.fact)
        .find(|&fact| fact != index)
}

/// The lint's words for pattern `question` of fact `own` that leads to fact `other`.
pub fn lint_message(question: &str, other: &FactId, own: &FactId) -> String {
    format!("question \"{question}\" matches fact \"{other}\" better than its own fact \"{own}\"")
}

#[cfg(test)]
mod tests {
    use crate::matcher::testing::load;

    #[test]
    fn a_pattern_that_leads_to_another_fact_is_a_warning_at_its_position() {
        let (base, matcher) = load(
            r#"
[[facts]]
id = "port-cost"
questions = ["How much did the Chancay port cost?", "What did the Chancay port cost?"]
answer = "The Chancay port cost $3.5 billion."
snippet = "S"

[[facts]]
id = "port-owner"
questions = ["Who owns the port?", "Chancay port cost"]
answer = "Cosco owns 60%."
snippet = "S"
"#,
        );
        let warnings = matcher.lint(&base);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let warning = &warnings[0];
        assert_eq!(warning.severity, crate::facts::Severity::Warning);
        assert!(
            warning.message.contains("matches fact \"port-cost\"")
                && warning.message.contains("its own fact \"port-owner\""),
            "{}",
            warning.message
        );
        // The opening quote of the second fact's second pattern: the test helper's source
        // table ends line 5, where the text's first (empty) line goes on.
        assert_eq!((warning.line, warning.column), (14, 36));
    }

    #[test]
    fn a_pattern_as_fit_for_another_fact_is_a_warning() {
        let (base, matcher) = load(
            r#"
[[facts]]
id = "port-cost"
questions = ["What about the Chancay port?"]
answer = "The Chancay port cost $3.5 billion."
snippet = "S"

[[facts]]
id = "port-owner"
questions = ["What about the Chancay port?"]
answer = "Cosco owns 60% of the Chancay port."
snippet = "S"
"#,
        );
        let warnings = matcher.lint(&base);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0]
                .message
                .contains("fits fact \"port-owner\" as well as its own fact \"port-cost\""),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn patterns_that_find_their_own_fact_are_fine() {
        let (base, matcher) = load(
            r#"
[[facts]]
id = "port-cost"
questions = ["How much did the Chancay port cost?"]
answer = "It cost $3.5 billion."
snippet = "S"

[[facts]]
id = "port-owner"
questions = ["Who owns the port?"]
answer = "Cosco owns 60%."
snippet = "S"
"#,
        );
        assert!(matcher.lint(&base).is_empty());
    }
}
