//! The knobs of matching, read from the config file's `[matching]` table.
//!
//! Every knob has a default tuned on the bundled story, so the table is optional and a config
//! file names only what it changes.

use serde::{Deserialize, Serialize};

#[cfg(doc)]
use super::Matcher;

/// How many signals [`Matcher::confidence`] weighs: the confidence model has a weight for each
/// and a bias.
pub const FEATURES: usize = 8;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_names_only_what_it_changes() {
        let settings: MatchSettings = toml::from_str("pattern_share = 0.25\n").unwrap();
        assert_eq!(
            settings,
            MatchSettings {
                pattern_share: 0.25,
                ..MatchSettings::default()
            }
        );
        assert!(toml::from_str::<MatchSettings>("pattern_shares = 0.25\n").is_err());
    }
}
