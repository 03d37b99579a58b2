//! The second opinion beside the lists: a linear model over pieces of words and pairs of
//! words (`ruban-scorer`), trained from the moderation corpus and compiled into the binary,
//! for the hurtful sentences no list holds (« personne remarquerait si tu disparaissais »).
//!
//! It gives three answers, not two. Clearly hurtful texts are refused as the lists' are;
//! texts it is unsure of are [`Verdict::Uncertain`]: not drawn yet, an adult decides (in a
//! class), or the sender says it another way (where no adult is in charge). A model that
//! generalises also errs, and a child's kind card held for a teacher's look costs a minute,
//! where a cruel one delivered costs much more.
//!
//! The model file is made by `cargo run --release -p ruban-core --example train_scorer`
//! from `tests/corpus/` (reproducible: the same corpus gives the same bytes, a test checks
//! it); `tests/moderation_families.rs` measures it on families of messages held out of its
//! training.

use std::sync::LazyLock;

use ruban_scorer::{Example, Model, Options};

use super::Category;
use super::anchors::collapse;
use super::normalize::{fold, join_spelled};

/// The shipped model, made by the `train_scorer` example.
pub const EMBEDDED_MODEL: &[u8] = include_bytes!("../../../../assets/moderation/scorer.bin");

/// At or above this probability of being hurtful, a text is refused.
pub const REFUSE_AT: f32 = 0.95;
/// At or above this probability (and below [`REFUSE_AT`]), a text waits for an adult or is
/// written another way.
pub const HOLD_AT: f32 = 0.85;

/// The model's classes: kind, then each category in [`Category::ALL`]'s order.
const CLASSES: usize = 1 + Category::ALL.len();

/// How training runs (the example and the held-out evaluation use the same).
pub fn training_options() -> Options {
    Options::default()
}

static MODEL: LazyLock<Model> =
    LazyLock::new(|| Model::from_bytes(EMBEDDED_MODEL).expect("the embedded model reads (a test checks it)"));

/// What moderation concludes about a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// May reach another person.
    Kind,
    /// Neither clearly kind nor clearly hurtful: not drawn until an adult approves it, or
    /// written another way. The category is the model's best guess, for the adult.
    Uncertain(Category),
    /// Refused, with the category's kind sentence.
    Hurtful(Category),
}

/// Words that deny what follows them in their clause (folded, stretched letters collapsed).
const NEGATIONS: &[&str] = &["pas", "pa", "jamais", "aucunement", "not", "never", "aren", "isn", "don", "nt"];
/// How many words after a negation it reaches.
const NEGATION_REACH: usize = 3;

/// The text as the model reads it: folded (case, accents, leetspeak, punctuation), spelled
/// letters joined, stretched letters collapsed, and the words a negation denies marked with a
/// leading `~` (« t’es pas nul » → "t es pas ~nul"): a denied insult is not the insult, and a
/// bag of words cannot see the order that says so.
pub fn scorer_text(text: &str) -> String {
    let plain = collapse(&join_spelled(&fold(text, false)));
    let mut out = String::with_capacity(plain.len() + 8);
    out.push(' ');
    let mut reach = 0;
    for word in plain.split(' ').filter(|w| !w.is_empty()) {
        if word == "|" {
            reach = 0;
        } else if reach > 0 {
            out.push('~');
            reach -= 1;
        }
        out.push_str(word);
        out.push(' ');
        if NEGATIONS.contains(&word) {
            reach = NEGATION_REACH;
        }
    }
    out
}

/// The model's class for a category (`None`: kind).
fn class_of(category: Option<Category>) -> usize {
    category.and_then(|c| Category::ALL.iter().position(|&a| a == c)).map_or(0, |i| i + 1)
}

/// A model's opinion of one text: how likely hurtful, and the likeliest category.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Opinion {
    /// The probability that the text is hurtful (1 − the probability of kind).
    pub hurtful: f32,
    /// The likeliest hurtful category.
    pub category: Category,
}

impl Opinion {
    /// The verdict at the shipped thresholds.
    pub fn verdict(self) -> Verdict {
        if self.hurtful >= REFUSE_AT {
            Verdict::Hurtful(self.category)
        } else if self.hurtful >= HOLD_AT {
            Verdict::Uncertain(self.category)
        } else {
            Verdict::Kind
        }
    }
}

/// The opinion of `model` on `text`.
pub fn opinion_of(model: &Model, text: &str) -> Opinion {
    thread_local! {
        static SCRATCH: std::cell::RefCell<(Vec<u32>, Vec<f32>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    }
    let folded = scorer_text(text);
    SCRATCH.with_borrow_mut(|(features, p)| {
        model.score_into(&folded, features, p);
        let (best, _) = p
            .iter()
            .enumerate()
            .skip(1)
            .fold((1, f32::NEG_INFINITY), |(bi, bp), (i, &v)| if v > bp { (i, v) } else { (bi, bp) });
        Opinion { hurtful: 1.0 - p[0], category: Category::ALL[best - 1] }
    })
}

/// The shipped model's opinion of `text`.
pub fn opinion(text: &str) -> Opinion {
    opinion_of(&MODEL, text)
}

/// Trains a model on `samples` (a text, and its category when hurtful). Kind and hurtful
/// texts weigh the same in total, whichever there are more of: the model must not learn that
/// most texts are kind.
pub fn train(samples: &[(&str, Option<Category>)]) -> Model {
    let texts: Vec<String> = samples.iter().map(|(t, _)| scorer_text(t)).collect();
    let hurtful = samples.iter().filter(|(_, c)| c.is_some()).count().max(1) as f32;
    let kind = samples.iter().filter(|(_, c)| c.is_none()).count().max(1) as f32;
    let total = hurtful + kind;
    let examples: Vec<Example<'_>> = samples
        .iter()
        .zip(&texts)
        .map(|((_, c), text)| Example {
            text,
            class: class_of(*c),
            weight: if c.is_some() { total / (2.0 * hurtful) } else { total / (2.0 * kind) },
        })
        .collect();
    ruban_scorer::train(&examples, CLASSES, &training_options())
}

#[cfg(test)]
mod tests {
    use super::{EMBEDDED_MODEL, Model, scorer_text};

    #[test]
    fn the_embedded_model_reads_and_knows_every_category() {
        let model = Model::from_bytes(EMBEDDED_MODEL).expect("reads");
        assert_eq!(model.classes(), super::CLASSES);
    }

    #[test]
    fn disguises_fold_to_one_text() {
        assert_eq!(scorer_text("T’es NUUUUL"), scorer_text("t'es nul"));
        assert_eq!(scorer_text("d i s p a r a i s"), scorer_text("disparais"));
    }
}
