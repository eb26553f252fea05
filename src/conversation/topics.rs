//! The `/facts` listing: every fact's title, a page at a time.
//!
//! Every platform pages the same way; its adapter lays a page out.

use crate::facts::{FactBase, FactId};
use crate::lang::Lang;

/// Topics per page: two rows of five buttons, leaving a row for "previous"/"next".
pub const PER_PAGE: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicsPage {
    /// Zero-based, clamped to the last page.
    pub page: usize,
    pub pages: usize,
    pub topics: Vec<(FactId, String)>,
    /// The language of the titles, and of the page's fixed texts.
    pub lang: Lang,
}

impl TopicsPage {
    /// Page `page` of the facts' titles, in file order (the order the editors chose).
    /// Retracted facts are not topics. Titles in `lang` where the fact has them.
    pub fn of(base: &FactBase, page: usize, lang: Lang) -> Self {
        let offered: Vec<_> = base
            .facts
            .iter()
            .filter(|fact| !fact.is_retracted())
            .collect();
        let pages = offered.len().div_ceil(PER_PAGE).max(1);
        let page = page.min(pages - 1);
        let topics = offered
            .into_iter()
            .skip(page * PER_PAGE)
            .take(PER_PAGE)
            .map(|fact| (fact.id.clone(), fact.title_in(lang).to_owned()))
            .collect();
        Self {
            page,
            pages,
            topics,
            lang,
        }
    }

    pub fn previous(&self) -> Option<usize> {
        self.page.checked_sub(1)
    }

    pub fn next(&self) -> Option<usize> {
        (self.page + 1 < self.pages).then_some(self.page + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base_with(facts: usize) -> FactBase {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from(
            "[[sources]]\nid = \"s\"\npublisher = \"P\"\ntitle = \"T\"\npublished = 2024-07-04\n",
        );
        for i in 0..facts {
            let next = (i + 1) % facts;
            text.push_str(&format!(
                "\n[[facts]]\nid = \"f{i}\"\nquestions = [\"Question {i}?\"]\nanswer = \"A.\"\nsnippet = \"S\"\nfollow_ups = [\"f{next}\"]\n"
            ));
        }
        let path = dir.path().join("f.toml");
        std::fs::write(&path, text).unwrap();
        crate::facts::load(&[path]).unwrap().base
    }

    #[test]
    fn pages_hold_ten_topics_and_clamp_to_the_last() {
        let base = base_with(23);
        let first = TopicsPage::of(&base, 0, Lang::EN);
        assert_eq!((first.page, first.pages, first.topics.len()), (0, 3, 10));
        assert_eq!((first.previous(), first.next()), (None, Some(1)));
        assert_eq!(first.topics[0].1, "Question 0?");
        let last = TopicsPage::of(&base, 99, Lang::EN);
        assert_eq!((last.page, last.topics.len()), (2, 3));
        assert_eq!((last.previous(), last.next()), (Some(1), None));
        assert_eq!(last.topics[2].0.as_str(), "f22");
    }
}
