//! Issue 14's proof: the moderation corpus under version control (`tests/corpus/`), at least
//! 350 hurtful messages across the categories and both languages and at least 500 kind ones
//! (slang, sports, school subjects, place names, innocent words that contain rude ones).
//! Prints, per category and language, hurtful refused / total and kind refused / total;
//! asserts at least 95 % of the hurtful refused in every category and language, and no kind
//! message refused.
//!
//! `cargo test -p ruban-core --test moderation_corpus -- --nocapture` shows the figures.

mod corpus;

use std::collections::BTreeMap;
use std::time::Instant;

use corpus::Sample;
use ruban_core::moderation::{Category, EMBEDDED_LISTS, Filter};

/// Per (category, language): (refused, total, refused under the expected category).
type Tally = BTreeMap<(String, String), (usize, usize, usize)>;

fn tally<'a>(samples: &'a [Sample], filter: &Filter) -> (Tally, Vec<(&'a Sample, Option<Category>)>) {
    let mut tally = Tally::new();
    let mut verdicts = Vec::new();
    for s in samples {
        let verdict = filter.check(&s.text).err();
        let cell = tally.entry((s.category.clone(), s.language.clone())).or_default();
        cell.1 += 1;
        if let Some(c) = verdict {
            cell.0 += 1;
            if c.name() == s.category {
                cell.2 += 1;
            }
        }
        verdicts.push((s, verdict));
    }
    (tally, verdicts)
}

#[test]
fn the_corpus_hurtful_is_refused_and_the_kind_passes() {
    let started = Instant::now();
    let filter = Filter::compile(&EMBEDDED_LISTS).expect("the embedded lists compile");
    println!("lists compiled in {:.1} ms ({} patterns)", started.elapsed().as_secs_f64() * 1e3, filter.len());

    let hurtful = corpus::hurtful();
    let kind = corpus::kind();
    assert!(hurtful.len() >= 350, "the corpus has {} hurtful messages, at least 350 wanted", hurtful.len());
    assert!(kind.len() >= 500, "the corpus has {} kind messages, at least 500 wanted", kind.len());
    for s in &hurtful {
        assert!(
            Category::ALL.iter().any(|c| c.name() == s.category),
            "{}: {:?} is not a category ({:?})",
            s.at,
            s.category,
            Category::ALL.map(Category::name)
        );
    }

    let (hurt, hurt_verdicts) = tally(&hurtful, &filter);
    let (good, good_verdicts) = tally(&kind, &filter);

    println!("hurtful refused / total, per category and language (and refused as that category):");
    let (mut refused, mut total) = (0, 0);
    for ((category, language), (r, t, same)) in &hurt {
        println!("  {category:<13} {language}  {r:>3}/{t:<3}  ({same} as {category})");
        refused += r;
        total += t;
    }
    println!("  {:<16} {refused:>3}/{total}", "all");
    println!("kind refused / total, per theme and language:");
    let (mut k_refused, mut k_total) = (0, 0);
    for ((theme, language), (r, t, _)) in &good {
        println!("  {theme:<13} {language}  {r:>3}/{t}");
        k_refused += r;
        k_total += t;
    }
    println!("  {:<16} {k_refused:>3}/{k_total}", "all");

    let let_through: Vec<String> = hurt_verdicts
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(s, _)| format!("{} {}|{}|{}", s.at, s.category, s.language, s.text))
        .collect();
    let wrongly_refused: Vec<String> = good_verdicts
        .iter()
        .filter_map(|(s, v)| {
            v.map(|c| {
                let pattern = filter.explain(&s.text).map(|(_, p)| p.to_owned()).unwrap_or_default();
                format!("{} {}|{}|{} (refused as {c} by {pattern:?})", s.at, s.category, s.language, s.text)
            })
        })
        .collect();
    if !let_through.is_empty() {
        println!("hurtful let through:\n  {}", let_through.join("\n  "));
    }
    for category in Category::ALL {
        for language in ["fr", "en"] {
            let (r, t, _) = hurt.get(&(category.name().to_owned(), language.to_owned())).copied().unwrap_or_default();
            assert!(t >= 20, "{category} {language}: {t} hurtful messages in the corpus, at least 20 wanted");
            assert!(
                r * 100 >= t * 95,
                "{category} {language}: {r}/{t} hurtful refused, at least 95 % wanted; let through:\n  {}",
                let_through.join("\n  ")
            );
        }
    }
    assert!(wrongly_refused.is_empty(), "kind messages refused:\n  {}", wrongly_refused.join("\n  "));
}
