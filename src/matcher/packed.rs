//! Sets and maps of many short strings, stored end to end in one buffer.
//!
//! The lexicon's tables hold tens of thousands of words and phrases for the life of the
//! process. As `HashMap<String, Vec<String>>` each word is an allocation of its own with a
//! 24-byte header: the phrase tables took 4.6 MB of heap for 7,400 phrases. Here a key is
//! eight bytes in a hash table over one string, a fifth of that, and a lookup is one hash and
//! one comparison, as before.

use std::hash::BuildHasher as _;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

/// Where a string is in a table's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    start: u32,
    end: u32,
}

/// A map from strings to `V`, the strings end to end in one `String`; insertion order is
/// kept, so iteration never depends on hashing.
pub(crate) struct PackedMap<V> {
    text: String,
    /// Indices into `entries`, found by the key's hash.
    table: HashTable<u32>,
    entries: Vec<(Span, V)>,
}

/// A set of strings: a [`PackedMap`] without values.
pub(crate) type PackedSet = PackedMap<()>;

impl<V> Default for PackedMap<V> {
    fn default() -> Self {
        Self {
            text: String::new(),
            table: HashTable::new(),
            entries: Vec::new(),
        }
    }
}

impl<V> std::fmt::Debug for PackedMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PackedMap({} keys)", self.entries.len())
    }
}

fn hash(key: &str) -> u64 {
    FxBuildHasher.hash_one(key)
}

impl<V> PackedMap<V> {
    /// The string at `span` of this table's buffer.
    pub(crate) fn str(&self, span: Span) -> &str {
        &self.text[span.start as usize..span.end as usize]
    }

    fn index_of(&self, key: &str) -> Option<usize> {
        let entries = &self.entries;
        let text = &self.text;
        self.table
            .find(hash(key), |&index| {
                let span = entries[index as usize].0;
                &text[span.start as usize..span.end as usize] == key
            })
            .map(|&index| index as usize)
    }

    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        self.index_of(key).map(|index| &self.entries[index].1)
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.index_of(key).is_some()
    }

    /// Where `key` is stored, if it is a key.
    pub(crate) fn span(&self, key: &str) -> Option<Span> {
        self.index_of(key).map(|index| self.entries[index].0)
    }

    /// Adds `key → value` unless `key` is there already (then the first value stays).
    /// Returns where the key is stored, either way.
    pub(crate) fn insert(&mut self, key: &str, value: V) -> Span {
        if let Some(index) = self.index_of(key) {
            return self.entries[index].0;
        }
        let start = u32::try_from(self.text.len()).expect("a lexicon table under 4 GiB");
        self.text.push_str(key);
        let span = Span {
            start,
            end: start + key.len() as u32,
        };
        let index = self.entries.len() as u32;
        self.entries.push((span, value));
        let (entries, text) = (&self.entries, &self.text);
        self.table.insert_unique(hash(key), index, |&index| {
            let span = entries[index as usize].0;
            hash(&text[span.start as usize..span.end as usize])
        });
        span
    }

    /// The keys and values in insertion order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.entries
            .iter()
            .map(|(span, value)| (self.str(*span), value))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(key, _)| key)
    }

    /// Frees the room that growing left over: a table is built once and then only read.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.entries.shrink_to_fit();
        let (entries, text) = (&self.entries, &self.text);
        self.table.shrink_to_fit(|&index| {
            let span = entries[index as usize].0;
            hash(&text[span.start as usize..span.end as usize])
        });
    }
}

impl<'a> FromIterator<&'a str> for PackedSet {
    fn from_iter<I: IntoIterator<Item = &'a str>>(keys: I) -> Self {
        let mut set = Self::default();
        for key in keys {
            set.insert(key, ());
        }
        set.shrink_to_fit();
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_value_stays_and_spans_point_at_the_key() {
        let mut map = PackedMap::default();
        let port = map.insert("port", 1);
        map.insert("harbour", 2);
        assert_eq!(map.insert("port", 3), port);
        assert_eq!(map.get("port"), Some(&1));
        assert_eq!(map.str(port), "port");
        assert_eq!(map.span("harbour").map(|s| map.str(s)), Some("harbour"));
        assert!(map.get("por").is_none() && !map.contains("ports"));
        assert_eq!(map.keys().collect::<Vec<_>>(), ["port", "harbour"]);
    }

    #[test]
    fn iteration_is_in_insertion_order_whatever_the_hashes() {
        let words = ["zeta", "alpha", "mu", "beta", "omega", "", "pi"];
        let set: PackedSet = words.iter().copied().collect();
        assert_eq!(set.keys().collect::<Vec<_>>(), words);
        assert!(set.contains(""), "the empty string is a key like any other");
    }
}
