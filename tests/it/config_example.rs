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
