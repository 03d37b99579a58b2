//! A small linear text classifier: the moderation filter's second opinion, for the words and
//! sentences no list has seen.
//!
//! A text (already normalised by the caller: lowercase ASCII words separated by one space) is
//! read as a bag of hashed features — every character n-gram of 4 to 6 bytes, every word,
//! every pair of neighbouring words and every pair one word apart — and a softmax regression
//! over those features gives each class a probability. Pieces of words carry what a list
//! cannot: « disparais », « disparaître » and « disparaitrait » share `dispar`; "nobody
//! would notice" and "no one would even notice" share `notice` and `would`.
//!
//! Why hand-written and not `linfa`: the model is a dot product over a hashed table, which
//! scores in a few microseconds without allocation (`linfa-logistic` works on dense `ndarray`
//! matrices, one column per feature, and would need the feature hashing, the sparse training
//! and the file format written around it anyway); training is thirty lines of AdaGrad and must
//! give the same bytes on every machine, so that the shipped model is reproducible.

mod format;
mod train;

pub use train::{Example, Options, train};

/// Why a model file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ScorerError {
    /// The file is not a model of this format (its first bytes say what it is).
    #[error("not a Ruban scorer model (bad magic or version)")]
    Format,
    /// The file ends before what its header announces, or goes on after it.
    #[error("the model file is {0} bytes, its header announces another length")]
    Length(usize),
    /// A header value out of range (table size, class count, a bucket past the table).
    #[error("the model file is inconsistent: {0}")]
    Inconsistent(&'static str),
}

/// A trained model: one weight per (hashed feature, class), quantised to 16 bits.
#[derive(Clone, PartialEq)]
pub struct Model {
    /// The table has `1 << bits` rows.
    bits: u8,
    /// How many classes (class 0 is, by the caller's convention, "kind").
    classes: usize,
    /// A weight is `weights[..] as f32 * scale`.
    scale: f32,
    /// One bias a class.
    bias: Vec<f32>,
    /// Row-major: the weights of feature `f` are `weights[f * classes..(f + 1) * classes]`.
    weights: Vec<i16>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("bits", &self.bits)
            .field("classes", &self.classes)
            .field("nonzero_rows", &self.nonzero_rows())
            .finish()
    }
}

/// The most classes a model may have (scoring keeps its sums on the stack).
pub const MAX_CLASSES: usize = 16;

/// Seeds that keep the kinds of features apart in the one table.
const SEED_GRAM: u64 = 0x9e37_79b9_7f4a_7c15;
const SEED_WORD: u64 = 0xc2b2_ae3d_27d4_eb4f;
const SEED_PAIR: u64 = 0x1656_67b1_9e37_79f9;
const SEED_SKIP: u64 = 0x85eb_ca77_c2b2_ae63;

/// FNV-1a over `parts` (with a separator between them), started from `seed`.
fn hash(seed: u64, parts: &[&[u8]]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325 ^ seed;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0xff;
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
    }
    // FNV's low bits mix poorly: fold the high half in.
    h ^ (h >> 29) ^ (h >> 43)
}

/// The distinct hashed features of `text` (normalised: words separated by single spaces), as
/// rows of a table of `1 << bits`, sorted. `out` is cleared first.
pub fn features(text: &str, bits: u8, out: &mut Vec<u32>) {
    out.clear();
    let mask = (1u64 << bits) - 1;
    let bytes = text.as_bytes();
    let mut push = |h: u64| out.push((h & mask) as u32);
    for n in 4..=6 {
        for gram in bytes.windows(n) {
            if gram.iter().all(|&b| b == b' ') {
                continue;
            }
            push(hash(SEED_GRAM, &[gram]));
        }
    }
    let words: Vec<&[u8]> = text.split(' ').filter(|w| !w.is_empty()).map(str::as_bytes).collect();
    for (i, w) in words.iter().enumerate() {
        push(hash(SEED_WORD, &[w]));
        if let Some(next) = words.get(i + 1) {
            push(hash(SEED_PAIR, &[w, next]));
        }
        if let Some(after) = words.get(i + 2) {
            push(hash(SEED_SKIP, &[w, after]));
        }
    }
    out.sort_unstable();
    out.dedup();
}

/// The value each feature of a text takes: texts of any length weigh the same.
fn feature_value(count: usize) -> f32 {
    if count == 0 { 0.0 } else { 1.0 / (count as f32).sqrt() }
}

/// `z` turned into probabilities, in place.
fn softmax(z: &mut [f32]) {
    let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in z.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in z.iter_mut() {
        *v /= sum;
    }
}

impl Model {
    /// How many classes the model tells apart.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// The size of its table, as a power of two.
    pub fn bits(&self) -> u8 {
        self.bits
    }

    /// Rows of the table with a weight (what the file stores).
    pub fn nonzero_rows(&self) -> usize {
        self.weights.chunks(self.classes).filter(|row| row.iter().any(|&w| w != 0)).count()
    }

    /// The probability of each class for `text` (normalised as in training), written into
    /// `probabilities` (resized to the class count). `scratch` holds the features between
    /// calls, so that scoring allocates nothing once warm.
    pub fn score_into(&self, text: &str, scratch: &mut Vec<u32>, probabilities: &mut Vec<f32>) {
        features(text, self.bits, scratch);
        probabilities.clear();
        probabilities.resize(self.classes, 0.0);
        let mut sums = [0i32; MAX_CLASSES];
        let sums = &mut sums[..self.classes];
        for &f in scratch.iter() {
            let row = &self.weights[f as usize * self.classes..(f as usize + 1) * self.classes];
            for (s, &w) in sums.iter_mut().zip(row) {
                *s += i32::from(w);
            }
        }
        let x = feature_value(scratch.len()) * self.scale;
        for ((p, s), b) in probabilities.iter_mut().zip(sums.iter()).zip(&self.bias) {
            *p = b + *s as f32 * x;
        }
        softmax(probabilities);
    }

    /// The probability of each class for `text`.
    pub fn score(&self, text: &str) -> Vec<f32> {
        let mut probabilities = Vec::new();
        self.score_into(text, &mut Vec::new(), &mut probabilities);
        probabilities
    }
}

#[cfg(test)]
mod tests {
    use super::{Example, Model, Options, features, train};

    #[test]
    fn features_are_distinct_sorted_and_within_the_table() {
        let mut out = Vec::new();
        features(" t es nul ", 12, &mut out);
        assert!(out.windows(2).all(|w| w[0] < w[1]));
        assert!(out.iter().all(|&f| f < 1 << 12));
        // 7 four-grams, 6 five-grams, 5 six-grams, 3 words, 2 pairs, 1 skip pair, less collisions.
        assert!(out.len() > 20 && out.len() <= 24, "{}", out.len());
        let mut again = Vec::new();
        features(" t es nul ", 12, &mut again);
        assert_eq!(out, again);
    }

    fn toy() -> Vec<Example<'static>> {
        let mut v = Vec::new();
        for t in
            [" bravo tu es capable ", " continue comme ca ", " tu es genial ", " bravo champion ", " you can do it "]
        {
            v.push(Example { text: t, class: 0, weight: 1.0 });
        }
        for t in [" tu es nul ", " t es nul ", " you are dumb ", " tu es stupide ", " you are stupid "] {
            v.push(Example { text: t, class: 1, weight: 1.0 });
        }
        v
    }

    #[test]
    fn learns_a_toy_task_and_generalises_to_a_new_spelling() {
        let model = train(&toy(), 2, &Options { bits: 14, ..Options::default() });
        assert!(model.score(" tu es nulle ")[1] > 0.5, "{:?}", model.score(" tu es nulle "));
        assert!(model.score(" bravo tu es super ")[0] > 0.5);
    }

    #[test]
    fn training_is_reproducible_and_the_file_reads_back_the_same_model() {
        let options = Options { bits: 12, ..Options::default() };
        let a = train(&toy(), 2, &options);
        let b = train(&toy(), 2, &options);
        assert_eq!(a.to_bytes(), b.to_bytes());
        let read = Model::from_bytes(&a.to_bytes()).expect("reads back");
        assert_eq!(read, a);
        assert_eq!(read.score(" tu es nul "), a.score(" tu es nul "));
    }

    #[test]
    fn a_damaged_file_is_an_error_not_a_model() {
        let bytes = train(&toy(), 2, &Options { bits: 12, ..Options::default() }).to_bytes();
        assert!(Model::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(Model::from_bytes(b"not a model at all").is_err());
        let mut bad = bytes.clone();
        bad[0] ^= 1;
        assert!(Model::from_bytes(&bad).is_err());
    }
}
