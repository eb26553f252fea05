//! The knobs of matching, read from the config file's `[matching]` table.
//!
//! Every knob has a default tuned on the bundled story, so the table is optional and a config
//! file names only what it changes. [`MatchSettings::validate`] refuses a value the matcher
//! cannot work with (a share above 1, a negative or infinite weight, no candidates, or a
//! threshold and margin that would answer every question that shares a word with a fact), so
//! the config loader can point at the line rather than the bot misbehave later.

use serde::{Deserialize, Serialize};

#[cfg(doc)]
use super::Matcher;

/// How many signals [`Matcher::confidence`] weighs (see [`Matcher::features`]).
pub const FEATURES: usize = 15;

/// The knobs of matching, read from the config file's `[matching]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchSettings {
    /// Score from which the best fact is given as the answer whatever its confidence (when it
    /// also stands clear); below it, [`Matcher::confidence`] decides. High, because the model
    /// weighs what a score alone cannot (a missing word, a close rival, the gist): a fact
    /// scoring 0.5 to 0.6 that the model doubts is more often a near miss ("Is the butter
    /// being recalled too?" of a fact about an earlier recall) than the answer.
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
    /// How much a candidate's score drops per unit of cosine by which it looks less like the
    /// question, letter by letter, than one of the first candidates scored below it (see
    /// `matcher::surface`): a second reader that sees typos, inflections and a snippet's
    /// wording where words alone missed them. 0 turns it off.
    pub surface_weight: f32,
    /// The confidence from which the best fact is given as the answer (when it also stands
    /// clear of the next by `ambiguity_margin`); see [`Matcher::confidence`].
    pub answer_confidence: f32,
    /// The largest share of the question (by weight) that may be words no fact knows when the
    /// confidence model alone answers: above it, only a score of `answer_threshold` does. A
    /// question about something the story never mentions ("How much *gold*…?") is a near
    /// miss however well the rest of it fits.
    pub confidence_max_unknown: f32,
    /// The score from which the best fact answers a terse query ("death toll", "mediator
    /// name": at most five words, no question word, no question mark). Such a query names
    /// its topic and nothing else, so it scores lower than a question of the same topic,
    /// whose other words a fact's pattern repeats.
    pub terse_answer_threshold: f32,
    /// How many candidates to return.
    pub max_candidates: usize,
}

impl Default for MatchSettings {
    fn default() -> Self {
        Self {
            answer_threshold: 0.6,
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
            surface_weight: 0.5,
            answer_confidence: 0.53,
            confidence_max_unknown: 0.5,
            terse_answer_threshold: 0.4,
            max_candidates: 5,
        }
    }
}

/// What the settings' numbers may be, as said in errors.
const SHARE: &str = "a number from 0 to 1";
const WEIGHT: &str = "a finite number of 0 or more";
const COUNT: &str = "a whole number of 1 or more";

/// A `[matching]` value the matcher cannot work with.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingsError {
    #[error("{key} must be {allowed}, not {value}")]
    OutOfRange {
        key: &'static str,
        allowed: &'static str,
        value: String,
    },
    #[error(
        "ambiguity_margin cannot be 0 while answer_threshold is 0: any best fact would be \
         answered, however weak and even when tied with the next; set ambiguity_margin above 0 \
         (the default is 0.05)"
    )]
    NoMargin,
}

impl SettingsError {
    /// The key of the `[matching]` table to fix.
    pub fn key(&self) -> &'static str {
        match self {
            Self::OutOfRange { key, .. } => key,
            Self::NoMargin => "ambiguity_margin",
        }
    }
}

impl MatchSettings {
    /// Checks every value against its range (thresholds, shares, factors and cosines in 0..=1;
    /// weights finite and not negative; at least one
    /// candidate), then the combination that would answer any best fact.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let shares = [
            ("answer_threshold", self.answer_threshold),
            ("ambiguity_margin", self.ambiguity_margin),
            ("suggest_threshold", self.suggest_threshold),
            ("pattern_share", self.pattern_share),
            ("answer_kind_penalty", self.answer_kind_penalty),
            ("missing_word_veto", self.missing_word_veto),
            ("meaning_threshold", self.meaning_threshold),
            ("meaning_full", self.meaning_full),
            ("answer_confidence", self.answer_confidence),
            ("confidence_max_unknown", self.confidence_max_unknown),
            ("terse_answer_threshold", self.terse_answer_threshold),
        ];
        let weights = [
            ("unknown_word_weight", self.unknown_word_weight),
            ("question_word_weight", self.question_word_weight),
            ("generic_word_weight", self.generic_word_weight),
            ("answer_text_weight", self.answer_text_weight),
            ("min_evidence", self.min_evidence),
            ("related_word_credit", self.related_word_credit),
            ("meaning_credit", self.meaning_credit),
            ("surface_weight", self.surface_weight),
        ];
        let out_of_range = |key, allowed, value: &dyn std::fmt::Display| {
            Err(SettingsError::OutOfRange {
                key,
                allowed,
                value: value.to_string(),
            })
        };
        for (key, value) in shares {
            if !(0.0..=1.0).contains(&value) {
                return out_of_range(key, SHARE, &value);
            }
        }
        for (key, value) in weights {
            if !(value.is_finite() && value >= 0.0) {
                return out_of_range(key, WEIGHT, &value);
            }
        }
        if self.max_candidates == 0 {
            return out_of_range("max_candidates", COUNT, &self.max_candidates);
        }
        if self.answer_threshold == 0.0 && self.ambiguity_margin == 0.0 {
            return Err(SettingsError::NoMargin);
        }
        Ok(())
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

    #[track_caller]
    fn check(table: &str, expect: Result<(), &str>) {
        let settings: MatchSettings = toml::from_str(table).unwrap();
        let got = settings.validate().map_err(|error| error.to_string());
        assert_eq!(
            got.as_ref().map(|_| ()).map_err(String::as_str),
            expect,
            "{table:?}"
        );
    }

    #[test]
    fn the_defaults_and_the_ends_of_each_range_are_valid() {
        check("", Ok(()));
        check("answer_threshold = 1.0\nambiguity_margin = 1.0\n", Ok(()));
        check("answer_threshold = 0.0\nambiguity_margin = 0.01\n", Ok(()));
        check("related_word_credit = 0.0\nmin_evidence = 3.0\n", Ok(()));
        check("meaning_credit = 0.0\n", Ok(()));
        check("surface_weight = 0.0\n", Ok(()));
        check("max_candidates = 1\n", Ok(()));
    }

    #[test]
    fn a_value_out_of_range_is_refused_with_its_key_and_range() {
        let share =
            |key: &str, value: &str| format!("{key} must be a number from 0 to 1, not {value}");
        for key in [
            "answer_threshold",
            "ambiguity_margin",
            "suggest_threshold",
            "pattern_share",
            "answer_kind_penalty",
            "missing_word_veto",
            "meaning_threshold",
            "meaning_full",
            "answer_confidence",
            "confidence_max_unknown",
            "terse_answer_threshold",
        ] {
            check(&format!("{key} = 1.5\n"), Err(&share(key, "1.5")));
            check(&format!("{key} = -0.1\n"), Err(&share(key, "-0.1")));
            check(&format!("{key} = nan\n"), Err(&share(key, "NaN")));
        }
        for key in [
            "unknown_word_weight",
            "question_word_weight",
            "generic_word_weight",
            "answer_text_weight",
            "min_evidence",
            "related_word_credit",
            "meaning_credit",
            "surface_weight",
        ] {
            let weight =
                |value: &str| format!("{key} must be a finite number of 0 or more, not {value}");
            check(&format!("{key} = -1.0\n"), Err(&weight("-1")));
            check(&format!("{key} = inf\n"), Err(&weight("inf")));
            check(&format!("{key} = nan\n"), Err(&weight("NaN")));
        }
        check(
            "max_candidates = 0\n",
            Err("max_candidates must be a whole number of 1 or more, not 0"),
        );
    }

    #[test]
    fn no_threshold_with_no_margin_is_refused() {
        let settings: MatchSettings =
            toml::from_str("answer_threshold = 0.0\nambiguity_margin = 0.0\n").unwrap();
        let error = settings.validate().unwrap_err();
        assert_eq!(error, SettingsError::NoMargin);
        assert_eq!(error.key(), "ambiguity_margin");
        assert!(error.to_string().contains("set ambiguity_margin above 0"));
    }
}
