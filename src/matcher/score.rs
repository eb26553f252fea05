//! Scoring: every fact that shares a term with the question, and how well it covers it.
//!
//! The stages, in order: [`Matcher::weigh`] gives each question term its weight (rarity across
//! facts; a word no fact mentions weighs most), [`Matcher::accumulate`] sums the matched weight
//! per fact and per pattern, [`Matcher::add_meaning`] credits words close in meaning to a
//! fact's own, the pattern fits and the coverage blend into a score, and
//! [`Matcher::missing_share`] with [`Veto`] says what the fact lacks that the question asks.

use std::ops::Range;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

use super::analyzer::Term;
use super::question::{self, Question};
use super::{lexicon, meaning, text, Candidate, Matcher, Signals};

/// How much the second-best pattern of a fact counts in its pattern fit: enough to break ties
/// between sibling facts, too little to outvote a pattern that fits well.
const SECOND_PATTERN_SHARE: f32 = 0.2;

/// How much of the question a pattern must hold, and of the pattern the question, for the
/// question to be taken as asked the moderator's way (see [`Matcher::pattern_fits`]).
const OWN_WORDING_FIT: f32 = 0.97;

/// The most facts a name of the story may be in for a fact without it to answer no question
/// naming it (see [`Matcher::own_names`]): a name in more is the story's subject (the mayor,
/// the club), which a fact may leave implicit ("The former mayor was sentenced to …").
const OWN_NAME_FACTS: usize = 3;

/// The share of a fact's evidence below which the rest of it counts as nothing (float sums).
const NOTHING_ELSE: f32 = 1e-4;

/// A map keyed by fact or pattern index. Such keys need no protection against crafted
/// collisions (members choose words, not indices), so FxHash replaces SipHash on the hot
/// path. No result depends on its iteration order: sums are taken term by term, and the
/// candidates are sorted with a tie-break on the fact.
type IdMap<V> = FxHashMap<u32, V>;

/// A question term with its id in the index (None for a word the facts never mention) and its
/// weight.
pub(super) type Weighed<'t> = (Option<usize>, f32, &'t Term);

impl Matcher {
    /// Every fact that shares a term with the question, with its score: a blend of how much
    /// of the question the whole fact covers (answer text included) and how well its best
    /// pattern fits the question both ways (so extra words on either side count against it).
    pub(super) fn score(&self, question: &Question) -> Vec<Candidate> {
        let terms = &question.terms;
        let weighed: Vec<Weighed> = terms.iter().map(|term| self.weigh(term)).collect();
        let question_total = weighed
            .iter()
            .map(|(_, weight, _)| weight)
            .sum::<f32>()
            .max(f32::EPSILON);
        let (mut facts, mut patterns) = self.accumulate(&weighed);
        // What a "how many" or "which" question asks about, which a fact must mention.
        let focus = if question.names_what_it_counts {
            counted_term(&weighed).map(|at| at..at + 1)
        } else if question.picks_by > 0 {
            picked_term(&weighed, question.picks_by)
        } else {
            None
        };
        let mut focus_by_meaning = Vec::new();
        let meant = self.add_meaning(
            &weighed,
            &mut facts,
            &mut patterns,
            focus.clone().map(|at| (at, &mut focus_by_meaning)),
        );
        let unknown = weighed
            .iter()
            .zip(&meant)
            .filter(|((id, _, term), &meant)| {
                id.is_none()
                    && !meant
                    && !term.is_question_word
                    && !term.is_generic
                    && !names_what_is_asked(term)
            })
            .map(|((_, weight, _), _)| weight)
            .sum::<f32>()
            / question_total;
        let counts_the_unknown =
            !question.counts_a_compound && counts_something_unknown(&weighed, &meant);
        let asked_roles = self.asked_roles(question);
        let listed = listed_count(terms);
        let pattern_fits = self.pattern_fits(patterns, question_total, facts.len());
        let asked_kinds: Vec<&str> = terms.iter().filter_map(asked_kind).collect();
        let asks_quantity = asked_kinds.contains(&"quantity");
        let asks_when = asked_kinds.contains(&"when");
        let asks_which_people = self.asks_which_people(terms);
        // "Who owns Shannon Aero Leasing?" asks for someone besides what it names; "Who is
        // Gustavo Arrieta?" for a description of whom it names.
        let asks_who = asked_kinds.first() == Some(&"who") && !question.asks_who_is;
        let names = self.names_among(&weighed);
        let own_names = self.own_names(&weighed, &names);
        let asks_figure_about_names = (asks_quantity || asks_duration(terms))
            && weighed
                .iter()
                .zip(&names)
                .any(|((_, _, term), &name)| !name && says_what_is_asked_about(term));
        let share = self.settings.pattern_share;
        // What does not depend on the fact, once: candidates can number in the hundreds.
        let texts: Vec<&str> = terms.iter().map(|t| t.text.as_str()).collect();
        let vetoes: Vec<Veto> = weighed
            .iter()
            .map(|&(id, _, term)| Veto::of(id, term))
            .collect();
        let kin = self.attribute_kin(&weighed, &vetoes);
        let not_paraphrased = vec![0.0; weighed.len()];
        let mut candidates: Vec<Candidate> = facts
            .into_iter()
            .filter(|(_, (_, evidence))| *evidence > 0.0)
            .map(|(fact, (matched, evidence))| {
                let owned;
                let paraphrased =
                    if question.related.is_empty() && kin.iter().all(|ids| ids.is_empty()) {
                        &not_paraphrased
                    } else {
                        owned = self.paraphrased(fact, &weighed, &question.related, &kin);
                        &owned
                    };
                let credit = self.settings.related_word_credit * paraphrased.iter().sum::<f32>();
                let coverage = ((matched + credit) / question_total).min(1.0);
                let (best, second, own_wording) =
                    pattern_fits.get(&fact).copied().unwrap_or_default();
                let pattern = (1.0 - SECOND_PATTERN_SHARE) * best + SECOND_PATTERN_SHARE * second;
                let mut score = ((1.0 - share) * coverage + share * pattern).clamp(0.0, 1.0);
                // A question worded as the fact's own pattern asks what the moderator said
                // the fact answers: its answer's kind is not second-guessed.
                let kind_fits = own_wording
                    || asked_kinds
                        .iter()
                        .any(|kind| self.answer_kinds[fact as usize].fits(kind))
                    || asked_kinds.is_empty();
                if !kind_fits {
                    score *= self.settings.answer_kind_penalty;
                }

                let missing = Missing {
                    weighed: &weighed,
                    vetoes: &vetoes,
                    kin: &kin,
                    paraphrased,
                    texts: &texts,
                    total: question_total,
                };
                let missing_share = self.missing_share(fact, &missing);
                let context_vetoes = question
                    .context
                    .iter()
                    .any(|ids| !ids.iter().any(|&id| self.mentions(id, fact)));
                let kinds = &self.answer_kinds[fact as usize];
                let misses_focus = !own_wording
                    && (asked_roles.iter().any(|role| {
                        kinds.leaves_unnamed(role.text, &texts)
                            || (role.focus
                                && paraphrased[role.at] == 0.0
                                && [role.id, role.doing_id]
                                    .iter()
                                    .all(|id| id.is_none_or(|id| !self.mentions(id, fact))))
                    }) || listed.is_some_and(|count| !kinds.can_list(count))
                        || (asks_quantity && kinds.only_echoes(&texts))
                        || (question.asks_how_many && !kinds.counts())
                        || (question.asks_when_ahead && asks_when && !kinds.looks_ahead())
                        || (asks_which_people && !kinds.names_someone_besides(&texts))
                        || (asks_who && !kinds.tells_who_besides(&texts))
                        || (asks_figure_about_names
                            && self.matches_only_names(fact, &weighed, &names, evidence + credit)));
                let lacks_the_focus = focus.as_ref().is_some_and(|at| {
                    at.clone().all(|at| {
                        paraphrased[at] == 0.0
                            && weighed[at].0.is_none_or(|id| !self.mentions(id, fact))
                    }) && focus_by_meaning.binary_search(&fact).is_err()
                });
                let misses_focus = misses_focus || lacks_the_focus;
                let about_someone_else = own_names.iter().any(|&id| !self.mentions(id, fact));
                let missing_share =
                    if context_vetoes || counts_the_unknown || misses_focus || about_someone_else {
                        1.0
                    } else {
                        missing_share
                    };
                Candidate {
                    fact: fact as usize,
                    score,
                    missing_share,
                    evidence,
                    signals: Signals {
                        coverage,
                        pattern,
                        unknown,
                        kind_fits: f32::from(u8::from(kind_fits)),
                        margin: 0.0,
                        own_wording,
                        ..Signals::default()
                    },
                }
            })
            .collect();
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.fact.cmp(&b.fact)));
        candidates
    }

    /// Per fact: the best and second-best fits of its patterns to the question (the harmonic
    /// mean of how much of the question and how much of the pattern they share), and whether
    /// the question is one of them word for word. A fact several of whose patterns fit is more
    /// surely the one meant than one with a single lucky pattern.
    fn pattern_fits(
        &self,
        patterns: IdMap<f32>,
        question_total: f32,
        n_facts: usize,
    ) -> IdMap<(f32, f32, bool)> {
        let mut pattern_fits: IdMap<(f32, f32, bool)> =
            IdMap::with_capacity_and_hasher(n_facts, Default::default());
        for (pattern, matched) in patterns {
            let precision = matched / question_total;
            let recall = (matched / self.pattern_total[pattern as usize]).min(1.0);
            let fit = if matched > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            let as_asked = matched / self.pattern_total_as_asked[pattern as usize];
            let (best, second, own_wording) = pattern_fits
                .entry(self.pattern_fact[pattern as usize])
                .or_default();
            *own_wording |= precision.min(as_asked) >= OWN_WORDING_FIT;
            if fit > *best {
                *second = *best;
                *best = fit;
            } else if fit > *second {
                *second = fit;
            }
        }
        pattern_fits
    }

    /// Sums, per fact and per pattern, the weight of the question's terms they contain.
    ///
    /// Terms are taken rarest first. A term in very many facts (a story's "Peru", "China") is
    /// not walked: it only adds to facts and patterns the rarer terms already found, looked up
    /// by binary search, so a question costs what its rare words cost even on a large base.
    /// A question made only of common terms walks them all.
    fn accumulate(&self, weighed: &[Weighed]) -> (IdMap<(f32, f32)>, IdMap<f32>) {
        // Per fact: (matched weight, matched content-word weight); per pattern: matched weight.
        let mut facts: IdMap<(f32, f32)> = IdMap::with_capacity_and_hasher(64, Default::default());
        let mut patterns: IdMap<f32> = IdMap::with_capacity_and_hasher(256, Default::default());
        let mut known: Vec<(usize, f32, &Term)> = weighed
            .iter()
            .filter_map(|&(id, weight, term)| Some((id?, weight, term)))
            .collect();
        known.sort_by_key(|&(id, _, _)| (self.pattern_postings[id].len(), id));
        for (id, weight, term) in known {
            let add = |entry: &mut (f32, f32), field: f32| {
                entry.0 += weight * field;
                if !term.is_question_word {
                    entry.1 += weight * field;
                }
            };
            let fact_postings = &self.fact_postings[id];
            if fact_postings.len() <= self.long_postings || facts.is_empty() {
                for &(fact, field) in fact_postings {
                    add(facts.entry(fact).or_default(), field);
                }
            } else {
                for (&fact, entry) in &mut facts {
                    if let Some(field) = self.field_of(id, fact) {
                        add(entry, field);
                    }
                }
            }
            let pattern_postings = &self.pattern_postings[id];
            if pattern_postings.len() <= self.long_pattern_postings || patterns.is_empty() {
                for &pattern in pattern_postings {
                    *patterns.entry(pattern).or_default() += weight;
                }
            } else {
                for (pattern, matched) in &mut patterns {
                    if pattern_postings.binary_search(pattern).is_ok() {
                        *matched += weight;
                    }
                }
            }
        }
        (facts, patterns)
    }

    /// Credits each fact and pattern for the question's words it lacks but has a word close
    /// in meaning to ("harbour" for a fact about a port), graded by how close, once per
    /// question word: its closest word in the fact counts. The facts close to the question's
    /// `focus` terms are added to its list, sorted.
    fn add_meaning(
        &self,
        weighed: &[Weighed],
        facts: &mut IdMap<(f32, f32)>,
        patterns: &mut IdMap<f32>,
        mut focus: Option<(Range<usize>, &mut Vec<u32>)>,
    ) -> Vec<bool> {
        let settings = &self.settings;
        let mut meant = vec![false; weighed.len()];
        if settings.meaning_credit <= 0.0 {
            return meant;
        }
        let mut best_facts: IdMap<f32> = IdMap::default();
        let mut best_patterns: IdMap<f32> = IdMap::default();
        for (at, (&(id, weight, term), meant)) in weighed.iter().zip(&mut meant).enumerate() {
            if !self.finds_by_meaning(id, term) {
                continue;
            }
            let close = self
                .fact_words
                .close_to(&term.text, settings.meaning_threshold);
            *meant = !close.is_empty();
            best_facts.clear();
            best_patterns.clear();
            for (other, cosine) in close {
                let other = other as usize;
                if self.fact_postings[other].len() > self.long_postings {
                    continue;
                }
                let rise = (cosine - settings.meaning_threshold)
                    / (settings.meaning_full - settings.meaning_threshold).max(f32::EPSILON);
                let credit = settings.meaning_credit * rise.clamp(0.0, 1.0);
                for &(fact, field) in &self.fact_postings[other] {
                    let best = best_facts.entry(fact).or_default();
                    *best = best.max(credit * field);
                }
                for &pattern in &self.pattern_postings[other] {
                    let best = best_patterns.entry(pattern).or_default();
                    *best = best.max(credit);
                }
            }
            if let Some((_, facts)) = focus.as_mut().filter(|(focus, _)| focus.contains(&at)) {
                facts.extend(best_facts.keys());
                facts.sort_unstable();
            }
            for (&fact, &credit) in &best_facts {
                if id.is_some_and(|id| self.mentions(id, fact)) {
                    continue;
                }
                let entry = facts.entry(fact).or_default();
                entry.0 += weight * credit;
                if !term.is_generic {
                    entry.1 += weight * credit;
                }
            }
            for (&pattern, &credit) in &best_patterns {
                if id.is_some_and(|id| self.pattern_postings[id].binary_search(&pattern).is_ok()) {
                    continue;
                }
                *patterns.entry(pattern).or_default() += weight * credit;
            }
        }
        meant
    }

    /// Whether a question term may count for a fact by a word close in meaning: not a question
    /// word, nor a name (of the world or of this story), nor a conversational word no fact uses
    /// (it says how a member asks, not what about: "sector-*wise*" is no "smart").
    pub(super) fn finds_by_meaning(&self, id: Option<usize>, term: &Term) -> bool {
        let conversational = term.is_generic && id.is_none();
        !(term.is_question_word || term.is_name || conversational)
            && self.named.binary_search(&term.text).is_err()
    }

    /// A term's id in the index (None for a word the facts never mention) and its weight.
    pub(super) fn weigh<'t>(&self, term: &'t Term) -> Weighed<'t> {
        let generic = self.settings.generic_word_weight * self.unknown_weight;
        match self.term_ids.get(&term.text) {
            Some(&id) if term.is_generic => (
                Some(id as usize),
                self.term_weight[id as usize].min(generic),
                term,
            ),
            Some(&id) => (Some(id as usize), self.term_weight[id as usize], term),
            None if term.is_question_word || names_what_is_asked(term) => {
                (None, self.settings.question_word_weight, term)
            }
            None if term.is_generic => (
                None,
                self.settings.generic_word_weight * self.unknown_weight,
                term,
            ),
            None => (None, self.unknown_weight, term),
        }
    }

    /// The largest share of the question's weight carried by one content word that `fact`
    /// does not mention anywhere (1 for a word that vetoes it, see [`Veto`]). Question words
    /// never count: a fact without "when" in its patterns can still answer "when".
    fn missing_share(&self, fact: u32, missing: &Missing) -> f32 {
        missing
            .weighed
            .iter()
            .zip(missing.vetoes.iter().zip(missing.kin))
            .zip(missing.paraphrased)
            .filter(|(_, &paraphrase)| paraphrase == 0.0)
            .map(|(weighed_and_veto, _)| weighed_and_veto)
            .filter(|((_, _, term), _)| !term.is_question_word && !term.is_generic)
            .filter(|((id, _, _), _)| id.is_none_or(|id| !self.mentions(id, fact)))
            .map(|((_, weight, term), (veto, kin))| {
                let vetoes = match veto {
                    Veto::Always => true,
                    Veto::UnlessKin => !self.gives_attribute(fact, term, kin),
                    Veto::UnlessNamed => {
                        !self.answer_kinds[fact as usize].names_something_besides(missing.texts)
                    }
                    Veto::No => false,
                };
                if vetoes {
                    1.0
                } else {
                    weight / missing.total
                }
            })
            .fold(0.0, f32::max)
    }

    /// Whether `fact` gives the attribute `term` asks for in other words: a word of its
    /// families (`kin`), or a sum of money for a price.
    fn gives_attribute(&self, fact: u32, term: &Term, kin: &[usize]) -> bool {
        kin.iter().any(|&id| self.mentions(id, fact))
            || (PRICE_STEMS.contains(&term.text.as_str())
                && self.answer_kinds[fact as usize].gives_money())
    }

    /// Per question term, the ids of the facts' words of its attribute families (none for a
    /// word that is no attribute): a fact saying what a docker *earns* gives the *salary*.
    fn attribute_kin(&self, weighed: &[Weighed], vetoes: &[Veto]) -> Vec<&[usize]> {
        weighed
            .iter()
            .zip(vetoes)
            .map(|((_, _, term), veto)| match veto {
                Veto::UnlessKin => self.kin_ids(term),
                _ => &[],
            })
            .collect()
    }

    /// The ids of the facts' words of `term`'s attribute families.
    fn kin_ids(&self, term: &Term) -> &[usize] {
        self.attribute_kin
            .get(&term.text)
            .map_or(&[], Vec::as_slice)
    }

    /// The roles a question asks who holds ("Who is China's *Premier*?", "the *name* of the
    /// *CEO*"): a fact that mentions such a role without naming its holder does not answer it.
    /// The first role after "who is" (or within a few words of "name") is what is asked, so a
    /// fact that never mentions it does not answer either ("Who is the company's spokesperson?"
    /// against the chief executive's fact); after "who" and a verb a role only describes ("Who
    /// runs BYD, whose chief met the Peruvian leader?"). Not "which": "which official did she
    /// meet?" may ask for the role itself.
    fn asked_roles<'q>(&self, question: &'q Question) -> Vec<AskedRole<'q>> {
        let terms = &question.terms;
        let Some(asked_at) = terms
            .iter()
            .position(|term| (term.is_question_word && term.text == "who") || term.text == "name")
        else {
            return Vec::new();
        };
        let mut roles: Vec<AskedRole> = terms
            .iter()
            .enumerate()
            .filter(|(_, term)| {
                self.title_terms
                    .binary_search_by(|t| t.as_str().cmp(&term.text))
                    .is_ok()
            })
            .map(|(at, term)| AskedRole {
                text: &term.text,
                id: self.term_ids.get(&term.text).map(|&id| id as usize),
                doing_id: term
                    .text
                    .strip_suffix("er")
                    .and_then(|doing| self.term_ids.get(doing))
                    .map(|&id| id as usize),
                focus: false,
                at,
            })
            .collect();
        let by_name = terms[asked_at].text == "name";
        if let Some(first) = roles
            .iter_mut()
            .find(|role| role.at > asked_at)
            .filter(|role| question.asks_who_is || (by_name && role.at - asked_at <= ROLE_REACH))
        {
            first.focus = true;
        }
        roles
    }

    /// Whether the question asks which holders of a role did something ("Which *councillors*
    /// voted against it?"): only an answer that names someone the question does not can say.
    fn asks_which_people(&self, terms: &[Term]) -> bool {
        terms.windows(2).any(|pair| {
            pair[0].is_question_word
                && pair[0].text == "which"
                && self
                    .title_terms
                    .binary_search_by(|t| t.as_str().cmp(&pair[1].text))
                    .is_ok()
        })
    }

    /// Per question term, whether it only names someone or something: a known name, or a word
    /// the facts capitalise that has no meaning of its own in the word table ("Valdivia", not
    /// the "Hospital" of "Royal University Hospital").
    fn names_among(&self, weighed: &[Weighed]) -> Vec<bool> {
        weighed
            .iter()
            .map(|(_, _, term)| {
                term.is_name
                    || (self.named.binary_search(&term.text).is_ok()
                        && meaning::MEANINGS.vector(&term.text).is_none())
            })
            .collect()
    }

    /// The ids of the question's words that name someone or something of this story alone, in
    /// at most [`OWN_NAME_FACTS`] facts: "Ostrowski", "Luminotecnia"; not a name any word list
    /// knows ("Lima", "Liam"), nor a place the facts put something in
    /// ("in Ciudad Valdecañas"). A fact that does not mention such a name answers a question
    /// about someone else: "How many goals has Liam Ostrowski scored?" is not answered by the
    /// fact naming the top scorer.
    fn own_names(&self, weighed: &[Weighed], names: &[bool]) -> Vec<usize> {
        weighed
            .iter()
            .zip(names)
            .filter(|((_, _, term), &name)| {
                name && !term.is_name && self.places.binary_search(&term.text).is_err()
            })
            .filter_map(|(&(id, _, _), _)| id)
            .filter(|&id| self.fact_postings[id].len() <= OWN_NAME_FACTS)
            .collect()
    }

    /// Whether all `fact` shares with a question asking for a figure is its names: "How much
    /// was Valdivia fined?" is not answered by the fact giving Valdivia's prison term, nor "How
    /// long is Asante-Boyd's contract?" by the one saying how many goals he scored. What the
    /// question asks about besides the names must meet the fact, word for word or by meaning
    /// (`evidence`: the fact's matched content weight with the credit of words close in
    /// meaning and of paraphrases).
    fn matches_only_names(
        &self,
        fact: u32,
        weighed: &[Weighed],
        names: &[bool],
        evidence: f32,
    ) -> bool {
        let mut named = 0.0;
        let mut asked_how = 0.0;
        for (&(id, weight, term), &name) in weighed.iter().zip(names) {
            let Some(field) = id.and_then(|id| self.field_of(id, fact)) else {
                continue;
            };
            let weight = weight * field;
            if term.is_question_word {
                continue;
            } else if name {
                named += weight;
            } else if says_what_is_asked_about(term) {
                return false;
            } else {
                asked_how += weight;
            }
        }
        named > 0.0 && evidence - named - asked_how <= NOTHING_ELSE * evidence
    }

    /// The field weight with which `fact` mentions term `id`, if it does.
    fn field_of(&self, id: usize, fact: u32) -> Option<f32> {
        let postings = &self.fact_postings[id];
        let at = postings.binary_search_by_key(&fact, |(f, _)| *f).ok()?;
        Some(postings[at].1)
    }

    /// Whether `fact` mentions the term `id` anywhere.
    fn mentions(&self, id: usize, fact: u32) -> bool {
        self.field_of(id, fact).is_some()
    }

    /// The `terms` that stop any fact lacking them from being the answer (see [`Veto`]), each
    /// as the ids of the facts' terms that give it (none when no fact does).
    pub(super) fn vetoing_terms(&self, terms: &[Term]) -> Vec<Vec<usize>> {
        terms
            .iter()
            .filter_map(|term| {
                let id = self.term_ids.get(&term.text).map(|&id| id as usize);
                match Veto::of(id, term) {
                    Veto::Always => Some(id.into_iter().collect()),
                    Veto::UnlessKin => Some(
                        id.into_iter()
                            .chain(self.kin_ids(term).iter().copied())
                            .collect(),
                    ),
                    Veto::UnlessNamed | Veto::No => None,
                }
            })
            .collect()
    }

    /// Per question term: its weight if it is an unknown word related to a term of `fact`
    /// (see [`super::related`]), else 0.
    fn paraphrased(
        &self,
        fact: u32,
        weighed: &[Weighed],
        related: &[(String, Vec<u32>)],
        kin: &[&[usize]],
    ) -> Vec<f32> {
        weighed
            .iter()
            .zip(kin)
            .map(|(&(id, weight, term), kin)| {
                let reaches_fact =
                    |ids: &Vec<u32>| ids.iter().any(|&other| self.mentions(other as usize, fact));
                let paraphrase = (id.is_none()
                    && related
                        .iter()
                        .any(|(word, ids)| *word == term.text && reaches_fact(ids)))
                    || (id.is_none_or(|id| !self.mentions(id, fact))
                        && kin.iter().any(|&other| self.mentions(other, fact)));
                if paraphrase {
                    weight
                } else {
                    0.0
                }
            })
            .collect()
    }
}

/// How many terms after "name" the role asked for may stand ("the name of the water company's
/// *spokesperson*": three).
const ROLE_REACH: usize = 3;

/// A role word of a who-question (see [`Matcher::asked_roles`]).
struct AskedRole<'q> {
    text: &'q str,
    /// The role's term id, `None` when no fact mentions it.
    id: Option<usize>,
    /// The id of what the role does ("own" for "owner", "lead" for "leader"): a fact saying
    /// that someone owns the port tells who its owner is.
    doing_id: Option<usize>,
    /// Whether it is the role asked for, not one that describes something else.
    focus: bool,
    at: usize,
}

/// Whether a question term, when a fact lacks it, stops the fact from being the answer. A
/// number is precise: "Line 3" is not asked about by a fact about Line 2, however much else
/// they share; nor is a name no fact mentions ("Japan" by the China trip); nor an attribute
/// the fact never gives (the *cost*, the *salary*), unless it gives it in other words of the
/// attribute's family (what a docker *earns*); and a name is given only by an answer that
/// names something the question does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Veto {
    Always,
    UnlessKin,
    UnlessNamed,
    No,
}

impl Veto {
    fn of(id: Option<usize>, term: &Term) -> Self {
        let lexicon = &lexicon::LEXICON;
        if text::is_number(&term.text) || (term.is_name && id.is_none()) {
            Veto::Always
        } else if lexicon.attribute_stems.contains(&term.text) {
            Veto::UnlessKin
        } else if lexicon.named_attribute_stems.contains(&term.text) {
            Veto::UnlessNamed
        } else {
            Veto::No
        }
    }
}

/// The kind of answer a term asks for: a question word's, or a kind noun's that a fact uses
/// too ("how long" read as duration, where a pattern asks "how long" as well). Not a role
/// noun's: a fact's "job" or "role" is more often its topic ("out of a job", "the port's
/// strategic role") than what is asked.
fn asked_kind(term: &Term) -> Option<&str> {
    if term.is_question_word {
        return Some(term.text.as_str());
    }
    lexicon::KIND_NOUNS
        .iter()
        .find(|&&(noun, kind)| noun == term.text && kind != "role")
        .map(|&(_, kind)| kind)
}

/// Whether a term only says that a name is asked for ("the mediator's *name*", "who was
/// *named*", "which *city*"), like "who" or "where": when no fact uses the word it weighs as a
/// question word, and a fact gives it by naming something (see [`Veto::UnlessNamed`]).
fn names_what_is_asked(term: &Term) -> bool {
    lexicon::LEXICON.named_attribute_stems.contains(&term.text)
}

/// Whether a term says what the question is about rather than how it asks: not a question
/// word, a conversational word, a word asking for a name ("which *city*") or a noun naming the
/// kind of answer ("the trip's *duration*", "her *role*").
fn says_what_is_asked_about(term: &Term) -> bool {
    !term.is_question_word
        && !term.is_generic
        && !names_what_is_asked(term)
        && !lexicon::KIND_NOUNS
            .iter()
            .any(|&(stem, _)| stem == term.text)
}

/// Whether the question asks how long: "how long" reads as the question word "duration", and
/// so does the noun when no fact uses it (see [`lexicon::KIND_NOUNS`]).
fn asks_duration(terms: &[Term]) -> bool {
    terms
        .iter()
        .any(|term| term.text == "duration" || term.text == "durat")
}

/// Whether the question asks how many or how much of a thing no fact mentions ("How much
/// *gold* did Peru export?"): what is counted is the question's focus, so no fact can give it,
/// however well the rest of the question fits one.
fn counts_something_unknown(weighed: &[Weighed], meant: &[bool]) -> bool {
    // `meant` is empty when no word was looked up by meaning.
    counted_at(weighed)
        .is_some_and(|at| weighed[at].0.is_none() && !meant.get(at).copied().unwrap_or(false))
}

/// Where the thing a "how many" question counts is among its terms: the term right after the
/// question word ("How many *additional* workers…" counts workers), unless it says how rather
/// than what.
fn counted_at(weighed: &[Weighed]) -> Option<usize> {
    let mut at = weighed
        .iter()
        .position(|(_, _, term)| term.is_question_word && term.text == "quantity")?
        + 1;
    if weighed
        .get(at)
        .is_some_and(|(_, _, term)| COUNT_MODIFIER_STEMS.contains(&term.text))
    {
        at += 1;
    }
    let (_, _, counted) = weighed.get(at)?;
    (!counted.is_question_word && !counted.is_generic).then_some(at)
}

/// The counted term a fact must give (see [`counted_at`]): not people, whom any count of
/// people counts ("residents", "passengers").
fn counted_term(weighed: &[Weighed]) -> Option<usize> {
    counted_at(weighed).filter(|&at| !matches!(weighed[at].2.text.as_str(), "peopl" | "person"))
}

/// Where what a "which" question picks is among its terms: the `words` terms after "which",
/// read together ("Which *lab matched*…" is about a fact saying who matched), when the first
/// is a word no fact uses ("Which *stadium*…"); a word asking for a name ("which *city*") is
/// given by naming one, and people by any people.
fn picked_term(weighed: &[Weighed], words: usize) -> Option<Range<usize>> {
    let at = weighed
        .iter()
        .position(|(_, _, term)| term.is_question_word && term.text == "which")?
        + 1;
    let (id, _, picked) = weighed.get(at)?;
    (id.is_none()
        && !picked.is_question_word
        && !picked.is_generic
        && !names_what_is_asked(picked)
        && !matches!(picked.text.as_str(), "peopl" | "person"))
    .then_some(at..(at + words).min(weighed.len()))
}

/// The attributes a sum of money gives, whatever words the fact uses for it: "viaduct cost"
/// is answered by "about 240 million soles" (the price family of `lexicon/attributes.txt`).
const PRICE_STEMS: &[&str] = &["price", "cost", "budget"];

/// The stems of [`question::COUNT_MODIFIERS`], as terms hold them.
static COUNT_MODIFIER_STEMS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let stemmer = Stemmer::create(Algorithm::English);
    question::COUNT_MODIFIERS
        .iter()
        .map(|word| stemmer.stem(word).into_owned())
        .collect()
});

/// How many things a question asks to be listed: "Which *eight* minerals…?" wants the
/// minerals, not their number.
fn listed_count(terms: &[Term]) -> Option<usize> {
    terms.windows(2).find_map(|pair| {
        let [which, count] = pair else {
            return None;
        };
        let count: usize = count.text.parse().ok()?;
        (which.is_question_word && which.text == "which" && count >= 2).then_some(count)
    })
}

/// The question's terms as [`Matcher::missing_share`] weighs them against each fact.
struct Missing<'q> {
    weighed: &'q [Weighed<'q>],
    vetoes: &'q [Veto],
    /// Per term: see [`Matcher::attribute_kin`].
    kin: &'q [&'q [usize]],
    /// Per term: its weight if it is a paraphrase of a word of the fact (see
    /// [`super::related`]).
    paraphrased: &'q [f32],
    texts: &'q [&'q str],
    total: f32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FactBase;
    use crate::matcher::testing::load;

    const LINES: &str = r#"
[[facts]]
id = "line-2"
questions = ["When does metro Line 2 open?"]
answer = "Line 2 opens in 2026."
snippet = "S"

[[facts]]
id = "port"
questions = ["Who owns the Chancay port?", "Who built the port?"]
answer = "Cosco owns 60% of the Chancay port."
snippet = "S"
"#;

    fn candidates(matcher: &Matcher, question: &str) -> Vec<Candidate> {
        matcher.score(&matcher.question(question))
    }

    /// The missing share of the fact `id` for `question` (the fact must be a candidate).
    fn share_of(base: &FactBase, matcher: &Matcher, id: &str, question: &str) -> f32 {
        let fact = base.index_of(id).unwrap();
        let found = candidates(matcher, question);
        found.iter().find(|c| c.fact == fact).unwrap().missing_share
    }

    /// A facts file of `(id, question, answer)`, each answer quoted as its snippet.
    fn facts(entries: &[(&str, &str, &str)]) -> String {
        entries
            .iter()
            .map(|(id, question, answer)| {
                let snippet = answer.trim_end_matches('.');
                format!(
                    "\n[[facts]]\nid = \"{id}\"\nquestions = [\"{question}\"]\n\
                     answer = \"{answer}\"\nsnippet = \"{snippet}\"\n\n"
                )
            })
            .collect()
    }

    /// A fact that gives an attribute in other words of its family is not vetoed by it, and
    /// the word counts as matched: what a docker *earns* is the *salary* asked for. A fact
    /// that gives nothing of the family still is.
    #[test]
    fn an_attribute_given_in_other_words_of_its_family_does_not_veto() {
        let (base, matcher) = load(&facts(&[
            (
                "docker-pay",
                "How much does a dockworker earn?",
                "A dockworker earns about 6,200 reais a month.",
            ),
            (
                "docker-strike",
                "How many dockworkers are on strike?",
                "Some 9,000 dockworkers have been on strike since Monday.",
            ),
            (
                "ceo-salary",
                "Who is the port's chief executive?",
                "The port's chief executive, paid a salary of 90,000 reais, is Ana Lima.",
            ),
        ]));
        let question = "What is the monthly salary of a dockworker?";
        assert!(share_of(&base, &matcher, "docker-pay", question) < 1.0);
        assert_eq!(share_of(&base, &matcher, "docker-strike", question), 1.0);
        let found = candidates(&matcher, question);
        assert_eq!(found[0].fact, base.index_of("docker-pay").unwrap());
    }

    /// A sum of money gives what something costs, whether or not the fact says "cost": "viaduct
    /// cost" is answered by "about 240 million soles". A fact with no sum of money is still
    /// vetoed by the price asked of it.
    #[test]
    fn a_sum_of_money_gives_the_cost_asked_for() {
        let (base, matcher) = load(&facts(&[
            (
                "viaduct",
                "What is the viaduct option?",
                "A viaduct on pillars over the site: about 240 million soles and ten months of work.",
            ),
            (
                "detour",
                "What is the detour option?",
                "A detour around the site would add 14 km to the road.",
            ),
        ]));
        assert!(share_of(&base, &matcher, "viaduct", "viaduct cost") < 1.0);
        assert_eq!(share_of(&base, &matcher, "detour", "detour cost"), 1.0);
    }

    /// "How many *hospitals* were evacuated?" is not answered by a fact that counts evacuated
    /// residents: what is counted must be in the fact, in its own words or close ones
    /// ("troops": soldiers), unless it is people, whom any count of people counts.
    #[test]
    fn a_fact_that_does_not_mention_what_is_counted_cannot_count_it() {
        let (base, matcher) = load(&facts(&[
            (
                "evacuated",
                "How many were evacuated?",
                "About 8,000 residents were evacuated from the hills.",
            ),
            (
                "patrols",
                "Who is patrolling the hills?",
                "Some 1,200 soldiers are patrolling the evacuated areas.",
            ),
            (
                "injured",
                "Was anyone hurt?",
                "Twelve firefighters were injured on Sunday; no other people were hurt.",
            ),
        ]));
        let share = |id: &str, question: &str| share_of(&base, &matcher, id, question);
        assert_eq!(
            share("evacuated", "How many hospitals were evacuated?"),
            1.0
        );
        assert_eq!(
            share("evacuated", "How many firefighters were evacuated?"),
            1.0
        );
        assert!(share("evacuated", "How many people were evacuated?") < 1.0);
        assert!(share("evacuated", "How many additional residents were evacuated?") < 1.0);
        assert!(
            share(
                "patrols",
                "How many troops are patrolling the evacuated areas?"
            ) < 1.0
        );
        assert!(share("evacuated", "How many of the hills were evacuated?") < 1.0);
    }

    /// "Which *stadium* will host the final?" is not answered by a fact about the final that
    /// names no stadium, when no fact knows the word; the words after "which" are read
    /// together, so "Which *lab matched* the samples?" is answered by the fact that says who
    /// matched them.
    #[test]
    fn a_fact_that_does_not_mention_what_is_picked_cannot_pick_it() {
        let (base, matcher) = load(&facts(&[
            (
                "final",
                "When is the final?",
                "The final will be played on July 19 in New Jersey.",
            ),
            (
                "samples",
                "What did the investigators find?",
                "The national microbiology laboratory matched the samples to the factory.",
            ),
        ]));
        let share = |id: &str, question: &str| share_of(&base, &matcher, id, question);
        assert_eq!(share("final", "Which stadium will host the final?"), 1.0);
        assert!(share("final", "Where will the final be played?") < 1.0);
        assert!(share("samples", "Which lab matched the samples?") < 1.0);
    }

    /// A conversational word no fact uses says how a member asks, not what about: "sector-wise"
    /// finds nothing by meaning ("wise" lies close to the facts' "smart").
    #[test]
    fn a_generic_word_no_fact_uses_finds_nothing_by_meaning() {
        let (_, matcher) = load(
            r#"
[[facts]]
id = "smart-city"
questions = ["What is the smart city plan?"]
answer = "A smart city plan for Lima."
snippet = "S"
"#,
        );
        let explained = matcher.explain("what is the city plan, sector-wise?");
        assert!(explained.contains("wise:"), "{explained}");
        assert!(!explained.contains("≈smart"), "{explained}");
        // "bit" is as generic and close to nothing: the two cover the fact alike.
        let coverage = |question: &str| candidates(&matcher, question)[0].signals.coverage;
        assert_eq!(
            coverage("what is the city plan, sector-wise?"),
            coverage("what is the city plan, sector-bit?")
        );
    }

    /// "did *loads* of fans protest?": a colloquial "many" only says how a member asks, so it
    /// weighs as lightly as any generic word rather than as a word no fact knows.
    #[test]
    fn loads_and_heaps_of_something_are_generic() {
        let (_, matcher) = load(LINES);
        for question in ["did loads of fans protest", "were there heaps of penguins"] {
            let read = matcher.question(question);
            let term = read
                .terms
                .iter()
                .find(|t| t.text.starts_with("load") || t.text.starts_with("heap"));
            let term = term.unwrap_or_else(|| panic!("{question}: {:?}", read.terms));
            assert!(term.is_generic, "{question}");
            assert!(matcher.weigh(term).1 < matcher.unknown_weight, "{question}");
        }
    }

    #[test]
    fn words_weigh_by_rarity_and_unknown_words_most() {
        let (_, matcher) = load(LINES);
        let question = matcher.question("who owns chancay penguins");
        let weights: Vec<(&str, f32)> = question
            .terms
            .iter()
            .map(|term| (term.text.as_str(), matcher.weigh(term).1))
            .collect();
        let weight = |text: &str| weights.iter().find(|(t, _)| *t == text).unwrap().1;
        assert_eq!(weight("who"), matcher.settings.question_word_weight);
        assert_eq!(weight("penguin"), matcher.unknown_weight);
        assert_eq!(
            weight("chancay"),
            matcher.rarest_weight,
            "in one fact of two"
        );
        assert!(weight("penguin") > weight("chancay"));
    }

    #[test]
    fn a_word_asking_for_a_name_weighs_as_a_question_word() {
        let (base, matcher) = load(LINES);
        let question = matcher.question("port owner name");
        let name = question.terms.iter().find(|t| t.text == "name").unwrap();
        assert_eq!(matcher.weigh(name).1, matcher.settings.question_word_weight);
        let found = candidates(&matcher, "port owner name");
        assert_eq!(base.facts[found[0].fact].id.as_str(), "port");
        assert_eq!(found[0].signals.unknown, 0.0, "{found:?}");
    }

    #[test]
    fn the_fact_that_fits_scores_best_and_candidates_come_sorted() {
        let (base, matcher) = load(LINES);
        let found = candidates(&matcher, "Who owns the Chancay port?");
        assert_eq!(base.facts[found[0].fact].id.as_str(), "port");
        assert!(found[0].score > 0.9, "{found:?}");
        assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(
            candidates(&matcher, "penguins").is_empty(),
            "no shared word"
        );
    }

    #[test]
    fn a_number_the_fact_lacks_vetoes_it() {
        let (base, matcher) = load(LINES);
        let share = |question: &str| share_of(&base, &matcher, "line-2", question);
        assert!(share("When does metro Line 2 open?") < 1.0);
        assert_eq!(share("When does metro Line 3 open?"), 1.0);
    }

    #[test]
    fn a_figure_asked_about_a_name_needs_more_than_the_name() {
        let (base, matcher) = load(
            r#"
[[facts]]
id = "prison"
questions = ["What sentence did Valdivia get?"]
answer = "The court sentenced Valdivia to nine years in prison."
snippet = "S"

[[facts]]
id = "fine"
questions = ["How much was Cardenas fined?"]
answer = "The court fined Cardenas 1.2 million pesos."
snippet = "S"
"#,
        );
        let share = |question: &str| share_of(&base, &matcher, "prison", question);
        assert_eq!(share("How much was Valdivia fined?"), 1.0);
        assert_eq!(share("How long is Valdivia's contract?"), 1.0);
        assert!(share("How long was Valdivia sentenced for?") < 1.0);
        assert!(
            share("What was Valdivia fined?") < 1.0,
            "only a figure asked about a name"
        );
    }

    #[test]
    fn a_fact_without_a_name_of_the_story_does_not_answer_for_it() {
        let (base, matcher) = load(
            r#"
[[facts]]
id = "scorer"
questions = ["Who is the top scorer?"]
answer = "Striker Kwame Boyd is the top scorer with seven goals."
snippet = "S"

[[facts]]
id = "captain"
questions = ["Who is the captain?"]
answer = "Midfielder Liam Ostrowski is the club captain."
snippet = "S"

[[facts]]
id = "ground"
questions = ["Where does the club play?"]
answer = "The team plays in Millbeck, where the stadium holds 17,800."
snippet = "S"
"#,
        );
        let share = |question: &str| share_of(&base, &matcher, "scorer", question);
        assert_eq!(share("How many goals has Liam Ostrowski scored?"), 1.0);
        assert!(share("How many goals has Kwame Boyd scored?") < 1.0);
        assert!(
            share("How many goals were scored at Millbeck?") < 1.0,
            "a place, not someone else"
        );
    }

    #[test]
    fn who_asks_for_someone_besides_whom_the_question_names() {
        let (base, matcher) = load(
            r#"
[[facts]]
id = "lessor"
questions = ["Where did the planes come from?"]
answer = "Nine of the planes were leased from Shannon Aero Leasing."
snippet = "S"

[[facts]]
id = "founder"
questions = ["Who founded the airline?"]
answer = "It was founded in 2011 by the former pilot Gustavo Arrieta."
snippet = "S"
"#,
        );
        let share = |question: &str, id: &str| share_of(&base, &matcher, id, question);
        assert_eq!(share("Who owns Shannon Aero Leasing?", "lessor"), 1.0);
        assert!(share("Who leased the planes to the airline?", "lessor") < 1.0);
        assert!(share("Who is Gustavo Arrieta?", "founder") < 1.0);
    }

    /// "When will…" asks when something still to come happens: a fact dating what has
    /// happened cannot say, one that looks ahead can; "when was…" is answered as before.
    #[test]
    fn when_ahead_asks_for_an_answer_that_looks_ahead() {
        let (base, matcher) = load(&facts(&[
            (
                "signing",
                "When was the training deal signed?",
                "The training deal was signed on June 26, 2024.",
            ),
            (
                "reopening",
                "When does the bridge reopen?",
                "The bridge will reopen in May.",
            ),
        ]));
        let share = |question: &str, id: &str| share_of(&base, &matcher, id, question);
        assert_eq!(share("When will the training deal start?", "signing"), 1.0);
        assert_eq!(
            share("when are the training courses going to begin", "signing"),
            1.0
        );
        assert!(share("When was the training deal signed?", "signing") < 1.0);
        assert!(share("When will the bridge reopen?", "reopening") < 1.0);
        assert!(share("cuando van a reabrir el puente", "reopening") < 1.0);
    }

    #[test]
    fn how_long_asks_for_a_span_even_where_a_pattern_asks_how_long() {
        let (base, matcher) = load(
            r#"
[[facts]]
id = "cuts"
questions = ["How long will the cuts last?"]
answer = "The cuts will last 30 days."
snippet = "S"

[[facts]]
id = "chief"
questions = ["Who is the chief executive?"]
answer = "Dr Priya Kaur, the chief executive, announced the cuts on Thursday 13 August."
snippet = "S"
"#,
        );
        let chief = base.index_of("chief").unwrap();
        let found = candidates(&matcher, "How long has Priya Kaur been chief executive?");
        let signals = &found.iter().find(|c| c.fact == chief).unwrap().signals;
        assert_eq!(signals.kind_fits, 0.0, "a day alone does not say how long");
        let found = candidates(&matcher, "Who is the chief executive?");
        assert_eq!(found[0].signals.kind_fits, 1.0);
    }

    #[test]
    fn counting_something_no_fact_mentions_vetoes_every_fact() {
        let (base, matcher) = load(LINES);
        let share = |question: &str| share_of(&base, &matcher, "port", question);
        assert!(share("How much of the Chancay port does Cosco own?") < 1.0);
        assert_eq!(share("How many penguins live at the Chancay port?"), 1.0);
        assert!(
            share("How much at the Chancay port?") < 1.0,
            "nothing unknown is counted"
        );
    }

    #[test]
    fn numbers_unknown_names_and_attributes_veto() {
        let term = |text: &str, is_name: bool| Term {
            text: text.to_owned(),
            is_question_word: false,
            corrected: false,
            is_generic: false,
            is_name,
        };
        assert_eq!(Veto::of(Some(0), &term("2024", false)), Veto::Always);
        assert_eq!(Veto::of(None, &term("japan", true)), Veto::Always);
        assert_eq!(Veto::of(Some(0), &term("china", true)), Veto::No);
        assert_eq!(Veto::of(Some(0), &term("cost", false)), Veto::UnlessKin);
        assert_eq!(Veto::of(None, &term("name", false)), Veto::UnlessNamed);
        assert_eq!(Veto::of(None, &term("port", false)), Veto::No);
        // "projection" and "prediction" stem to words that ask for no attribute.
        assert_eq!(Veto::of(Some(0), &term("project", false)), Veto::No);
        assert_eq!(Veto::of(Some(0), &term("predict", false)), Veto::No);
        assert_eq!(Veto::of(Some(0), &term("earn", false)), Veto::UnlessKin);
    }
}
