//! House rules checked by reading the source: only `src/discord/` may name the Discord library
//! and only the platforms' folders the transports (reqwest in `src/slack/` and in
//! `src/discord/`, which hands the Discord library its client; tokio-tungstenite in
//! `src/slack/` alone), so the core stays platform-free; and no module folder has an import
//! cycle.

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

/// Lines outside the `src/<folder>/`s that contain any of `names`, as `src/path:line: text`.
fn named_outside(folders: &[&str], names: &[&str]) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let inside: Vec<PathBuf> = folders.iter().map(|folder| src.join(folder)).collect();
    for folder in &inside {
        assert!(
            folder.join("mod.rs").is_file(),
            "{} exists",
            folder.display()
        );
    }
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .iter()
        .filter(|path| !inside.iter().any(|folder| path.starts_with(folder)))
        .flat_map(|path| {
            let text = std::fs::read_to_string(path).expect("read source");
            let shown = path
                .strip_prefix(&src)
                .unwrap_or(path)
                .display()
                .to_string();
            text.lines()
                .enumerate()
                .filter(|(_, line)| names.iter().any(|name| line.contains(name)))
                .map(|(n, line)| format!("src/{shown}:{}: {}", n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn only_the_discord_module_names_serenity() {
    let offenders = named_outside(
        &["discord"],
        &["serenity::", "use serenity", "extern crate serenity"],
    );
    assert!(
        offenders.is_empty(),
        "serenity named outside src/discord/:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn only_the_slack_module_names_its_http_and_websocket_libraries() {
    // Code paths, not names: the log filter lists these crates as strings to quiet them.
    let offenders = named_outside(
        &["slack"],
        &["tokio_tungstenite::", "use tokio_tungstenite"],
    );
    assert!(
        offenders.is_empty(),
        "Slack's websocket library named outside src/slack/:\n{}",
        offenders.join("\n")
    );
    let offenders = named_outside(&["slack", "discord"], &["reqwest::", "use reqwest"]);
    assert!(
        offenders.is_empty(),
        "reqwest named outside the platforms' folders:\n{}",
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
    assert_eq!(example.slack, Config::default().slack);
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

/// The module a `super::`/`crate::…::` path names first, for every path in `text` (comment
/// lines left out), `{a, b::c}` groups included.
fn first_segments_after(text: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    let code: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut rest = code.as_str();
    while let Some(at) = rest.find(prefix) {
        let preceded_by_path = code[..code.len() - rest.len() + at]
            .chars()
            .next_back()
            .is_some_and(|c| c == ':' || c.is_alphanumeric() || c == '_');
        rest = &rest[at + prefix.len()..];
        if preceded_by_path {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(group.len(), |(i, _)| i);
            let mut depth = 0;
            let mut item = String::new();
            for c in group[..end].chars().chain([',']) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let head = item.trim().split("::").next().unwrap_or("");
                        let head = head.split_whitespace().next().unwrap_or("");
                        if !head.is_empty() {
                            names.push(head.to_owned());
                        }
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(c);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.push(name);
            }
        }
    }
    names
}

/// For the modules in `dir` (a module folder with a `mod.rs`): which sibling each one uses,
/// directly or through an item the parent re-exports from a sibling.
fn sibling_uses(
    src: &Path,
    dir: &Path,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let module_path = dir
        .strip_prefix(src)
        .expect("under src")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("::");
    let mut siblings = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read module folder") {
        let path = entry.expect("dir entry").path();
        let name = path
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if path.extension().is_some_and(|ext| ext == "rs") && name != "mod" {
            siblings.push((name, path));
        } else if path.join("mod.rs").is_file() {
            siblings.push((name, path.join("mod.rs")));
        }
    }
    let names: std::collections::BTreeSet<String> =
        siblings.iter().map(|(name, _)| name.clone()).collect();
    // `pub use notice::Notice;` in mod.rs: `super::Notice` is a use of `notice`.
    let parent = std::fs::read_to_string(dir.join("mod.rs")).unwrap_or_default();
    let mut reexported = std::collections::BTreeMap::new();
    for line in parent.lines().map(str::trim) {
        let Some(path) = line
            .strip_prefix("pub use ")
            .or_else(|| line.strip_prefix("pub(crate) use "))
        else {
            continue;
        };
        let Some((module, items)) = path.trim_end_matches(';').split_once("::") else {
            continue;
        };
        if !names.contains(module) {
            continue;
        }
        for item in items.trim_matches(|c| c == '{' || c == '}').split(',') {
            let item = item.split(" as ").last().unwrap_or("").trim();
            let item = item.rsplit("::").next().unwrap_or("");
            if !item.is_empty() {
                reexported.insert(item.to_owned(), module.to_owned());
            }
        }
    }
    let mut uses = std::collections::BTreeMap::new();
    for (name, path) in &siblings {
        let text = std::fs::read_to_string(path).expect("read source");
        let mut used = first_segments_after(&text, "super::");
        used.extend(first_segments_after(
            &text,
            &format!("crate::{module_path}::"),
        ));
        let used: std::collections::BTreeSet<String> = used
            .into_iter()
            .filter_map(|used| {
                if names.contains(&used) {
                    Some(used)
                } else {
                    reexported.get(&used).cloned()
                }
            })
            .filter(|used| used != name)
            .collect();
        uses.insert(name.clone(), used);
    }
    uses
}

/// A cycle in `uses`, as `a -> b -> a`, if there is one.
fn find_cycle(
    uses: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
) -> Option<String> {
    fn visit(
        node: &str,
        uses: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
    ) -> Option<String> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle.join(" -> "));
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in uses.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, uses, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = std::collections::BTreeSet::new();
    uses.keys()
        .find_map(|node| visit(node, uses, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_folder_has_an_import_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut folders = Vec::new();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    for file in &files {
        if file.file_name().is_some_and(|name| name == "mod.rs") {
            folders.push(file.parent().expect("folder").to_path_buf());
        }
    }
    assert!(folders.iter().any(|dir| dir.ends_with("discord")));
    let cycles: Vec<String> = folders
        .iter()
        .filter_map(|dir| {
            let cycle = find_cycle(&sibling_uses(&src, dir))?;
            Some(format!(
                "{}: {cycle}",
                dir.strip_prefix(&src).unwrap_or(dir).display()
            ))
        })
        .collect();
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_cycle_check_sees_uses_through_groups_and_reexports() {
    let uses = first_segments_after(
        "use super::{convert, retry::send, bot::{Bot, X}};\n// super::commented\nlet x = super::handler::y; crate::discord::messages::z",
        "super::",
    );
    assert_eq!(uses, ["convert", "retry", "bot", "handler"]);
    let mut graph = std::collections::BTreeMap::new();
    graph.insert("a".to_owned(), ["b".to_owned()].into());
    graph.insert("b".to_owned(), ["c".to_owned()].into());
    graph.insert("c".to_owned(), ["a".to_owned()].into());
    assert_eq!(find_cycle(&graph).as_deref(), Some("a -> b -> c -> a"));
    graph.insert("c".to_owned(), Default::default());
    assert_eq!(find_cycle(&graph), None);
}
