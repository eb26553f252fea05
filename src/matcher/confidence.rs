//! The confidence model: how likely the best candidate is the right answer, from its signals.
//!
//! Gradient-boosted trees fitted by `matcher/calibrate.py` on tuning questions and shipped as
//! data (`confidence_model.txt`), because the signals mix in ways one weighted sum cannot say: a
//! wide lead counts for little once it is wide, a word the fact misses matters only when the
//! rest fits. Left out story by story, the trees answered more questions right for as many
//! wrong as the logistic model they replaced. The file is parsed once per process into flat
//! nodes; asking it walks one short path per tree, well under a microsecond.

use std::sync::LazyLock;

use super::FEATURES;

const MODEL_TEXT: &str = include_str!("confidence_model.txt");

/// The shipped model, parsed on first use (see [`super::build_shared_tables`]).
pub(super) static MODEL: LazyLock<Forest> = LazyLock::new(|| {
    Forest::parse(MODEL_TEXT).unwrap_or_else(|error| panic!("confidence_model.txt: {error}"))
});

/// Trees whose leaves add up, with a bias, to the log-odds of a right answer.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Forest {
    bias: f32,
    /// Every tree's nodes end to end; a split's children are indices into this list.
    nodes: Vec<Node>,
    /// Where each tree's root is in `nodes`.
    roots: Vec<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Node {
    /// A feature at most `threshold` goes to `left`, any other value (NaN too) to `right`.
    Split {
        feature: u8,
        threshold: f32,
        left: u32,
        right: u32,
    },
    Leaf(f32),
}

/// Why the model text could not be read: a line and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub(super) struct ModelError {
    line: usize,
    problem: String,
}

impl Forest {
    /// The probability, in 0..=1, that the candidate with these features is the right answer.
    pub(super) fn probability(&self, features: &[f32; FEATURES]) -> f32 {
        let log_odds = self.bias
            + self
                .roots
                .iter()
                .map(|&root| self.leaf(root, features))
                .sum::<f32>();
        1.0 / (1.0 + (-log_odds).exp())
    }

    fn leaf(&self, root: u32, features: &[f32; FEATURES]) -> f32 {
        let mut at = root;
        loop {
            match self.nodes[at as usize] {
                Node::Leaf(value) => return value,
                Node::Split {
                    feature,
                    threshold,
                    left,
                    right,
                } => {
                    at = if features[feature as usize] <= threshold {
                        left
                    } else {
                        right
                    }
                }
            }
        }
    }

    /// Reads the format `calibrate.py` writes: `bias B`, then `tree` before each tree's nodes,
    /// `split FEATURE THRESHOLD LEFT RIGHT` (children numbered within the tree) or `leaf VALUE`.
    /// Every child must come after its parent inside its tree, so no walk can loop.
    fn parse(text: &str) -> Result<Self, ModelError> {
        let mut forest = Forest {
            bias: 0.0,
            nodes: Vec::new(),
            roots: Vec::new(),
        };
        let mut bias = None;
        let mut tree_start = None;
        for (number, line) in text.lines().enumerate() {
            let fail = |problem: String| ModelError {
                line: number + 1,
                problem,
            };
            let mut words = line.split_whitespace();
            match words.next() {
                None => {}
                Some(word) if word.starts_with('#') => {}
                Some("bias") => bias = Some(number_at(&mut words, "bias").map_err(fail)?),
                Some("tree") => {
                    forest.close_tree(tree_start).map_err(fail)?;
                    tree_start = Some(forest.nodes.len());
                    forest.roots.push(forest.nodes.len() as u32);
                }
                Some(kind) => {
                    let start =
                        tree_start.ok_or_else(|| fail("a node before any `tree`".into()))?;
                    let node = node(kind, &mut words, start, forest.nodes.len()).map_err(fail)?;
                    forest.nodes.push(node);
                }
            }
        }
        forest
            .close_tree(tree_start)
            .map_err(|problem| ModelError {
                line: text.lines().count(),
                problem,
            })?;
        forest.bias = bias.ok_or_else(|| ModelError {
            line: 1,
            problem: "no `bias` line".into(),
        })?;
        Ok(forest)
    }

    /// Checks that the tree starting at `start` has nodes and that its children stay inside it.
    fn close_tree(&self, start: Option<usize>) -> Result<(), String> {
        let Some(start) = start else { return Ok(()) };
        let end = self.nodes.len();
        if start == end {
            return Err("a `tree` with no nodes".into());
        }
        let inside = |child: u32| (start..end).contains(&(child as usize));
        match self.nodes[start..end].iter().find(|node| match node {
            Node::Split { left, right, .. } => !inside(*left) || !inside(*right),
            Node::Leaf(_) => false,
        }) {
            Some(_) => Err("a split's child is past the end of its tree".into()),
            None => Ok(()),
        }
    }
}

/// One `split` or `leaf` line's node, its children made absolute; `at` is its own index.
fn node<'a>(
    kind: &str,
    words: &mut impl Iterator<Item = &'a str>,
    start: usize,
    at: usize,
) -> Result<Node, String> {
    match kind {
        "leaf" => Ok(Node::Leaf(number_at(words, "leaf")?)),
        "split" => {
            let feature: usize = parse_word(words.next(), "split's feature")?;
            if feature >= FEATURES {
                return Err(format!("feature {feature}: the model reads {FEATURES}"));
            }
            let threshold = number_at(words, "split's threshold")?;
            let mut child = |what| -> Result<u32, String> {
                let child = start + parse_word::<usize>(words.next(), what)?;
                if child <= at {
                    return Err(format!("{what} {child} is not after its parent {at}"));
                }
                u32::try_from(child).map_err(|_| format!("{what} too large"))
            };
            let left = child("left child")?;
            let right = child("right child")?;
            Ok(Node::Split {
                feature: feature as u8,
                threshold,
                left,
                right,
            })
        }
        other => Err(format!(
            "unknown line kind `{other}`: expected bias, tree, split or leaf"
        )),
    }
}

fn number_at<'a>(words: &mut impl Iterator<Item = &'a str>, what: &str) -> Result<f32, String> {
    let value: f32 = parse_word(words.next(), what)?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(format!("{what} must be a finite number"))
    }
}

fn parse_word<T: std::str::FromStr>(word: Option<&str>, what: &str) -> Result<T, String> {
    let word = word.ok_or_else(|| format!("{what} missing"))?;
    word.parse()
        .map_err(|_| format!("{what} `{word}` is not a number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One tree on the lead (feature 1) and one on the missing share (feature 7).
    const SMALL: &str = "# a comment\nbias -1.0\ntree\nsplit 1 0.1 1 2\nleaf -1.0\nleaf 2.0\n\
                         tree\nsplit 7 0.5 1 2\nleaf 0.5\nleaf -3.0\n";

    fn features(margin: f32, missing: f32) -> [f32; FEATURES] {
        [
            0.5, margin, 0.5, 0.5, 0.0, 1.0, 1.0, missing, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        ]
    }

    fn logistic(z: f32) -> f32 {
        1.0 / (1.0 + (-z).exp())
    }

    #[test]
    fn the_bias_and_one_leaf_of_each_tree_add_up_to_the_log_odds() {
        let forest = Forest::parse(SMALL).unwrap();
        assert_eq!(forest.probability(&features(0.05, 0.0)), logistic(-1.5));
        assert_eq!(
            forest.probability(&features(0.1, 0.5)),
            logistic(-1.5),
            "at most goes left"
        );
        assert_eq!(forest.probability(&features(0.3, 0.0)), logistic(1.5));
        assert_eq!(forest.probability(&features(0.3, 0.9)), logistic(-2.0));
    }

    #[test]
    fn a_broken_model_is_refused_with_its_line() {
        let cases = [
            ("tree\nleaf 1\n", "line 1: no `bias` line"),
            ("bias 0\nleaf 1\n", "line 2: a node before any `tree`"),
            (
                "bias 0\ntree\ntree\nleaf 1\n",
                "line 3: a `tree` with no nodes",
            ),
            (
                "bias 0\ntree\nsplit 15 0.5 1 2\n",
                "line 3: feature 15: the model reads 15",
            ),
            (
                "bias 0\ntree\nsplit 1 0.5 0 2\n",
                "line 3: left child 0 is not after its parent 0",
            ),
            (
                "bias 0\ntree\nsplit 1 0.5 1 2\nleaf 1\n",
                "line 4: a split's child is past the end of its tree",
            ),
            ("bias x\n", "line 1: bias `x` is not a number"),
            (
                "bias 0\ntree\nleaf inf\n",
                "line 3: leaf must be a finite number",
            ),
            (
                "bias 0\ntree\nnode 1\n",
                "line 3: unknown line kind `node`: expected bias, tree, split or leaf",
            ),
        ];
        for (text, error) in cases {
            assert_eq!(
                Forest::parse(text).unwrap_err().to_string(),
                error,
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_shipped_model_reads_and_trusts_a_clear_fit_over_a_weak_one() {
        let forest = &*MODEL;
        assert!(forest.roots.len() >= 10, "{} trees", forest.roots.len());
        // The rival of the clear fit barely fits, and looks far less like the question; the
        // weak one's fits almost as well, and looks more like it.
        let clear = [
            0.45, 0.3, 1.0, 0.8, 0.0, 1.0, 2.0, 0.0, 0.3, 0.1, 0.0, 0.0, 0.3, 0.6, 0.2,
        ];
        let weak = [
            0.3, 0.01, 0.4, 0.2, 0.4, 0.0, 0.6, 0.5, 0.4, 0.2, 0.0, 3.0, -0.1, 0.2, -0.1,
        ];
        let (clear, weak) = (forest.probability(&clear), forest.probability(&weak));
        assert!(clear > 0.8 && weak < 0.2, "clear {clear}, weak {weak}");
    }
}
