//! The example config documents every matching setting with its real default.

use std::path::Path;

use factbot::matcher::MatchSettings;

#[test]
fn the_example_lists_every_matching_setting_with_its_default() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/factbot.example.toml");
    let example = std::fs::read_to_string(path).expect("example config");
    let section = example
        .split("[matching]\n")
        .nth(1)
        .expect("a [matching] section");
    let uncommented: String = section
        .lines()
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.strip_prefix("# "))
        .filter(|line| line.contains(" = "))
        .map(|line| format!("{}\n", line.split('#').next().unwrap_or("").trim()))
        .collect();
    let documented: MatchSettings =
        toml::from_str(&uncommented).expect("documented settings parse");
    assert_eq!(
        documented,
        MatchSettings::default(),
        "documented values differ from the defaults"
    );
    let keys = toml::Value::try_from(MatchSettings::default()).expect("serializes");
    for key in keys.as_table().expect("a table").keys() {
        assert!(
            uncommented.contains(&format!("{key} = ")),
            "{key} is not documented"
        );
    }
}

/// Every key of the example config, as `section.key` (`facts` at the top), with its value when
/// the line is not commented out.
fn example_keys(example: &str) -> Vec<(String, Option<String>)> {
    let mut section = String::new();
    let mut keys = Vec::new();
    for line in example.lines() {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = format!("{name}.");
            continue;
        }
        let (commented, text) = match line.strip_prefix("# ") {
            Some(text) => (true, text),
            None => (false, line),
        };
        let Some((key, value)) = text.split_once(" = ") else {
            continue;
        };
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            continue;
        }
        let value = value.split(" #").next().unwrap_or("").trim().to_owned();
        keys.push((format!("{section}{key}"), (!commented).then_some(value)));
    }
    keys
}

/// The README's configuration table: key → default, as written between backticks.
fn readme_table(readme: &str) -> Vec<(String, String)> {
    let section = readme
        .split("\n## Configuration\n")
        .nth(1)
        .expect("a Configuration section")
        .split("\n## ")
        .next()
        .unwrap_or("");
    section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(" | ").collect();
            let key = cells.first()?.strip_prefix("| `")?.strip_suffix('`')?;
            Some((key.to_owned(), cells.get(1)?.trim_matches('`').to_owned()))
        })
        .collect()
}

#[test]
fn the_readme_configuration_table_lists_every_example_key_with_its_default() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example =
        std::fs::read_to_string(root.join("config/factbot.example.toml")).expect("example");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let keys = example_keys(&example);
    let table = readme_table(&readme);
    assert!(
        keys.len() > 30 && table.len() > 30,
        "{} keys, {} rows",
        keys.len(),
        table.len()
    );
    let listed: Vec<&str> = table.iter().map(|(key, _)| key.as_str()).collect();
    let documented: Vec<&str> = keys.iter().map(|(key, _)| key.as_str()).collect();
    for (key, value) in &keys {
        let row = table.iter().find(|(row, _)| row == key);
        let Some((_, default)) = row else {
            panic!("{key} is in the example config but not in the README's table");
        };
        if let Some(value) = value {
            assert_eq!(default, value, "README default of {key}");
        }
    }
    for key in &listed {
        assert!(
            documented.contains(key),
            "{key} is in the README's table but not in the example"
        );
    }
    let mut sorted = listed.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), listed.len(), "each key once");
}
