//! The bundled facts: faithful to the article, complete enough, and answering well.

use std::path::Path;

use factbot::eval;
use factbot::facts::is_verbatim;
use factbot::matcher::{MatchSettings, Status};
use factbot::store::Snapshot;

use crate::support::{bundled_facts, seed_article, sparse_facts};

fn snapshot() -> Snapshot {
    Snapshot::load(&[bundled_facts()], &MatchSettings::default()).expect("the bundled facts load")
}

#[test]
fn every_snippet_is_quoted_verbatim_from_the_article() {
    let Some(article) = seed_article() else {
        // The article is not shipped with the project; CI and developers have it beside it.
        return;
    };
    let snapshot = snapshot();
    let misquoted: Vec<&str> = snapshot
        .base
        .facts
        .iter()
        .filter(|f| !is_verbatim(&f.snippet, &article))
        .map(|f| f.id.as_str())
        .collect();
    assert!(
        misquoted.is_empty(),
        "snippets not in the article: {misquoted:?}"
    );
}

#[test]
fn the_story_is_covered_in_english_and_spanish() {
    let snapshot = snapshot();
    let facts = &snapshot.base.facts;
    assert!(facts.len() >= 30, "{} facts", facts.len());
    let spanish = facts
        .iter()
        .filter(|f| f.questions.iter().any(|q| q.starts_with('¿')))
        .count();
    assert!(spanish >= 20, "{spanish} facts have a Spanish question");
    for fact in facts {
        assert!(
            fact.questions.len() >= 5,
            "{} has {} questions",
            fact.id,
            fact.questions.len()
        );
        assert!(!fact.follow_ups.is_empty(), "{} has no follow-ups", fact.id);
    }
}

/// Accuracy on a question set must not fall below what it was when these floors were set;
/// raise the floors as the matcher improves.
#[track_caller]
fn check_quality(facts: &Path, set: &str, min_accuracy: f64, max_wrongly_answered: usize) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(set);
    let Ok(text) = std::fs::read_to_string(&path) else {
        // The public dev sample lives in the shared folder beside the repository.
        return;
    };
    let cases = eval::parse_cases(&text).expect("valid eval file");
    let snapshot =
        Snapshot::load(&[facts.to_path_buf()], &MatchSettings::default()).expect("the facts load");
    eval::check_expected_facts(&cases, &snapshot.base).expect("every expected fact exists");
    let report = eval::run(&snapshot, &cases);
    let misses: Vec<String> = report
        .misses
        .iter()
        .map(|m| format!("[{}] {}", m.kind, m.question))
        .collect();
    assert!(
        report.accuracy >= min_accuracy,
        "{set}: accuracy {:.3} < {min_accuracy}; misses:\n{}",
        report.accuracy,
        misses.join("\n")
    );
    assert!(
        report.wrongly_answered <= max_wrongly_answered,
        "{set}: {} out-of-scope questions answered",
        report.wrongly_answered
    );
}

const DEV: &str = "../shared/eval/dev.jsonl";
const HELD_OUT: &str = "tests/eval/heldout.jsonl";
/// Written blind, from the article alone, after the matcher had been tuned on the first.
const HELD_OUT_2: &str = "tests/eval/heldout2.jsonl";
/// Written blind like the second and never fitted on (its failures were read in a later
/// stop while looking for general causes).
const HELD_OUT_3: &str = "tests/eval/heldout3.jsonl";
/// Written blind from the article alone at the end of that stop, 100 questions: the freshest
/// figure for this story.
const HELD_OUT_4: &str = "tests/eval/heldout4.jsonl";

/// Floors on the bundled facts, with their many hand-written patterns and synonyms.
#[test]
fn answer_quality_on_the_bundled_facts() {
    let facts = bundled_facts();
    check_quality(&facts, DEV, FULL_DEV.0, FULL_DEV.1);
    check_quality(&facts, HELD_OUT, FULL_H1.0, FULL_H1.1);
    check_quality(&facts, HELD_OUT_2, FULL_H2.0, FULL_H2.1);
    check_quality(&facts, HELD_OUT_3, FULL_H3.0, FULL_H3.1);
    check_quality(&facts, HELD_OUT_4, FULL_H4.0, FULL_H4.1);
}

/// Floors on the same facts as a moderator writes them for a new story: the first question
/// pattern of each fact only, and no synonyms.
#[test]
fn answer_quality_on_sparse_facts() {
    let sparse = sparse_facts(&bundled_facts(), 1);
    check_quality(sparse.path(), DEV, SPARSE_DEV.0, SPARSE_DEV.1);
    check_quality(sparse.path(), HELD_OUT, SPARSE_H1.0, SPARSE_H1.1);
    check_quality(sparse.path(), HELD_OUT_2, SPARSE_H2.0, SPARSE_H2.1);
    check_quality(sparse.path(), HELD_OUT_3, SPARSE_H3.0, SPARSE_H3.1);
    check_quality(sparse.path(), HELD_OUT_4, SPARSE_H4.0, SPARSE_H4.1);
}

/// A second story nobody tuned for (`tests/eval/story2/`): its facts were written with one or
/// two patterns each and its questions blind, from the article alone, so the lexicon and rules
/// cannot lean on Peru and China.
#[test]
fn answer_quality_on_a_second_story() {
    check_story("story2", STORY2, STORY2_ONE);
}

/// A third story (`tests/eval/story3/`, an invented festival report), written blind like the
/// second at the start of a later stop, and read since.
#[test]
fn answer_quality_on_a_third_story() {
    check_story("story3", STORY3, STORY3_ONE);
}

/// A fourth story (`tests/eval/story4/`, a drought and water-rationing report in British
/// English), written blind at the start of a later stop and then read to find near misses the
/// matcher answered (a tuning set since).
#[test]
fn answer_quality_on_a_fourth_story() {
    check_story("story4", STORY4, STORY4_ONE);
}

/// A fifth story (`tests/eval/story5/`, a bank's data breach in American English), written blind
/// the same way; read since to find missing Spanish words.
#[test]
fn answer_quality_on_a_fifth_story() {
    check_story("story5", STORY5, STORY5_ONE);
}

/// A sixth story (`tests/eval/story6/`, a copper-mine strike in Chile, a sixth of its questions
/// in Spanish), written blind at the start of a later stop; read since.
#[test]
fn answer_quality_on_a_sixth_story() {
    check_story("story6", STORY6, STORY6_ONE);
}

/// A seventh story (`tests/eval/story7/`, a cancer wing opening late at a Mexican hospital),
/// written blind at the end of the stop that wrote the sixth; its out-of-scope answers were
/// read at the end of the next stop.
#[test]
fn answer_quality_on_a_seventh_story() {
    check_story("story7", STORY7, STORY7_ONE);
}

/// An eighth story (`tests/eval/story8/`, a volcano's eruption and evacuation in the Andes),
/// written blind by someone who saw only the facts format; its one-pattern misses were read
/// two stops later, once two newer blind stories stood in for it.
#[test]
fn answer_quality_on_an_eighth_story() {
    check_story("story8", STORY8, STORY8_ONE);
}

/// A ninth story (`tests/eval/story9/`, a city's switch to electric buses and its fare rise),
/// written blind like the eighth at the start of the stop after it; never read but for a few
/// lines printed once by comparisons.
#[test]
fn answer_quality_on_a_ninth_story() {
    check_story("story9", STORY9, STORY9_ONE);
}

/// A tenth story (`tests/eval/story10/`, a regional airline's collapse in Colombia), written
/// blind like the eighth near the end of the stop that wrote the ninth; read like the eighth.
#[test]
fn answer_quality_on_a_tenth_story() {
    check_story("story10", STORY10, STORY10_ONE);
}

/// An eleventh and a twelfth story (`tests/eval/story11/`, a Portuguese medical school losing
/// its accreditation; `tests/eval/story12/`, a Canadian dairy's listeria recall), written blind
/// like the eighth before the eighth and tenth were read; their one-pattern misses were read
/// once the thirteenth and fourteenth stood in for them.
#[test]
fn answer_quality_on_an_eleventh_and_a_twelfth_story() {
    check_story("story11", STORY11, STORY11_ONE);
    check_story("story12", STORY12, STORY12_ONE);
}

/// A thirteenth and a fourteenth story (`tests/eval/story13/`, a former mayor convicted over a
/// street-lighting contract in Mexico; `tests/eval/story14/`, an American group's takeover of
/// an English football club), written blind like the eighth; their misses were read once the
/// fifteenth and sixteenth stood in for them.
#[test]
fn answer_quality_on_a_thirteenth_and_a_fourteenth_story() {
    check_story("story13", STORY13, STORY13_ONE);
    check_story("story14", STORY14, STORY14_ONE);
}

/// A fifteenth and a sixteenth story (`tests/eval/story15/`, the investigators' report on a
/// Polish freight derailment and chemical spill; `tests/eval/story16/`, a South American central
/// bank's surprise rate rise), written blind like the eighth; never read.
#[test]
fn answer_quality_on_a_fifteenth_and_a_sixteenth_story() {
    check_story("story15", STORY15, STORY15_ONE);
    check_story("story16", STORY16, STORY16_ONE);
}

/// A seventeenth story (`tests/eval/story17/`, a ferry operator ending a route in southern
/// Chile), written blind like the eighth; never read.
#[test]
fn answer_quality_on_a_seventeenth_story() {
    check_story("story17", STORY17, STORY17_ONE);
}

/// An eighteenth story (`tests/eval/story18/`, a jewellery theft from a Lyon museum), written
/// blind like the eighth; never read.
#[test]
fn answer_quality_on_an_eighteenth_story() {
    check_story("story18", STORY18, STORY18_ONE);
}

/// A nineteenth story (`tests/eval/story19/`, Uruguay and Argentina's dispute over a shared
/// fishing quota), written blind like the eighth; never read.
#[test]
fn answer_quality_on_a_nineteenth_story() {
    check_story("story19", STORY19, STORY19_ONE);
}

/// A twentieth story (`tests/eval/story20/`, Mexico City's new rules on short-term holiday
/// rentals), written blind like the eighth; never read.
#[test]
fn answer_quality_on_a_twentieth_story() {
    check_story("story20", STORY20, STORY20_ONE);
}

/// A twenty-first story (`tests/eval/story21/`, a coffee leaf-rust outbreak in Colombia),
/// written blind like the eighth; never read.
#[test]
fn answer_quality_on_a_twenty_first_story() {
    check_story("story21", STORY21, STORY21_ONE);
}

/// A twenty-second story (`tests/eval/story22/`, a dockworkers' strike at the port of Santos),
/// written blind like the eighth; its misses were read after story24 was written.
#[test]
fn answer_quality_on_a_twenty_second_story() {
    check_story("story22", STORY22, STORY22_ONE);
}

/// A twenty-third story (`tests/eval/story23/`, a lithium contract at Bolivia's Uyuni salt
/// flat), written blind like the eighth; its misses were read after story24 was written.
#[test]
fn answer_quality_on_a_twenty_third_story() {
    check_story("story23", STORY23, STORY23_ONE);
}

/// A twenty-fourth story (`tests/eval/story24/`, an astronomical observatory's delayed opening
/// in Chile's Atacama desert), written blind like the eighth before this stop's changes; never
/// read.
#[test]
fn answer_quality_on_a_twenty_fourth_story() {
    check_story("story24", STORY24, STORY24_ONE);
}

/// A twenty-fifth story (`tests/eval/story25/`, a measles outbreak in an Argentine province),
/// written blind like the eighth after all but the last of this stop's changes; never read.
#[test]
fn answer_quality_on_a_twenty_fifth_story() {
    check_story("story25", STORY25, STORY25_ONE);
}

/// A twenty-sixth story (`tests/eval/story26/`, a wildfire season in Chile's Valparaíso
/// region), written blind like the eighth at the start of the stop after the twenty-fifth,
/// before any change; never read.
#[test]
fn answer_quality_on_a_twenty_sixth_story() {
    check_story("story26", STORY26, STORY26_ONE);
}

/// A twenty-seventh story (`tests/eval/story27/`, Ecuador's rolling power cuts as a drought
/// empties its dams' reservoirs), written blind like the eighth at the start of the stop after
/// the twenty-sixth, before any change; never read.
#[test]
fn answer_quality_on_a_twenty_seventh_story() {
    check_story("story27", STORY27, STORY27_ONE);
}

/// A twenty-eighth story (`tests/eval/story28/`, Chile's competition authorities blocking a
/// supermarket merger), written blind like the eighth at the start of the stop after the
/// twenty-seventh, before any change; never read.
#[test]
fn answer_quality_on_a_twenty_eighth_story() {
    check_story("story28", STORY28, STORY28_ONE);
}

/// A twenty-ninth story (`tests/eval/story29/`, a presidential runoff in Costa Rica), written
/// blind like the eighth at the start of the stop after the twenty-eighth, before any change;
/// never read.
#[test]
fn answer_quality_on_a_twenty_ninth_story() {
    check_story("story29", STORY29, STORY29_ONE);
}

/// A thirtieth story (`tests/eval/story30/`, Bolivia's football federation sacking its national
/// coach after a play-off defeat), written blind like the eighth at the start of the stop after
/// the twenty-ninth, before any change; never read.
#[test]
fn answer_quality_on_a_thirtieth_story() {
    check_story("story30", STORY30, STORY30_ONE);
}

/// A thirty-first story (`tests/eval/story31/`, a mass escape of farmed salmon in southern
/// Chile), written blind like the eighth at the end of the stop that wrote the thirtieth, after
/// its last change; never read.
#[test]
fn answer_quality_on_a_thirty_first_story() {
    check_story("story31", STORY31, STORY31_ONE);
}

/// A thirty-second story (`tests/eval/story32/`, a Colombian regional airline grounding planes
/// over cracked turbine blades), written blind before the change it measures.
#[test]
fn answer_quality_on_a_thirty_second_story() {
    check_story("story32", STORY32, STORY32_ONE);
}

/// A thirty-third story (`tests/eval/story33/`, a Paraguayan city's plan to replace its water
/// pipes after outages), written blind after this stop's last change to matching; never read.
#[test]
fn answer_quality_on_a_thirty_third_story() {
    check_story("story33", STORY33, STORY33_ONE);
}

/// A thirty-fourth story (`tests/eval/story34/`, a pre-Inca tomb found on a Lima ring road's
/// route), written blind before the change it measures; never read.
#[test]
fn answer_quality_on_a_thirty_fourth_story() {
    check_story("story34", STORY34, STORY34_ONE);
}

/// A thirty-fifth story (`tests/eval/story35/`, a Uruguayan pulp mill fined after a discharge
/// killed fish downstream), written blind during this stop's changes; never read.
#[test]
fn answer_quality_on_a_thirty_fifth_story() {
    check_story("story35", STORY35, STORY35_ONE);
}

/// A thirty-sixth story (`tests/eval/story36/`, a Chilean copper mine's tailings dam cracked by
/// an earthquake, a town evacuated), written blind before the change it measures; never read.
#[test]
fn answer_quality_on_a_thirty_sixth_story() {
    check_story("story36", STORY36, STORY36_ONE);
}

/// Four more stories written blind (`tests/eval/story37/` to `story40/`: Uruguay's wind and
/// solar tender, a Spanish club's stalled stadium works, a measles outbreak in a northern Mexican
/// state, a new glass frog in a Costa Rican cloud forest), for the confidence model to learn
/// from (`src/matcher/calibrate.py`): tuning sets, not held out.
#[test]
fn answer_quality_on_the_confidence_models_newest_stories() {
    check_story("story37", STORY37, STORY37_ONE);
    check_story("story38", STORY38, STORY38_ONE);
    check_story("story39", STORY39, STORY39_ONE);
    check_story("story40", STORY40, STORY40_ONE);
}

/// Four stories written blind after the confidence model last learnt (`tests/eval/story41/` to
/// `story44/`: a Brazilian city's bus fare rise suspended by a judge, Peru's cancelled anchovy
/// season, a ransomware attack on Colombian public hospitals, hail on Argentine vineyards);
/// held out, never read.
#[test]
fn answer_quality_on_four_stories_the_confidence_model_never_saw() {
    check_story("story41", STORY41, STORY41_ONE);
    check_story("story42", STORY42, STORY42_ONE);
    check_story("story43", STORY43, STORY43_ONE);
    check_story("story44", STORY44, STORY44_ONE);
}

/// Written after the confidence model learnt to weigh how the best fact's gist fits the
/// question's; it never learnt from them.
#[test]
fn answer_quality_on_four_stories_written_after_the_meaning_fit() {
    check_story("story45", STORY45, STORY45_ONE);
    check_story("story46", STORY46, STORY46_ONE);
    check_story("story47", STORY47, STORY47_ONE);
    check_story("story48", STORY48, STORY48_ONE);
}

/// Written after the score alone stopped answering below 0.6 (`answer_threshold`), to check
/// that change on stories nobody had seen; never read to tune.
#[test]
fn answer_quality_on_two_stories_written_after_the_confidence_took_over() {
    check_story("story49", STORY49, STORY49_ONE);
    check_story("story50", STORY50, STORY50_ONE);
}

/// Written after a question after chatter became a clause of its own and a sum of money came to
/// give the cost asked for, to check those changes on stories nobody had seen; never read.
#[test]
fn answer_quality_on_two_stories_written_after_questions_after_chatter_became_clauses() {
    check_story("story51", STORY51, STORY51_ONE);
    check_story("story52", STORY52, STORY52_ONE);
}

/// The floors of a story under `tests/eval/` on its facts as written and on one pattern a fact.
#[track_caller]
fn check_story(name: &str, full: (f64, usize), one_pattern: (f64, usize)) {
    let story = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/eval")
        .join(name);
    let questions = format!("tests/eval/{name}/questions.jsonl");
    check_quality(&story.join("facts"), &questions, full.0, full.1);
    let sparse = sparse_facts(&story.join("facts"), 1);
    check_quality(sparse.path(), &questions, one_pattern.0, one_pattern.1);
}

#[test]
fn the_sparse_copy_keeps_one_pattern_and_no_synonyms() {
    let sparse = sparse_snapshot();
    assert!(sparse.base.synonyms.is_empty());
    assert!(sparse.base.facts.iter().all(|f| f.questions.len() == 1));
    assert_eq!(sparse.base.facts.len(), snapshot().base.facts.len());
}

/// A hurried member's slip in a word no fact uses ("bakc": back, far more common than bake)
/// is read as the word meant, so "get back" finds the return even with one pattern a fact.
#[test]
fn a_swapped_pair_of_letters_in_a_common_word_is_read_as_the_far_commoner_reading() {
    assert_sparse_answer("when did boluarte get bakc to peru", "July 1");
}

/// "slience" is two letters swapped from "silence" but one changed from the facts' "science":
/// the usual slip wins, and "silence" finds the silent streak by meaning.
#[test]
fn a_usual_slip_to_an_english_word_beats_an_unusual_one_to_a_facts_word() {
    assert_sparse_answer("how long was her press slience", "90 days");
}

/// The bundled facts with one pattern a fact and no synonyms, snippets checked.
fn sparse_snapshot() -> Snapshot {
    let sparse = sparse_facts(&bundled_facts(), 1);
    Snapshot::load(&[sparse.path().to_path_buf()], &MatchSettings::default())
        .expect("the sparse copy loads, snippets checked")
}

/// `question` is answered, on the sparse bundled facts, by a fact whose answer holds `holds`.
#[track_caller]
fn assert_sparse_answer(question: &str, holds: &str) {
    let sparse = sparse_snapshot();
    let outcome = sparse.matcher.ask(question);
    assert_eq!(outcome.status, Status::Answered, "{outcome:?}");
    let fact = &sparse.base.facts[outcome.candidates[0].fact];
    assert!(fact.answer.contains(holds), "{}", fact.answer);
}

/// A question that shares no word the scorer trusts with any fact ("formally speaking to
/// reporters" for a press silence) is still offered the fact it means, found by meaning.
#[test]
fn a_question_no_fact_scores_for_is_offered_the_facts_closest_in_meaning() {
    let sparse = sparse_snapshot();
    let question = "How long has the president gone without formally speaking to reporters?";
    let outcome = sparse.matcher.ask(question);
    assert_eq!(outcome.status, Status::Unknown, "{outcome:?}");
    assert!(outcome.candidates.is_empty(), "{outcome:?}");
    let reply = factbot::reply::Reply::for_outcome(&sparse.base, &outcome);
    assert!(
        reply.text.ends_with("The closest topics I have:"),
        "{}",
        reply.text
    );
    assert_eq!(reply.buttons[0].fact.as_str(), "press-silence", "{reply:?}");
}

// (accuracy floor, most out-of-scope questions answered), as measured when last raised.
const FULL_DEV: (f64, usize) = (0.94, 0);
const FULL_H1: (f64, usize) = (0.925, 1);
const FULL_H2: (f64, usize) = (0.855, 7);
const FULL_H3: (f64, usize) = (0.885, 2);
const FULL_H4: (f64, usize) = (0.93, 1);
const SPARSE_DEV: (f64, usize) = (0.82, 0);
const SPARSE_H1: (f64, usize) = (0.815, 1);
const SPARSE_H2: (f64, usize) = (0.755, 4);
const SPARSE_H3: (f64, usize) = (0.785, 3);
const SPARSE_H4: (f64, usize) = (0.86, 0);
const STORY2: (f64, usize) = (0.693, 3);
const STORY2_ONE: (f64, usize) = (0.626, 3);
const STORY3: (f64, usize) = (0.773, 0);
const STORY3_ONE: (f64, usize) = (0.766, 0);
const STORY4: (f64, usize) = (0.78, 5);
const STORY4_ONE: (f64, usize) = (0.76, 3);
const STORY5: (f64, usize) = (0.686, 4);
const STORY5_ONE: (f64, usize) = (0.686, 3);
const STORY6: (f64, usize) = (0.74, 0);
const STORY6_ONE: (f64, usize) = (0.706, 0);
const STORY7: (f64, usize) = (0.72, 4);
const STORY7_ONE: (f64, usize) = (0.706, 3);
const STORY8: (f64, usize) = (0.72, 4);
const STORY8_ONE: (f64, usize) = (0.686, 4);
const STORY9: (f64, usize) = (0.593, 3);
const STORY9_ONE: (f64, usize) = (0.593, 1);
const STORY10: (f64, usize) = (0.6, 2);
const STORY10_ONE: (f64, usize) = (0.566, 2);
const STORY11: (f64, usize) = (0.706, 1);
const STORY11_ONE: (f64, usize) = (0.693, 1);
const STORY12: (f64, usize) = (0.72, 3);
const STORY12_ONE: (f64, usize) = (0.726, 2);
const STORY13: (f64, usize) = (0.74, 4);
const STORY13_ONE: (f64, usize) = (0.686, 4);
const STORY14: (f64, usize) = (0.7, 4);
const STORY14_ONE: (f64, usize) = (0.7, 5);
const STORY15: (f64, usize) = (0.646, 9);
const STORY15_ONE: (f64, usize) = (0.62, 7);
const STORY16: (f64, usize) = (0.72, 5);
const STORY16_ONE: (f64, usize) = (0.726, 4);
const STORY17: (f64, usize) = (0.666, 7);
const STORY17_ONE: (f64, usize) = (0.626, 6);
const STORY18: (f64, usize) = (0.653, 5);
const STORY18_ONE: (f64, usize) = (0.593, 4);
const STORY19: (f64, usize) = (0.62, 9);
const STORY19_ONE: (f64, usize) = (0.573, 7);
const STORY20: (f64, usize) = (0.653, 4);
const STORY20_ONE: (f64, usize) = (0.653, 4);
const STORY21: (f64, usize) = (0.773, 4);
const STORY21_ONE: (f64, usize) = (0.753, 4);
const STORY22: (f64, usize) = (0.686, 3);
const STORY22_ONE: (f64, usize) = (0.646, 3);
const STORY23: (f64, usize) = (0.746, 7);
const STORY23_ONE: (f64, usize) = (0.74, 9);
const STORY24: (f64, usize) = (0.686, 9);
const STORY24_ONE: (f64, usize) = (0.673, 5);
const STORY25: (f64, usize) = (0.68, 8);
const STORY25_ONE: (f64, usize) = (0.66, 6);
const STORY26: (f64, usize) = (0.74, 1);
const STORY26_ONE: (f64, usize) = (0.706, 1);
const STORY27: (f64, usize) = (0.78, 7);
const STORY27_ONE: (f64, usize) = (0.726, 6);
const STORY28: (f64, usize) = (0.613, 6);
const STORY28_ONE: (f64, usize) = (0.58, 5);
const STORY29: (f64, usize) = (0.686, 2);
const STORY29_ONE: (f64, usize) = (0.62, 4);
const STORY30: (f64, usize) = (0.606, 8);
const STORY30_ONE: (f64, usize) = (0.586, 5);
const STORY31: (f64, usize) = (0.553, 4);
const STORY31_ONE: (f64, usize) = (0.566, 2);
const STORY32: (f64, usize) = (0.64, 6);
const STORY32_ONE: (f64, usize) = (0.633, 6);
const STORY33: (f64, usize) = (0.726, 6);
const STORY33_ONE: (f64, usize) = (0.713, 7);
const STORY34: (f64, usize) = (0.72, 7);
const STORY34_ONE: (f64, usize) = (0.72, 7);
const STORY35: (f64, usize) = (0.733, 4);
const STORY35_ONE: (f64, usize) = (0.68, 5);
const STORY36: (f64, usize) = (0.72, 7);
const STORY36_ONE: (f64, usize) = (0.706, 6);
const STORY37: (f64, usize) = (0.626, 4);
const STORY37_ONE: (f64, usize) = (0.613, 4);
const STORY38: (f64, usize) = (0.573, 11);
const STORY38_ONE: (f64, usize) = (0.553, 8);
const STORY39: (f64, usize) = (0.633, 7);
const STORY39_ONE: (f64, usize) = (0.62, 9);
const STORY40: (f64, usize) = (0.593, 8);
const STORY40_ONE: (f64, usize) = (0.573, 8);
const STORY41: (f64, usize) = (0.566, 11);
const STORY41_ONE: (f64, usize) = (0.546, 11);
const STORY42: (f64, usize) = (0.6, 4);
const STORY42_ONE: (f64, usize) = (0.553, 5);
const STORY43: (f64, usize) = (0.586, 6);
const STORY43_ONE: (f64, usize) = (0.6, 5);
const STORY44: (f64, usize) = (0.633, 8);
const STORY44_ONE: (f64, usize) = (0.6, 6);
const STORY45: (f64, usize) = (0.653, 6);
const STORY45_ONE: (f64, usize) = (0.633, 5);
const STORY46: (f64, usize) = (0.706, 8);
const STORY46_ONE: (f64, usize) = (0.7, 8);
const STORY47: (f64, usize) = (0.746, 2);
const STORY47_ONE: (f64, usize) = (0.746, 1);
const STORY48: (f64, usize) = (0.686, 6);
const STORY48_ONE: (f64, usize) = (0.66, 7);
const STORY49: (f64, usize) = (0.553, 10);
const STORY49_ONE: (f64, usize) = (0.506, 11);
const STORY50: (f64, usize) = (0.553, 12);
const STORY50_ONE: (f64, usize) = (0.546, 12);
const STORY51: (f64, usize) = (0.62, 10);
const STORY51_ONE: (f64, usize) = (0.606, 9);
const STORY52: (f64, usize) = (0.633, 9);
const STORY52_ONE: (f64, usize) = (0.646, 7);
