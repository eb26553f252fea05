//! How alike a question and each fact look letter by letter: the letter trigrams of their
//! words, weighed by how few facts hold them (tf-idf), compared by cosine.
//!
//! The scorer reads words: stems, typo fixes, meanings, vetoes. This second reader sees only
//! letters, so it is wrong in other ways: it sees a typo, an inflection or a snippet's wording
//! where words alone missed them, and it knows nothing of meaning. So it only reorders the few
//! facts the scorer found best (a candidate loses score by how much less it looks like the
//! question than one scored below it, [`Surface::weigh`]), and it tells the confidence model
//! whether the two readers agree: when the best fact also looks more like the question than
//! the next ones, the answer is more likely right ([`super::Signals::surface_lead`]).

use rustc_hash::FxHashMap;

use super::text;
use super::Candidate;

/// How many candidates after the best are reordered with it and its likeness compared with:
/// the facts the scorer also found, not every fact of the base.
const RIVALS: usize = 4;

/// The letter-trigram profiles of every fact of a base. Immutable; built with the index.
#[derive(Default)]
pub(super) struct Surface {
    /// Each trigram of the facts, packed (see [`pack`]), to its id.
    ids: FxHashMap<u64, u32>,
    /// Per trigram id: its inverse document frequency over the facts.
    idf: Vec<f32>,
    /// Per fact: its profile, sorted by trigram id, of unit length.
    facts: Vec<Box<[(u32, f32)]>>,
}

/// A question's profile: trigram ids the facts know, sorted, of unit length.
pub(super) type Profile = Vec<(u32, f32)>;

/// Likenesses to a question already measured, by fact.
pub(super) type Measured = Vec<(usize, f32)>;

impl Surface {
    /// Profiles each fact from the words of all its texts (`texts[fact]`: patterns, answer,
    /// snippet; tokenised as questions are).
    pub(super) fn new<T: AsRef<str>>(texts: impl Iterator<Item = impl Iterator<Item = T>>) -> Self {
        let mut ids: FxHashMap<u64, u32> = FxHashMap::default();
        let mut counts: Vec<Vec<(u32, u32)>> = Vec::new();
        let mut document_frequency: Vec<u32> = Vec::new();
        for fact_texts in texts {
            let mut fact: FxHashMap<u32, u32> = FxHashMap::default();
            for text in fact_texts {
                text::each_token(text.as_ref(), |token| {
                    each_trigram(token, |trigram| {
                        let next = ids.len() as u32;
                        let id = *ids.entry(trigram).or_insert(next);
                        *fact.entry(id).or_default() += 1;
                    });
                });
            }
            document_frequency.resize(ids.len(), 0);
            for &id in fact.keys() {
                document_frequency[id as usize] += 1;
            }
            counts.push(fact.into_iter().collect());
        }
        let documents = counts.len() as f32;
        let idf = document_frequency
            .iter()
            .map(|&df| ((1.0 + documents) / (1.0 + df as f32)).ln() + 1.0)
            .collect::<Vec<f32>>();
        let facts = counts
            .into_iter()
            .map(|fact| weighed(fact, &idf).into_boxed_slice())
            .collect();
        ids.shrink_to_fit();
        Surface { ids, idf, facts }
    }

    /// The profile of a question's tokens; trigrams no fact holds say nothing about any fact.
    pub(super) fn profile(&self, tokens: &[String]) -> Profile {
        let mut ids = Vec::with_capacity(64);
        for token in tokens {
            each_trigram(token, |trigram| ids.extend(self.ids.get(&trigram)));
        }
        ids.sort_unstable();
        let mut counts: Vec<(u32, u32)> = Vec::with_capacity(ids.len());
        for id in ids {
            match counts.last_mut() {
                Some((last, n)) if *last == id => *n += 1,
                _ => counts.push((id, 1)),
            }
        }
        weighed(counts, &self.idf)
    }

    /// Lowers the score of each of the first candidates by how much less it looks like the
    /// question than the likeliest of those scored below it (`weight` per unit of cosine), and
    /// sorts them again. Never by those above it: letters may bring a fact forward, never widen
    /// the lead of one that already stands first, so a question that names two topics ("port
    /// announcement owner") still offers both.
    /// Returns the likenesses it measured, for [`Surface::lead`].
    pub(super) fn weigh(
        &self,
        question: &Profile,
        candidates: &mut [Candidate],
        weight: f32,
    ) -> Measured {
        let first = candidates.len().min(RIVALS + 1);
        if first < 2 || weight == 0.0 {
            return Vec::new();
        }
        let measured: Measured = candidates[..first]
            .iter()
            .map(|c| (c.fact, self.likeness(question, c.fact)))
            .collect();
        let mut below = 0.0f32;
        let likenesses = measured.iter().map(|&(_, likeness)| likeness);
        for (candidate, likeness) in candidates[..first].iter_mut().zip(likenesses).rev() {
            candidate.score = (candidate.score - weight * (below - likeness).max(0.0)).max(0.0);
            below = below.max(likeness);
        }
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.fact.cmp(&b.fact)));
        measured
    }

    /// The best candidate's likeness to the question less the likeliest of the next
    /// [`RIVALS`] (`candidates` sorted best first); the best's own likeness when it is alone.
    /// `measured`: likenesses already measured, by fact.
    pub(super) fn lead(
        &self,
        question: &Profile,
        candidates: &[Candidate],
        measured: &Measured,
    ) -> f32 {
        let likeness = |fact: usize| match measured.iter().find(|&&(f, _)| f == fact) {
            Some(&(_, likeness)) => likeness,
            None => self.likeness(question, fact),
        };
        let Some(best) = candidates.first() else {
            return 0.0;
        };
        let rival = candidates[1..]
            .iter()
            .take(RIVALS)
            .map(|c| likeness(c.fact))
            .fold(0.0, f32::max);
        likeness(best.fact) - rival
    }

    /// The cosine of the question's profile and the fact's.
    fn likeness(&self, question: &Profile, fact: usize) -> f32 {
        let Some(profile) = self.facts.get(fact) else {
            return 0.0;
        };
        question
            .iter()
            .filter_map(|&(id, weight)| {
                let at = profile.binary_search_by_key(&id, |&(id, _)| id).ok()?;
                Some(weight * profile[at].1)
            })
            .sum()
    }
}

/// Each trigram of a token with a space either side, packed, so that a word's first and last
/// letters count ("port" gives " po", "por", "ort", "rt "); a one-letter token gives one.
fn each_trigram(token: &str, mut emit: impl FnMut(u64)) {
    let padded = std::iter::once(' ')
        .chain(token.chars())
        .chain(std::iter::once(' '));
    let (mut a, mut b) = (' ', ' ');
    for (seen, c) in padded.enumerate() {
        if seen >= 2 {
            emit(pack(a, b, c));
        }
        (a, b) = (b, c);
    }
}

/// Three characters as one number: 21 bits each hold any Unicode scalar.
fn pack(a: char, b: char, c: char) -> u64 {
    (u64::from(a) << 42) | (u64::from(b) << 21) | u64::from(c)
}

/// Counts of trigram ids weighed by sublinear frequency and rarity, sorted, scaled to unit
/// length (empty when there are none).
fn weighed(counts: Vec<(u32, u32)>, idf: &[f32]) -> Vec<(u32, f32)> {
    let mut profile: Vec<(u32, f32)> = counts
        .into_iter()
        .map(|(id, n)| (id, (1.0 + (n as f32).ln()) * idf[id as usize]))
        .collect();
    profile.sort_unstable_by_key(|&(id, _)| id);
    let norm = profile.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, weight) in &mut profile {
            *weight /= norm;
        }
    }
    profile
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::Signals;

    fn surface(facts: &[&str]) -> Surface {
        Surface::new(facts.iter().map(|text| std::iter::once(*text)))
    }

    fn tokens(text: &str) -> Vec<String> {
        text::question_tokens(text)
    }

    /// Three facts, and a question about the second: the port's opening.
    fn port_opening() -> (Surface, Profile) {
        let surface = surface(&[
            "The port cost 3.5 billion dollars",
            "The port opened in November",
            "Boluarte met Xi in Beijing",
        ]);
        let question = surface.profile(&tokens("when did the port open"));
        (surface, question)
    }

    fn candidate(fact: usize) -> Candidate {
        Candidate {
            fact,
            score: 0.5,
            missing_share: 0.0,
            evidence: 1.0,
            signals: Signals::default(),
        }
    }

    #[test]
    fn a_fact_is_most_like_its_own_words_and_a_slip_of_them() {
        let surface = surface(&[
            "The new port at Chancay cost 3.5 billion dollars",
            "President Boluarte met President Xi in Beijing",
        ]);
        let own = surface.profile(&tokens("How much did the Chancay port cost?"));
        let slip = surface.profile(&tokens("how much did teh chancai prot cost"));
        for question in [&own, &slip] {
            assert!(surface.likeness(question, 0) > 2.0 * surface.likeness(question, 1));
        }
        assert!(surface.likeness(&own, 0) <= 1.0 + 1e-5);
    }

    #[test]
    fn the_lead_is_over_the_likeliest_of_the_next_candidates() {
        let (surface, question) = port_opening();
        let sure = surface.lead(&question, &[candidate(1), candidate(2)], &Vec::new());
        let near = surface.lead(
            &question,
            &[candidate(1), candidate(0), candidate(2)],
            &Vec::new(),
        );
        assert!(sure > near && near > 0.0, "{sure} {near}");
        let wrong = surface.lead(&question, &[candidate(2), candidate(1)], &Vec::new());
        assert!(wrong < 0.0, "{wrong}");
        assert_eq!(surface.lead(&question, &[], &Vec::new()), 0.0);
    }

    #[test]
    fn a_close_candidate_that_looks_more_like_the_question_moves_ahead() {
        let (surface, question) = port_opening();
        let scored = |scores: [(usize, f32); 3], weight: f32| {
            let mut candidates: Vec<Candidate> = scores
                .iter()
                .map(|&(fact, score)| Candidate {
                    score,
                    ..candidate(fact)
                })
                .collect();
            surface.weigh(&question, &mut candidates, weight);
            candidates
                .iter()
                .map(|c| (c.fact, c.score))
                .collect::<Vec<_>>()
        };
        let close = scored([(0, 0.5), (1, 0.45), (2, 0.2)], 0.5);
        assert_eq!(close.iter().map(|c| c.0).collect::<Vec<_>>(), [1, 0, 2]);
        assert_eq!(close[0].1, 0.45, "the likeliest keeps its score");
        let far = scored([(0, 0.7), (1, 0.3), (2, 0.2)], 0.5);
        assert_eq!(far.iter().map(|c| c.0).collect::<Vec<_>>(), [0, 1, 2]);
        let leading = [(1, 0.5), (0, 0.45), (2, 0.2)];
        assert_eq!(
            scored(leading, 0.5),
            leading,
            "a leader that looks most like the question gains no lead"
        );
        let off = [(0, 0.5), (1, 0.45), (2, 0.2)];
        assert_eq!(scored(off, 0.0), off, "0 turns it off");
    }

    #[test]
    fn a_word_gives_its_trigrams_with_a_space_either_side() {
        let mut got = Vec::new();
        each_trigram("port", |t| got.push(t));
        let want: Vec<u64> = [" po", "por", "ort", "rt "]
            .iter()
            .map(|t| {
                let c: Vec<char> = t.chars().collect();
                pack(c[0], c[1], c[2])
            })
            .collect();
        assert_eq!(got, want);
        let mut one = Vec::new();
        each_trigram("a", |t| one.push(t));
        assert_eq!(one, [pack(' ', 'a', ' ')]);
    }

    #[test]
    fn words_no_fact_holds_leave_an_empty_profile() {
        let surface = surface(&["The port cost 3.5 billion dollars"]);
        assert!(surface.profile(&tokens("xyzzy qwv")).is_empty());
        assert_eq!(surface.likeness(&Vec::new(), 0), 0.0);
    }

    #[test]
    fn the_matcher_gives_the_best_fact_its_lead_in_likeness() {
        let (_, matcher) = crate::matcher::testing::load(
            r#"
[[facts]]
id = "port-cost"
questions = ["How much did the port cost?"]
answer = "The Chancay port cost 3.5 billion dollars."
snippet = "S"

[[facts]]
id = "visit"
questions = ["Where did Boluarte go?"]
answer = "Boluarte visited Beijing and Shanghai."
snippet = "S"
"#,
        );
        let outcome = matcher.ask("how much did the chancay port cost");
        let best = &outcome.candidates[0];
        assert_eq!(best.fact, 0);
        assert!(best.signals.surface_lead > 0.3, "{:?}", best.signals);
    }
}
