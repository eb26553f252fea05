//! Fuzzes loading one facts file from bytes: no input may panic the loader, and every error
//! must name a line and column inside the file. A loaded base is also indexed and asked its
//! own first question, so indexing sees the odd bases that load.
#![no_main]

use std::path::PathBuf;

use factbot::facts::load_sources;
use factbot::matcher::{MatchSettings, Matcher};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let lines = text.split('\n').count();
    match load_sources(vec![(PathBuf::from("fuzz.toml"), text.clone())]) {
        Ok(loaded) => {
            let matcher = Matcher::new(&loaded.base, &MatchSettings::default());
            let _ = matcher.ask(loaded.base.facts[0].title());
        }
        Err(error) => {
            for diagnostic in error.diagnostics().iter().filter(|d| d.is_error()) {
                assert!(
                    (1..=lines).contains(&diagnostic.line) && diagnostic.column >= 1,
                    "{diagnostic} is not inside the file"
                );
            }
        }
    }
});
