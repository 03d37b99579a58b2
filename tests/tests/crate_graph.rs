//! The crate graph the design draws, read from `cargo metadata`: the vocabulary at the bottom,
//! the renderer and the store beside each other above it, the core over both, the adapters
//! over the core only, the binary on top. A dependency that points the wrong way fails here
//! before it becomes a seam.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

/// Each workspace crate and the workspace crates it uses in its own code ([dependencies] and
/// [build-dependencies]; tests and examples may use the shared test support).
fn workspace_graph() -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let meta: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON");
    let packages = meta["packages"].as_array().expect("packages");
    let members: BTreeSet<String> = packages.iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect();
    packages
        .iter()
        .map(|p| {
            let uses = p["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["kind"].is_null() || d["kind"] == "build")
                .map(|d| d["name"].as_str().unwrap().to_owned())
                .filter(|d| members.contains(d) && d != "workspace-hack")
                .collect();
            (p["name"].as_str().unwrap().to_owned(), uses)
        })
        .collect()
}

#[test]
fn every_crate_uses_only_the_crates_below_it() {
    let graph = workspace_graph();
    let set = |names: &[&str]| names.iter().map(|s| (*s).to_owned()).collect::<BTreeSet<String>>();
    // What each crate may use; anything else it uses is a wrong-way dependency.
    let allowed: BTreeMap<&str, BTreeSet<String>> = [
        ("ruban-vocabulary", set(&[])),
        ("ruban-scorer", set(&[])),
        ("card-renderer", set(&["ruban-vocabulary"])),
        ("ruban-store", set(&["ruban-vocabulary"])),
        ("ruban-core", set(&["ruban-vocabulary", "card-renderer", "ruban-store", "ruban-scorer"])),
        ("ruban-telegram", set(&["ruban-vocabulary", "ruban-core"])),
        ("ruban-discord", set(&["ruban-vocabulary", "ruban-core"])),
        // The web still opens the store itself for its pages and exports; it is to reach data
        // through the core's use cases (the house issue, point 4), and then loses this edge.
        ("ruban-web", set(&["ruban-vocabulary", "card-renderer", "ruban-core", "ruban-store"])),
    ]
    .into_iter()
    .collect();
    let mut wrong = Vec::new();
    for (krate, may) in &allowed {
        let uses = graph.get(*krate).unwrap_or_else(|| panic!("{krate} is a workspace member"));
        for dep in uses.difference(may) {
            wrong.push(format!("{krate} → {dep}"));
        }
    }
    assert!(wrong.is_empty(), "dependencies against the design's graph: {wrong:?}");
    // The adapters speak the vocabulary and ask the core; they neither draw nor store.
    for adapter in ["ruban-telegram", "ruban-discord"] {
        assert!(!graph[adapter].contains("card-renderer") && !graph[adapter].contains("ruban-store"), "{adapter}");
    }
    assert!(!graph["ruban-store"].contains("card-renderer"), "the store keeps words, not drawings");
}

#[test]
fn no_crate_of_the_product_reaches_up_to_the_binary_or_the_tests() {
    let graph = workspace_graph();
    for (krate, uses) in &graph {
        if krate == "ruban-tests" || krate == "ruban-fuzz-checks" {
            continue;
        }
        for top in ["ruban", "ruban-tests", "ruban-fuzz-checks"] {
            assert!(!uses.contains(top), "{krate} uses {top}");
        }
    }
}

/// The modules of the crate whose sources are in `src` (`lib.rs`/`main.rs` excluded: the root
/// declares every module) and, for each, the sibling modules its code names (`crate::x`).
fn module_uses(src: &std::path::Path) -> BTreeMap<String, BTreeSet<String>> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(src, &mut files);
    // A module is named by its top-level file or folder: `commands/card.rs` is `commands`.
    let top = |p: &std::path::Path| {
        let rel = p.strip_prefix(src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        first.trim_end_matches(".rs").to_owned()
    };
    let names: BTreeSet<String> = files.iter().map(|p| top(p)).filter(|n| n != "lib" && n != "main").collect();
    let mut uses: BTreeMap<String, BTreeSet<String>> = names.iter().map(|n| (n.clone(), BTreeSet::new())).collect();
    for p in &files {
        let me = top(p);
        if me == "lib" || me == "main" {
            continue;
        }
        // Code only: comments (doc links included) name modules without using them.
        let code: String = std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .map(|l| l.split("//").next().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n");
        for other in names.iter().filter(|n| **n != me) {
            let path = format!("crate::{other}::");
            let grouped = code.match_indices("use crate::{").any(|(i, _)| {
                let list = &code[i..i + code[i..].find('}').unwrap_or(0)];
                list.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == other)
            });
            if code.contains(&path) || grouped {
                uses.get_mut(&me).unwrap().insert(other.clone());
            }
        }
    }
    uses
}

#[test]
fn no_two_files_of_a_crate_use_each_other() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut circles = Vec::new();
    for krate in [
        "bots/vocabulary",
        "card-renderer",
        "bots/store",
        "bots/scorer",
        "bots/core",
        "bots/web",
        "bots/telegram",
        "bots/discord",
        "bots/ruban",
        "tests",
    ] {
        let uses = module_uses(&root.join(krate).join("src"));
        for (a, used) in &uses {
            for b in used.iter().filter(|b| a < *b) {
                if uses[b].contains(a) {
                    circles.push(format!("{krate}: {a} ↔ {b}"));
                }
            }
        }
    }
    assert!(circles.is_empty(), "file circles: {circles:?}");
}

/// The product's sources, each with its text (tests, examples and benches excluded).
fn product_sources() -> Vec<(std::path::PathBuf, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = Vec::new();
    let mut stack: Vec<std::path::PathBuf> = [
        "bots/vocabulary/src",
        "card-renderer/src",
        "bots/store/src",
        "bots/scorer/src",
        "bots/core/src",
        "bots/web/src",
        "bots/telegram/src",
        "bots/discord/src",
        "bots/ruban/src",
    ]
    .iter()
    .map(|d| root.join(d))
    .collect();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                out.push((p, text));
            }
        }
    }
    out
}

#[test]
fn only_the_clock_reads_the_systems_date() {
    let mut readers = Vec::new();
    for (path, text) in product_sources() {
        if path.ends_with("bots/vocabulary/src/clock.rs") {
            continue;
        }
        for needle in ["now_utc()", "SystemTime::now", "Utc::now", "now_local("] {
            if text.contains(needle) {
                readers.push(format!("{} ({needle})", path.display()));
            }
        }
    }
    assert!(readers.is_empty(), "the date is read outside the clock: {readers:?}");
}

#[test]
fn pages_are_templates_that_escape_by_themselves() {
    // Every page is a maud template (checked when compiled, escaping what it inserts): no
    // HTML assembled in strings, no hand-placed escaping left to forget.
    let mut found = Vec::new();
    for (path, text) in product_sources().into_iter().filter(|(p, _)| p.to_string_lossy().contains("bots/web/src")) {
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let tag_in_string = code.match_indices("\"<").any(|(i, _)| {
                code[i + 2..].chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!')
            });
            if tag_in_string || code.contains("esc(") {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "HTML outside templates: {found:#?}");
}
