//! Every message exists in both languages with the same attributes and variables, and every
//! message id the code uses exists.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;
use ruban_core::i18n::{EN_SOURCES, FR_SOURCES};

type Shape = (BTreeSet<String>, BTreeSet<String>); // attributes, variables

fn vars_in_pattern(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            vars_in_expression(expression, out);
        }
    }
}

fn vars_in_expression(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Inline(i) => vars_in_inline(i, out),
        ast::Expression::Select { selector, variants } => {
            vars_in_inline(selector, out);
            for v in variants {
                vars_in_pattern(&v.value, out);
            }
        }
    }
}

fn vars_in_inline(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => vars_in_expression(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                vars_in_inline(a, out);
            }
        }
        _ => {}
    }
}

fn messages(sources: &[&str]) -> BTreeMap<String, Shape> {
    let mut out = BTreeMap::new();
    for src in sources {
        let res = fluent_syntax::parser::parse(*src).unwrap_or_else(|(_, errs)| panic!("parse errors: {errs:?}"));
        for entry in res.body {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(v) = &m.value {
                    vars_in_pattern(v, &mut vars);
                }
                let attrs = m.attributes.iter().map(|a| a.id.name.to_owned()).collect();
                for a in &m.attributes {
                    vars_in_pattern(&a.value, &mut vars);
                }
                assert!(out.insert(m.id.name.to_owned(), (attrs, vars)).is_none(), "{} defined twice", m.id.name);
            }
        }
    }
    out
}

#[test]
fn french_and_english_have_the_same_messages_attributes_and_variables() {
    let fr = messages(&FR_SOURCES);
    let en = messages(&EN_SOURCES);
    let fr_ids: BTreeSet<_> = fr.keys().collect();
    let en_ids: BTreeSet<_> = en.keys().collect();
    assert_eq!(fr_ids.difference(&en_ids).collect::<Vec<_>>(), Vec::<&&String>::new(), "only in fr-CA");
    assert_eq!(en_ids.difference(&fr_ids).collect::<Vec<_>>(), Vec::<&&String>::new(), "only in en-CA");
    for (id, shape) in &fr {
        assert_eq!(Some(shape), en.get(id), "{id}: attributes or variables differ");
    }
}

#[test]
fn french_follows_quebec_typography() {
    for src in FR_SOURCES {
        for line in src.lines().filter(|l| !l.trim_start().starts_with('#')) {
            assert!(!line.contains(" :"), "a no-break space goes before the colon: {line}");
            assert!(!line.contains(" !") && !line.contains(" ?"), "no space before ! or ?: {line}");
            assert!(!line.contains("« ") && !line.contains(" »"), "no-break spaces inside « »: {line}");
            assert!(!line.contains('·'), "neutral wording or doublets, not the point médian: {line}");
        }
    }
}

/// String literals in the code that look like message ids.
fn ids_used_in(dir: &std::path::Path, out: &mut BTreeSet<String>) {
    const PREFIXES: [&str; 18] = [
        "command-",
        "option-",
        "card-",
        "ribbon-",
        "class-",
        "wall-",
        "totals-",
        "language-",
        "forget-",
        "error-",
        "web-",
        "badge-",
        "certificate-",
        "help",
        "welcome",
        "month-",
        "weekday-",
        "date-",
    ];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            ids_used_in(&path, out);
            continue;
        }
        // parse.rs and the command table hold command names ("forget-me", "help"), not message
        // ids (the table's Fluent ids are checked by the table's own test below).
        if path.extension().is_none_or(|e| e != "rs" && e != "html")
            || path.ends_with("parse.rs")
            || path.ends_with("table.rs")
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // In Rust sources, string literals; in HTML only {{placeholders}} (quotes hold CSS classes).
        let literals = if path.extension().is_some_and(|e| e == "rs") {
            text.split('"').skip(1).step_by(2).collect()
        } else {
            Vec::new()
        };
        for piece in literals {
            let piece = piece.trim_start_matches("{{").trim_end_matches("}}");
            let looks_like_id = PREFIXES.iter().any(|p| piece.starts_with(p))
                && piece.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !piece.ends_with('-');
            // Discord's English command name, not a message id.
            if looks_like_id && piece != "forget-me" {
                out.insert(piece.to_owned());
            }
        }
        // HTML placeholders.
        if path.extension().is_some_and(|e| e == "html") {
            for piece in text.split("{{").skip(1) {
                if let Some(id) = piece.split("}}").next().filter(|id| id.starts_with("web-")) {
                    out.insert(id.to_owned());
                }
            }
        }
    }
}

#[test]
fn every_message_id_used_in_code_exists() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut used = BTreeSet::new();
    ids_used_in(&root.join("core/src"), &mut used);
    ids_used_in(&root.join("web/src"), &mut used);
    ids_used_in(&root.join("web/static"), &mut used);
    ids_used_in(&root.join("telegram/src"), &mut used);
    ids_used_in(&root.join("discord/src"), &mut used);
    let fr = messages(&FR_SOURCES);
    // Ids built at run time: the six headlines, the suggestions, months and weekdays.
    for d in ruban_vocabulary::Design::ALL {
        used.insert(format!("card-headline-{}", d.id()));
    }
    // The command table's descriptions and help lines.
    for c in ruban_core::table::COMMANDS {
        used.insert(c.menu.to_owned());
        used.extend(c.help.iter().map(|h| (*h).to_owned()));
        used.extend(c.options.iter().map(|o| o.help.to_owned()));
    }
    let missing: Vec<&String> = used.iter().filter(|id| !fr.contains_key(*id)).collect();
    assert!(used.len() > 40, "the scan found only {} ids", used.len());
    assert_eq!(missing, Vec::<&String>::new(), "ids used in code but in no locale");
}
