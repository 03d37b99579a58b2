//! Issue 34's proof that cannot flatter: the scorer measured on *families* of messages held
//! out of its training. Each family is one intent written many ways (`tests/corpus/`); the
//! families are dealt into five folds, and each fold is judged by a model trained on the four
//! others, so no spelling of a held-out sentence was ever seen. Prints, per category and
//! language, how many hurtful messages are refused or held for an adult, and how many kind
//! ones are, by the lists alone, the scorer alone and both (the product); then the same for
//! the families the lists were never tuned on.
//!
//! `cargo test -p ruban-core --test moderation_families -- --nocapture` shows the figures.

mod corpus;

use std::collections::BTreeMap;

use corpus::Sample;
use ruban_core::moderation::scorer::{self, Opinion};
use ruban_core::moderation::{Category, Filter, Verdict};

/// Folds of the k-fold by family.
const FOLDS: u64 = 5;

/// The fold a family falls in (a hash of its name: stable, and blind to its content).
fn fold_of(family: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in family.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    (h ^ (h >> 31)) % FOLDS
}

/// Each sample's opinion by a model that never saw its family.
fn held_out_opinions(samples: &[Sample]) -> Vec<Opinion> {
    let mut out = vec![None; samples.len()];
    for k in 0..FOLDS {
        let training: Vec<(&str, Option<Category>)> =
            samples.iter().filter(|s| fold_of(&s.family) != k).map(|s| (s.text.as_str(), s.label())).collect();
        let model = scorer::train(&training);
        for (i, s) in samples.iter().enumerate().filter(|(_, s)| fold_of(&s.family) == k) {
            out[i] = Some(scorer::opinion_of(&model, &s.text));
        }
    }
    out.into_iter().map(|o| o.expect("every sample is in one fold")).collect()
}

/// Refused, held, total.
#[derive(Default, Clone, Copy)]
struct Cell {
    refused: usize,
    held: usize,
    total: usize,
}

impl Cell {
    fn stopped(self) -> usize {
        self.refused + self.held
    }
}

/// Per (hurtful, category or theme, language), for one way of judging.
type Table = BTreeMap<(bool, String, String), Cell>;

fn tabulate<'a>(samples: impl Iterator<Item = (&'a Sample, Verdict)>) -> Table {
    let mut table = Table::new();
    for (s, verdict) in samples {
        let cell = table.entry((s.hurtful, s.category.clone(), s.language.clone())).or_default();
        cell.total += 1;
        match verdict {
            Verdict::Hurtful(_) => cell.refused += 1,
            Verdict::Uncertain(_) => cell.held += 1,
            Verdict::Kind => {}
        }
    }
    table
}

fn print(title: &str, table: &Table) {
    println!("{title}");
    for hurtful in [true, false] {
        let (mut stopped, mut total) = (0, 0);
        println!("  {} refused + held / total:", if hurtful { "hurtful" } else { "kind" });
        for ((_, what, language), cell) in table.iter().filter(|((h, _, _), _)| *h == hurtful) {
            println!(
                "    {what:<14} {language}  {:>3} + {:>3} / {:<4} {:>5.1} %",
                cell.refused,
                cell.held,
                cell.total,
                100.0 * cell.stopped() as f64 / cell.total as f64
            );
            stopped += cell.stopped();
            total += cell.total;
        }
        println!("    {:<17} {stopped:>9} / {total:<4} {:>5.1} %", "all", 100.0 * stopped as f64 / total.max(1) as f64);
    }
}

fn share(table: &Table, hurtful: bool, pick: impl Fn(&str, &str) -> bool) -> (usize, usize) {
    table
        .iter()
        .filter(|((h, what, language), _)| *h == hurtful && pick(what, language))
        .fold((0, 0), |(s, t), (_, c)| (s + c.stopped(), t + c.total))
}

#[test]
fn held_out_families_are_stopped_and_kind_ones_pass() {
    let samples = corpus::everything();
    let families: std::collections::BTreeSet<&str> = samples.iter().map(|s| s.family.as_str()).collect();
    println!("{} messages in {} families, {FOLDS} folds by family", samples.len(), families.len());
    let opinions = held_out_opinions(&samples);
    let lists = Filter::embedded();
    let by_lists = |s: &Sample| lists.check(&s.text).err().map_or(Verdict::Kind, Verdict::Hurtful);
    // Names go through the lists only in the product (the scorer reads sentences).
    let both = |s: &Sample, o: Opinion| match by_lists(s) {
        Verdict::Kind if s.category == "name" => Verdict::Kind,
        Verdict::Kind => o.verdict(),
        refused => refused,
    };

    let lists_alone = tabulate(samples.iter().map(|s| (s, by_lists(s))));
    let scorer_alone =
        tabulate(samples.iter().zip(&opinions).filter(|(s, _)| s.category != "name").map(|(s, o)| (s, o.verdict())));
    let product = tabulate(samples.iter().zip(&opinions).map(|(s, o)| (s, both(s, *o))));
    let unseen: Vec<(&Sample, Verdict)> = samples
        .iter()
        .zip(&opinions)
        .filter(|(s, _)| s.at.contains("families"))
        .map(|(s, o)| (s, both(s, *o)))
        .collect();
    let unseen_by_lists = tabulate(unseen.iter().map(|(s, _)| (*s, by_lists(s))));
    let unseen = tabulate(unseen.into_iter());

    print("lists alone (tuned on hurtful.txt and kind.txt):", &lists_alone);
    print("scorer alone, families held out:", &scorer_alone);
    print("lists + scorer (the product), families held out:", &product);
    print("families files only (never seen by the lists), lists alone:", &unseen_by_lists);
    print("families files only, lists + scorer:", &unseen);

    // The trade-off at other thresholds: where the shipped ones sit on the curve.
    println!("lists + scorer at other thresholds (stopped when the scorer's probability ≥ t):");
    for t in [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] {
        let (mut h, mut k, mut ht, mut kt) = (0, 0, 0, 0);
        for (s, o) in samples.iter().zip(&opinions) {
            let stopped = lists.check(&s.text).is_err() || (s.category != "name" && o.hurtful >= t);
            if s.hurtful {
                (h, ht) = (h + usize::from(stopped), ht + 1);
            } else {
                (k, kt) = (k + usize::from(stopped), kt + 1);
            }
        }
        println!(
            "  t = {t:.1}: hurtful {h}/{ht} ({:.1} %), kind {k}/{kt} ({:.1} %)",
            100.0 * h as f64 / ht as f64,
            100.0 * k as f64 / kt as f64
        );
    }

    let wrongly: Vec<String> = samples
        .iter()
        .zip(&opinions)
        .filter(|(s, o)| !s.hurtful && both(s, **o) != Verdict::Kind)
        .map(|(s, o)| format!("{} {:.2} {}", s.at, o.hurtful, s.text))
        .collect();
    let missed: Vec<String> = samples
        .iter()
        .zip(&opinions)
        .filter(|(s, o)| s.hurtful && both(s, **o) == Verdict::Kind)
        .map(|(s, o)| format!("{} {:.2} {}", s.at, o.hurtful, s.text))
        .collect();
    println!("kind refused or held:\n  {}", wrongly.join("\n  "));
    println!("hurtful let through:\n  {}", missed.join("\n  "));

    // Floors, per language over every category, and overall for kind messages. The issue
    // asks 95 % in every category and at most 1 % of kind; the README says where it stands.
    for language in ["fr", "en"] {
        let (stopped, total) = share(&product, true, |_, l| l == language);
        assert!(stopped * 100 >= total * HURTFUL_FLOOR, "{language}: {stopped}/{total} hurtful stopped");
    }
    let (stopped, total) = share(&product, false, |_, _| true);
    assert!(stopped * 1000 <= total * KIND_CEILING_PER_MILLE, "{stopped}/{total} kind stopped");
}

/// At least this share (%) of held-out hurtful messages refused or held, in each language: above
/// what the lists stop alone (62.5 % over both), so the test fails if the scorer stops adding.
const HURTFUL_FLOOR: usize = 66;
/// At most this share (‰) of kind messages refused or held.
const KIND_CEILING_PER_MILLE: usize = 30;

#[test]
fn the_shipped_model_is_the_one_the_corpus_trains() {
    let samples = corpus::everything();
    let labelled: Vec<(&str, Option<Category>)> = samples.iter().map(|s| (s.text.as_str(), s.label())).collect();
    let model = scorer::train(&labelled);
    assert!(
        model.to_bytes() == scorer::EMBEDDED_MODEL,
        "assets/moderation/scorer.bin is not what the corpus trains: run \
         `cargo run --release -p ruban-core --example train_scorer` and commit the file"
    );
}
