//! What a whole text is about, in meaning: the sum of its words' vectors (`meaning.rs`),
//! each weighed by how rare the word is among the facts.
//!
//! The scorer asks of each question word whether a fact has it or a word close to it. A
//! paraphrase that changes most of its words ("How many dwellings were lost to the flames?")
//! can then lean to a fact that shares one rare word with it, and a near miss to a fact that
//! shares two. Read whole, the question and the right fact still point the same way more
//! often than the question and the others do. That is too weak to rank facts by (a static
//! vector per word knows nothing of word order or of who did what), so it tells the confidence
//! model how well the best candidate's gist fits the question's, and by how much more than the
//! next candidates' ([`super::Signals::meaning_fit`], `meaning_lead`): a third reader besides
//! the words and the letters. And when no fact scored enough to offer, it names those of the
//! facts the scorer found that lie nearest in meaning ([`Gists::nearest`]): not an answer,
//! but better topics to offer than the story's starting points. Names, numbers and dates have no vector (`meaning::Excluded`), so only
//! what the texts say about them counts here.

use super::analyzer::Term;
use super::meaning::{self, FactWords, MEANINGS};
use super::Candidate;

/// How many candidates after the best its gist is compared with, as for the letters.
const RIVALS: usize = 4;

/// The least fit of a fact offered as a topic close to a question nothing answered: below it
/// the fact's words and the question's share nothing the table sees, and the story's own
/// starting points serve a member better.
const NEAREST_FLOOR: f32 = 0.3;

/// Every fact's gist, a vector of the table's dimensions (zero for a fact none of whose words
/// has a meaning in the table). Immutable; built with the index. Stored as the table stores
/// words, scaled so that its largest component is ±127: a byte a component keeps a base of
/// 20,000 facts at 2 MiB.
#[derive(Default)]
pub(super) struct Gists {
    dims: usize,
    /// `dims` components a fact, in fact order.
    facts: Vec<i8>,
    /// Each fact's vector's length (0 for a zero vector).
    norms: Vec<f32>,
}

impl Gists {
    /// `words`: the facts' words with a meaning; `weight` and `postings` are the index's, by
    /// term id (a fact's field weight per posting).
    pub(super) fn new(
        n_facts: usize,
        words: &FactWords,
        weight: &[f32],
        postings: &[Vec<(u32, f32)>],
    ) -> Self {
        let dims = MEANINGS.dims();
        let mut facts = vec![0.0f32; n_facts * dims];
        for (id, vector, norm) in words.each() {
            let id = id as usize;
            for &(fact, field) in &postings[id] {
                let scale = weight[id] * field / norm;
                let row = &mut facts[fact as usize * dims..][..dims];
                for (sum, &x) in row.iter_mut().zip(vector) {
                    *sum += scale * f32::from(x);
                }
            }
        }
        Self::from_sums(dims, &facts)
    }

    /// Quantises each fact's summed vector (`dims` components a fact) to ±127.
    fn from_sums(dims: usize, sums: &[f32]) -> Self {
        let mut gists = Self {
            dims,
            facts: Vec::with_capacity(sums.len()),
            norms: Vec::with_capacity(sums.len() / dims.max(1)),
        };
        for row in sums.chunks_exact(dims.max(1)) {
            let norm = quantise(row, &mut gists.facts);
            gists.norms.push(norm);
        }
        gists
    }

    /// The question's gist from its weighed terms (`(weight, term)` of each term that may
    /// count by meaning); of length 0 when none has a vector.
    pub(super) fn question<'t>(&self, terms: impl Iterator<Item = (f32, &'t Term)>) -> Gist {
        let mut sum = vec![0.0f32; self.dims];
        for (weight, term) in terms {
            let Some((vector, norm)) = MEANINGS.vector(&term.text) else {
                continue;
            };
            for (sum, &x) in sum.iter_mut().zip(vector) {
                *sum += weight / norm * f32::from(x);
            }
        }
        Gist::of(&sum)
    }

    /// How well the best candidate's gist fits the question's (cosine), and its lead over the
    /// likeliest of the next candidates (none counts below 0).
    pub(super) fn fit_and_lead(&self, question: &Gist, candidates: &[Candidate]) -> (f32, f32) {
        let Some(best) = candidates.first() else {
            return (0.0, 0.0);
        };
        let fit = self.fit(question, best.fact);
        let rival = candidates[1..]
            .iter()
            .take(RIVALS)
            .map(|c| self.fit(question, c.fact))
            .fold(0.0, f32::max);
        (fit, fit - rival)
    }

    /// The `n` facts `among` those given whose gist fits the question's best, best first,
    /// leaving out those under [`NEAREST_FLOOR`]; none for a question without a gist. Matching
    /// asks it of the facts the scorer found (they share a word, or one close in meaning,
    /// with the question), so it never reads every fact's gist.
    pub(super) fn nearest(
        &self,
        question: &Gist,
        among: impl Iterator<Item = usize>,
        n: usize,
    ) -> Vec<usize> {
        if question.norm == 0.0 {
            return Vec::new();
        }
        let mut fits: Vec<(usize, f32)> = among
            .map(|fact| (fact, self.fit(question, fact)))
            .filter(|&(_, fit)| fit >= NEAREST_FLOOR)
            .collect();
        fits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        fits.into_iter().take(n).map(|(fact, _)| fact).collect()
    }

    /// The cosine of the question's gist and the fact's.
    fn fit(&self, question: &Gist, fact: usize) -> f32 {
        let norm = self.norms.get(fact).copied().unwrap_or(0.0);
        if question.norm == 0.0 || norm == 0.0 {
            return 0.0;
        }
        let row = &self.facts[fact * self.dims..(fact + 1) * self.dims];
        meaning::dot(row, &question.vector) / (norm * question.norm)
    }
}

/// A question's gist, quantised as the facts' are, so a fit is one integer dot product.
#[derive(Default)]
pub(super) struct Gist {
    vector: Vec<i8>,
    /// The vector's length; 0 when no word of the question has a meaning in the table.
    norm: f32,
}

impl Gist {
    fn of(sum: &[f32]) -> Self {
        let mut vector = Vec::with_capacity(sum.len());
        let norm = quantise(sum, &mut vector);
        Self { vector, norm }
    }
}

/// Appends `row` scaled so that its largest component is ±127, rounded, to `out`, and gives
/// the quantised vector's length (0 for a zero row).
fn quantise(row: &[f32], out: &mut Vec<i8>) -> f32 {
    let largest = row.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    let scale = if largest > 0.0 { 127.0 / largest } else { 0.0 };
    let start = out.len();
    // In range by construction: |x| * scale <= 127.
    out.extend(row.iter().map(|x| (x * scale).round() as i8));
    let quantised = &out[start..];
    meaning::dot(quantised, quantised).sqrt()
}

#[cfg(test)]
mod tests {
    use super::super::testing::load;
    use super::*;

    /// Each fact's fit to a question, best first, over a base of `(id, pattern, answer)`.
    fn fits_of(facts: &[(&str, &str, &str)], question: &str) -> Vec<(String, f32)> {
        let text: String = facts
            .iter()
            .map(|(id, question, answer)| {
                format!(
                    "\n[[facts]]\nid = \"{id}\"\nquestions = [\"{question}\"]\n\
                     answer = \"{answer}\"\nsnippet = \"S\"\n"
                )
            })
            .collect();
        let (base, matcher) = load(&text);
        let gist = matcher.question_gist(&matcher.question(question));
        let mut fits: Vec<(String, f32)> = base
            .facts
            .iter()
            .enumerate()
            .map(|(at, fact)| (fact.id.as_str().to_owned(), matcher.gists.fit(&gist, at)))
            .collect();
        fits.sort_by(|a, b| b.1.total_cmp(&a.1));
        fits
    }

    #[test]
    fn a_paraphrase_fits_the_fact_it_paraphrases_best() {
        let facts = [
            (
                "media",
                "Which media reported on the visit?",
                "Reuters and Xinhua reported it.",
            ),
            (
                "port",
                "Where is the new port?",
                "The port is 80 km north of Lima.",
            ),
            (
                "trade",
                "How much do they trade?",
                "Trade reached $36 billion.",
            ),
        ];
        let fits = fits_of(&facts, "Which newspapers wrote about the trip?");
        assert_eq!(fits[0].0, "media", "{fits:?}");
        assert!(fits[0].1 > fits[1].1 + 0.05, "{fits:?}");
        let fits = fits_of(&facts, "Where does the harbour sit?");
        assert_eq!(fits[0].0, "port", "{fits:?}");
        assert!(fits[0].1 > fits[1].1 + 0.05, "{fits:?}");
    }

    #[test]
    fn a_question_of_names_and_numbers_only_has_no_gist() {
        let facts = [(
            "visit",
            "When did Boluarte visit China?",
            "Boluarte visited China in June 2024.",
        )];
        let fits = fits_of(&facts, "Boluarte 2024?");
        assert_eq!(fits[0].1, 0.0, "{fits:?}");
    }

    #[test]
    fn the_nearest_facts_come_best_first_and_none_under_the_floor() {
        let gists = Gists::from_sums(2, &[0.6, 0.8, 1.0, 0.0, 0.0, 1.0, -1.0, 0.0, 0.8, 0.6]);
        let east = Gist::of(&[1.0, 0.0]);
        assert_eq!(gists.nearest(&east, 0..5, 3), [1, 4, 0]);
        assert_eq!(
            gists.nearest(&east, 0..5, 9),
            [1, 4, 0],
            "0.0 and -1.0 are under the floor"
        );
        assert_eq!(
            gists.nearest(&east, [0, 2, 3].into_iter(), 9),
            [0],
            "only among those given"
        );
        assert!(
            gists.nearest(&Gist::of(&[0.0, 0.0]), 0..5, 3).is_empty(),
            "a question without a gist"
        );
    }

    #[test]
    fn the_lead_is_over_the_likeliest_rival_and_none_counts_below_zero() {
        let gists = Gists::from_sums(2, &[1.0, 0.0, 0.6, 0.8, -1.0, 0.0]);
        let candidate = |fact| Candidate {
            fact,
            score: 0.5,
            missing_share: 0.0,
            evidence: 1.0,
            signals: Default::default(),
        };
        let question = Gist::of(&[1.0, 0.0]);
        let (fit, lead) = gists.fit_and_lead(&question, &[candidate(0), candidate(1)]);
        assert!(
            (fit - 1.0).abs() < 0.01 && (lead - 0.4).abs() < 0.01,
            "{fit} {lead}"
        );
        let (_, lead) = gists.fit_and_lead(&question, &[candidate(0), candidate(2)]);
        assert!(
            (lead - 1.0).abs() < 1e-6,
            "a rival pointing away counts as 0"
        );
        assert_eq!(gists.fit_and_lead(&question, &[]), (0.0, 0.0));
    }
}
