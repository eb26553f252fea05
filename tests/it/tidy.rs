//! House rules checked by reading the source: only `src/discord/` may name the Discord library,
//! so the core stays platform-free and a second platform never inherits Discord types.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_the_discord_module_names_serenity() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let discord = src.join("discord");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|path| !path.starts_with(&discord))
        .flat_map(|path| {
            let text = std::fs::read_to_string(path).expect("read source");
            let shown = path
                .strip_prefix(&src)
                .unwrap_or(path)
                .display()
                .to_string();
            text.lines()
                .enumerate()
                .filter(|(_, line)| {
                    line.contains("serenity::")
                        || line.contains("use serenity")
                        || line.contains("extern crate serenity")
                })
                .map(|(n, line)| format!("src/{shown}:{}: {}", n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        files.iter().any(|path| path.starts_with(&discord)),
        "src/discord/ exists"
    );
    assert!(
        offenders.is_empty(),
        "serenity named outside src/discord/:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn shipped_config_files_parse_and_the_default_one_holds_the_defaults() {
    use factbot::config::Config;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = Config::load(Some(&root.join("config/factbot.example.toml")))
        .expect("example config parses");
    let default =
        Config::load(Some(&root.join("config/factbot.toml"))).expect("default config parses");
    assert_eq!(default, Config::default());
    assert_eq!(example.discord, Config::default().discord);
    assert_eq!(example.log, Config::default().log);
    assert_eq!(example.reload, Config::default().reload);
    assert_eq!(example.history, Config::default().history);
    let text = std::fs::read_to_string(root.join("config/factbot.example.toml")).expect("read");
    for key in [
        "[reload]",
        "[history]",
        "moderator_role_ids =",
        "moderator_permission =",
        "# log_channel_id =",
        "helpful_buttons =",
        "watch =",
        "debounce_ms =",
        "enabled =",
        "database =",
        "retention_days =",
    ] {
        assert!(text.contains(key), "the example documents {key}");
    }
}
