//! The decision: answered, ambiguous or unknown, from the scored candidates (best first).
//!
//! A pure function of the candidates and the settings, so each rule can be tested on made-up
//! scores: a vetoed best fact is never the answer; a best fact above the answer threshold, one
//! the confidence model trusts, or one whose own pattern the question is word for word, is,
//! when it stands clear of the next; close rivals make
//! the question ambiguous; anything else (no candidate at all included) is unknown with the
//! closest topics offered. An answered outcome always has its answer first among its
//! candidates.

use super::confidence::MODEL;
use super::{Candidate, MatchSettings, Matcher, Outcome, Rival, Status, FEATURES, RIVAL_REACH};

/// Decides what `candidates` (sorted best first) say about the question. `rarest_weight` is the
/// weight of a word found in one fact only, the unit of [`MatchSettings::min_evidence`];
/// `terse`: the question is a terse query (see [`MatchSettings::terse_answer_threshold`]).
pub(super) fn decide(
    mut candidates: Vec<Candidate>,
    settings: &MatchSettings,
    rarest_weight: f32,
    terse: bool,
) -> Outcome {
    let second = candidates.get(1).map_or(0.0, |c| c.score);
    let rival = rival(&candidates);
    // Nothing to answer with is unknown whatever the thresholds: an answer must name a fact.
    let Some(top) = candidates.first_mut() else {
        return Outcome::unknown();
    };
    let best = top.score;
    top.signals.margin = best - second;
    top.signals.rival = rival;
    let own_wording = top.signals.own_wording;
    let vetoed = top.missing_share >= settings.missing_word_veto
        || (top.evidence < settings.min_evidence * rarest_weight && !own_wording);
    let confident = own_wording
        || best >= settings.answer_threshold
        || (terse && best >= settings.terse_answer_threshold)
        || (confidence_may_answer(top, settings)
            && confidence(top, rarest_weight) >= settings.answer_confidence);
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
    Outcome {
        status,
        candidates,
        nearest: Vec::new(),
    }
}

/// The next fact after the best, and how many score within [`RIVAL_REACH`] of it (`candidates`
/// sorted best first).
fn rival(candidates: &[Candidate]) -> Rival {
    let (Some(top), Some(next)) = (candidates.first(), candidates.get(1)) else {
        return Rival::default();
    };
    let close = candidates[1..]
        .iter()
        .take_while(|c| top.score - c.score < RIVAL_REACH)
        .count();
    Rival {
        coverage: next.signals.coverage,
        pattern: next.signals.pattern,
        missing: next.missing_share,
        close: close as f32,
    }
}

/// Whether the confidence model may answer with this best fact at all. Not when too much of
/// the question is words no fact knows (a near miss however well the rest fits), nor when
/// the fact's answer cannot be of the kind asked for ("How long is the port?" of a fact that
/// gives no span): the trees learnt from questions where a wide lead mostly meant the right
/// fact, and a lead says nothing about whether the answer gives what is asked.
fn confidence_may_answer(top: &Candidate, settings: &MatchSettings) -> bool {
    top.signals.unknown <= settings.confidence_max_unknown && top.signals.kind_fits > 0.0
}

/// See [`Matcher::confidence`].
fn confidence(candidate: &Candidate, rarest_weight: f32) -> f32 {
    MODEL.probability(&features(candidate, rarest_weight))
}

/// See [`Matcher::features`].
fn features(candidate: &Candidate, rarest_weight: f32) -> [f32; FEATURES] {
    let signals = &candidate.signals;
    [
        candidate.score,
        signals.margin,
        signals.coverage,
        signals.pattern,
        signals.unknown,
        signals.kind_fits,
        (candidate.evidence / rarest_weight).min(3.0),
        candidate.missing_share,
        signals.rival.coverage,
        signals.rival.pattern,
        signals.rival.missing,
        signals.rival.close,
        signals.surface_lead,
        signals.meaning_fit,
        signals.meaning_lead,
    ]
}

impl Matcher {
    /// How likely the candidate, the best one, is the right answer: the confidence model
    /// (`matcher::confidence`) of its score and [`super::Signals`], fitted on tuning questions
    /// (`matcher/calibrate.py`), so one threshold in [`MatchSettings::answer_confidence`]
    /// decides.
    pub fn confidence(&self, candidate: &Candidate) -> f32 {
        confidence(candidate, self.rarest_weight)
    }

    /// The inputs of [`Matcher::confidence`], in the order the model reads them.
    pub fn features(&self, candidate: &Candidate) -> [f32; FEATURES] {
        features(candidate, self.rarest_weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::Signals;

    /// A candidate with one rare word's evidence, nothing missing and no other signal: below
    /// the answer threshold the confidence model does not trust it without a wide lead.
    fn clean(fact: usize, score: f32) -> Candidate {
        Candidate {
            fact,
            score,
            missing_share: 0.0,
            evidence: 1.0,
            signals: Signals::default(),
        }
    }

    #[track_caller]
    fn check(candidates: Vec<Candidate>, status: Status, facts: &[usize]) {
        let outcome = decide(candidates, &MatchSettings::default(), 1.0, false);
        let got: Vec<usize> = outcome.candidates.iter().map(|c| c.fact).collect();
        assert_eq!((outcome.status, got.as_slice()), (status, facts));
    }

    #[test]
    fn a_terse_query_is_answered_from_a_lower_score() {
        // A lead too narrow for the confidence model, wide enough not to be ambiguous.
        let candidates = || vec![clean(2, 0.42), clean(5, 0.34)];
        let settings = MatchSettings::default();
        let terse = decide(candidates(), &settings, 1.0, true);
        assert_eq!(terse.status, Status::Answered);
        assert_eq!(terse.candidates[0].fact, 2);
        assert_eq!(
            decide(candidates(), &settings, 1.0, false).status,
            Status::Unknown
        );
        let below = decide(vec![clean(2, 0.35), clean(5, 0.29)], &settings, 1.0, true);
        assert_eq!(below.status, Status::Unknown);
        let rivals = decide(vec![clean(2, 0.42), clean(5, 0.4)], &settings, 1.0, true);
        assert_eq!(rivals.status, Status::Ambiguous);
    }

    #[test]
    fn a_clear_best_above_the_threshold_is_the_answer() {
        check(
            vec![clean(3, 0.8), clean(1, 0.4)],
            Status::Answered,
            &[3, 1],
        );
        let threshold = MatchSettings::default().answer_threshold;
        check(vec![clean(3, threshold)], Status::Answered, &[3]);
    }

    #[test]
    fn close_rivals_are_offered_together() {
        check(
            vec![clean(3, 0.8), clean(1, 0.78), clean(2, 0.6)],
            Status::Ambiguous,
            &[3, 1],
        );
    }

    #[test]
    fn below_the_threshold_only_close_topics_are_offered() {
        check(
            vec![clean(3, 0.45), clean(1, 0.3), clean(2, 0.2)],
            Status::Unknown,
            &[3, 1],
        );
        check(Vec::new(), Status::Unknown, &[]);
    }

    #[test]
    fn a_confident_best_below_the_threshold_is_the_answer() {
        let sure = Candidate {
            evidence: 3.0,
            signals: Signals {
                coverage: 1.0,
                kind_fits: 1.0,
                ..Signals::default()
            },
            ..clean(3, 0.45)
        };
        let settings = MatchSettings::default();
        let outcome = decide(vec![sure], &settings, 1.0, false);
        assert_eq!(outcome.answer(), Some(3));
        let top = &outcome.candidates[0];
        assert_eq!(top.signals.margin, 0.45, "the lead over no rival");
        assert!(confidence(top, 1.0) >= settings.answer_confidence);
        assert!(confidence(&clean(3, 0.45), 1.0) < settings.answer_confidence);
    }

    /// A fair score is not enough on its own: a best fact scoring 0.55, clear of the next,
    /// that the model doubts (thin evidence, a word it lacks) is a near miss, not the answer;
    /// one of the same score that the model trusts is.
    #[test]
    fn a_fair_score_the_model_doubts_is_not_the_answer() {
        let settings = MatchSettings::default();
        let fair = |evidence, missing_share| Candidate {
            evidence,
            missing_share,
            signals: Signals {
                coverage: 0.3,
                kind_fits: 1.0,
                ..Signals::default()
            },
            ..clean(3, 0.55)
        };
        let doubted = fair(1.0, 0.5);
        assert!(doubted.score < settings.answer_threshold);
        let outcome = decide(vec![doubted, clean(1, 0.45)], &settings, 1.0, false);
        assert_eq!(outcome.status, Status::Unknown);
        let top = &outcome.candidates[0];
        assert!(confidence(top, 1.0) < settings.answer_confidence);
        assert!(top.score - outcome.candidates[1].score >= settings.ambiguity_margin);
        let trusted = Candidate {
            signals: Signals {
                coverage: 1.0,
                pattern: 0.8,
                ..fair(3.0, 0.0).signals
            },
            ..fair(3.0, 0.0)
        };
        let outcome = decide(vec![trusted, clean(1, 0.3)], &settings, 1.0, false);
        assert_eq!(outcome.answer(), Some(3));
    }

    #[test]
    fn confidence_alone_never_answers_a_question_mostly_about_something_unknown() {
        let near_miss = |unknown| Candidate {
            evidence: 3.0,
            signals: Signals {
                coverage: 1.0,
                kind_fits: 1.0,
                unknown,
                ..Signals::default()
            },
            ..clean(3, 0.45)
        };
        let settings = MatchSettings {
            confidence_max_unknown: 0.3,
            ..MatchSettings::default()
        };
        let unknown = settings.confidence_max_unknown;
        assert_eq!(
            decide(vec![near_miss(unknown)], &settings, 1.0, false).answer(),
            Some(3)
        );
        let outcome = decide(vec![near_miss(unknown + 0.05)], &settings, 1.0, false);
        assert_eq!(outcome.status, Status::Unknown);
        let scored = Candidate {
            score: settings.answer_threshold,
            ..near_miss(unknown + 0.05)
        };
        assert_eq!(
            decide(vec![scored], &settings, 1.0, false).answer(),
            Some(3)
        );
    }

    #[test]
    fn confidence_alone_never_answers_with_a_fact_of_another_kind() {
        let sure = |kind_fits| Candidate {
            evidence: 3.0,
            signals: Signals {
                coverage: 1.0,
                pattern: 0.8,
                kind_fits,
                ..Signals::default()
            },
            ..clean(3, 0.45)
        };
        assert_eq!(check_one(sure(1.0)), Some(3));
        assert_eq!(
            check_one(sure(0.0)),
            None,
            "the answer is not of the kind asked"
        );
        let scored = Candidate {
            score: MatchSettings::default().answer_threshold,
            ..sure(0.0)
        };
        assert_eq!(check_one(scored), Some(3), "a high score still answers");
    }

    /// What one candidate alone, far ahead of any other, answers.
    fn check_one(candidate: Candidate) -> Option<usize> {
        decide(vec![candidate], &MatchSettings::default(), 1.0, false).answer()
    }

    #[test]
    fn a_question_worded_as_the_facts_own_pattern_needs_no_confidence() {
        let own = Candidate {
            evidence: 0.1,
            signals: Signals {
                own_wording: true,
                ..Signals::default()
            },
            ..clean(3, 0.3)
        };
        check(vec![own, clean(1, 0.1)], Status::Answered, &[3, 1]);
        check(vec![own, clean(1, 0.28)], Status::Ambiguous, &[3, 1]);
    }

    #[test]
    fn the_features_are_in_the_order_the_model_reads() {
        let candidate = Candidate {
            missing_share: 0.25,
            evidence: 8.0,
            signals: Signals {
                coverage: 0.7,
                pattern: 0.6,
                unknown: 0.1,
                kind_fits: 1.0,
                margin: 0.2,
                own_wording: false,
                rival: Rival {
                    coverage: 0.5,
                    pattern: 0.4,
                    missing: 1.0,
                    close: 2.0,
                },
                surface_lead: -0.1,
                meaning_fit: 0.45,
                meaning_lead: 0.05,
            },
            ..clean(0, 0.9)
        };
        assert_eq!(
            features(&candidate, 2.0),
            [0.9, 0.2, 0.7, 0.6, 0.1, 1.0, 3.0, 0.25, 0.5, 0.4, 1.0, 2.0, -0.1, 0.45, 0.05],
            "evidence in rare words, at most 3"
        );
    }

    #[test]
    fn a_missing_word_or_too_little_evidence_vetoes_the_best() {
        let missing = Candidate {
            missing_share: 1.0,
            ..clean(3, 0.9)
        };
        check(vec![missing, clean(1, 0.2)], Status::Unknown, &[3]);
        let thin = Candidate {
            evidence: 0.5,
            ..clean(3, 0.9)
        };
        check(vec![thin], Status::Unknown, &[3]);
        let enough = Candidate {
            evidence: 0.55,
            ..clean(3, 0.9)
        };
        check(vec![enough], Status::Answered, &[3]);
    }

    #[test]
    fn nothing_to_answer_with_is_never_an_answer() {
        // With no threshold and no margin any best fact clears both; no fact still must not.
        let settings = MatchSettings {
            answer_threshold: 0.0,
            ambiguity_margin: 0.0,
            ..MatchSettings::default()
        };
        let outcome = decide(Vec::new(), &settings, 1.0, false);
        assert_eq!(outcome.status, Status::Unknown);
        assert_eq!(outcome.answer(), None);
        let outcome = decide(vec![clean(3, 0.1)], &settings, 1.0, false);
        assert_eq!(outcome.answer(), Some(3));
    }

    #[test]
    fn no_more_than_max_candidates_are_kept() {
        let candidates: Vec<Candidate> = (0..9).map(|fact| clean(fact, 0.9)).collect();
        let settings = MatchSettings {
            max_candidates: 2,
            ..MatchSettings::default()
        };
        let outcome = decide(candidates, &settings, 1.0, false);
        assert_eq!(outcome.status, Status::Ambiguous);
        assert_eq!(outcome.candidates.len(), 2);
    }

    /// A candidate that covers and fits the question as well as `coverage` and `pattern` say,
    /// and whose gist fits as a right answer's typically does.
    fn fitting(fact: usize, score: f32, coverage: f32, pattern: f32, missing: f32) -> Candidate {
        Candidate {
            missing_share: missing,
            evidence: 2.0,
            signals: Signals {
                coverage,
                pattern,
                kind_fits: 1.0,
                meaning_fit: 0.5,
                meaning_lead: 0.1,
                ..Signals::default()
            },
            ..clean(fact, score)
        }
    }

    #[test]
    fn the_rival_is_the_next_fact_and_the_close_ones_are_those_near_the_best() {
        let candidates = [
            fitting(3, 0.45, 0.7, 0.5, 0.0),
            fitting(1, 0.4, 0.6, 0.4, 1.0),
            fitting(2, 0.36, 0.5, 0.3, 0.0),
            fitting(4, 0.3, 0.4, 0.2, 0.0),
        ];
        let rival = rival(&candidates);
        assert_eq!(
            (rival.coverage, rival.pattern, rival.missing),
            (0.6, 0.4, 1.0)
        );
        assert_eq!(
            rival.close, 2.0,
            "0.40 and 0.36 are within reach of 0.45; 0.30 is not"
        );
        assert_eq!(super::rival(&candidates[..1]), Rival::default());
    }

    #[test]
    fn a_lead_over_one_close_fact_is_surer_than_the_same_lead_over_several() {
        let decided = |others: &[f32]| {
            let mut candidates = vec![fitting(3, 0.48, 1.0, 0.7, 0.0)];
            let rivals = others.iter().zip(4..);
            candidates.extend(rivals.map(|(&score, fact)| fitting(fact, score, 0.8, 0.5, 0.0)));
            let outcome = decide(candidates, &MatchSettings::default(), 1.0, false);
            (confidence(&outcome.candidates[0], 1.0), outcome.status)
        };
        let (alone, alone_status) = decided(&[0.39, 0.2]);
        let (crowded, crowded_status) = decided(&[0.39, 0.39, 0.39]);
        assert!(crowded < alone, "{crowded} against {alone}");
        assert_eq!(
            (alone_status, crowded_status),
            (Status::Answered, Status::Unknown)
        );
    }

    #[test]
    fn a_best_fact_that_looks_less_like_the_question_than_the_next_is_less_trusted() {
        let decided = |lead: f32| {
            let mut best = fitting(3, 0.4, 1.0, 0.7, 0.0);
            best.signals.surface_lead = lead;
            let candidates = vec![best, fitting(1, 0.3, 0.6, 0.4, 0.0)];
            let outcome = decide(candidates, &MatchSettings::default(), 1.0, false);
            (confidence(&outcome.candidates[0], 1.0), outcome.status)
        };
        let (alike, alike_status) = decided(0.3);
        let (unlike, unlike_status) = decided(-0.3);
        assert!(unlike < alike - 0.05, "{unlike} against {alike}");
        assert_eq!(
            (alike_status, unlike_status),
            (Status::Answered, Status::Unknown)
        );
    }

    #[test]
    fn a_best_fact_whose_gist_leans_to_the_next_is_less_trusted() {
        let confidence_at = |fit: f32, lead: f32| {
            let mut best = fitting(3, 0.4, 1.0, 0.7, 0.0);
            best.signals.meaning_fit = fit;
            best.signals.meaning_lead = lead;
            let candidates = vec![best, fitting(1, 0.3, 0.6, 0.4, 0.0)];
            let outcome = decide(candidates, &MatchSettings::default(), 1.0, false);
            confidence(&outcome.candidates[0], 1.0)
        };
        let leaning = confidence_at(0.6, 0.25);
        let against = confidence_at(0.3, -0.2);
        assert!(against < leaning - 0.05, "{against} against {leaning}");
    }
}
