//! Test support: a matcher over a small fact base written inline.

use super::{MatchSettings, Matcher};
use crate::facts::FactBase;

/// The source every inline fact quotes: five lines, the text's first line going on the fifth.
const SOURCE: &str =
    "[[sources]]\nid = \"s\"\npublisher = \"P\"\ntitle = \"T\"\npublished = 2024-07-04";

/// Loads `facts` (`[[facts]]` tables, without sources) with the default settings.
pub(super) fn load(facts: &str) -> (FactBase, Matcher) {
    load_with(facts, &MatchSettings::default())
}

pub(super) fn load_with(facts: &str, settings: &MatchSettings) -> (FactBase, Matcher) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("story.toml");
    std::fs::write(&path, format!("{SOURCE}{facts}")).expect("write facts");
    let base = crate::facts::load(&[path]).expect("facts load").base;
    let matcher = Matcher::new(&base, settings);
    (base, matcher)
}
