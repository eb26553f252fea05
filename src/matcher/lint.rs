//! The check lint: every question pattern is asked as a member would ask it, and a pattern
//! that leads to another fact is a warning at its line and column, because members asking
//! that way would get the wrong answer, or none.

use super::Matcher;
use crate::facts::{Diagnostic, FactBase, FactId, Severity};

impl Matcher {
    /// Warnings for patterns that lead to another fact: members asking that way would get the
    /// wrong answer, or none.
    pub fn lint(&self, base: &FactBase) -> Vec<Diagnostic> {
        let mut warnings = Vec::new();
        for (index, fact) in base.facts.iter().enumerate() {
            for (question, &(line, column)) in fact.questions.iter().zip(&fact.question_positions) {
                let Some(other) = self.leads_elsewhere(base, index, question) else {
                    continue;
                };
                warnings.push(Diagnostic {
                    severity: Severity::Warning,
                    path: fact.file.clone(),
                    line,
                    column,
                    message: lint_message(question, &base.facts[other].id, &fact.id),
                    hint: Some(
                        "add the words that set this fact apart, or move the question to that fact"
                            .into(),
                    ),
                });
            }
        }
        warnings
    }

    /// The fact that `question`, asked as a member would, leads to more strongly than to fact
    /// `index`; `None` when it leads to `index` (or to nothing). The lint asks it of every
    /// pattern, and `suggest` of a pattern before it is added.
    pub fn leads_elsewhere(&self, base: &FactBase, index: usize, question: &str) -> Option<usize> {
        let outcome = self.ask(question);
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
