//! The `/facts` listing: every fact's title, a page at a time.
//!
//! Pure (no Discord types) so paging is tested on its own; `convert` lays a page out.

use crate::facts::{FactBase, FactId};

/// Topics per page: two rows of five buttons, leaving a row for "previous"/"next".
pub(crate) const PER_PAGE: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TopicsPage {
    /// Zero-based, clamped to the last page.
    pub page: usize,
    pub pages: usize,
    pub topics: Vec<(FactId, String)>,
}

impl TopicsPage {
    /// Page `page` of the facts' titles, in file order (the order the editors chose).
    pub(crate) fn of(base: &FactBase, page: usize) -> Self {
        let pages = base.facts.len().div_ceil(PER_PAGE).max(1);
        let page = page.min(pages - 1);
        let topics = base
            .facts
            .iter()
            .skip(page * PER_PAGE)
            .take(PER_PAGE)
            .map(|fact| (fact.id.clone(), fact.title().to_owned()))
            .collect();
        Self {
            page,
            pages,
            topics,
        }
    }

    pub(crate) fn previous(&self) -> Option<usize> {
        self.page.checked_sub(1)
    }

    pub(crate) fn next(&self) -> Option<usize> {
        (self.page + 1 < self.pages).then_some(self.page + 1)
    }
}
