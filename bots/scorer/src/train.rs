//! Training: softmax regression by AdaGrad over the hashed features, deterministic (a seeded
//! shuffle, one thread, a fixed order of floating-point operations), so the same corpus and
//! options give the same file on every machine.

use crate::{MAX_CLASSES, Model, feature_value, features, softmax};

/// One training text.
#[derive(Debug, Clone, Copy)]
pub struct Example<'a> {
    /// Normalised as the texts to score will be.
    pub text: &'a str,
    /// Its class, below the class count.
    pub class: usize,
    /// How much it counts (e.g. to balance a class written less often than another).
    pub weight: f32,
}

/// How to train.
#[derive(Debug, Clone)]
pub struct Options {
    /// The table has `1 << bits` rows: more rows, fewer features sharing one.
    pub bits: u8,
    /// Passes over the examples.
    pub epochs: usize,
    /// AdaGrad's step.
    pub learning_rate: f32,
    /// Pull of each weight towards zero (L2), against memorising single texts.
    pub l2: f32,
    /// The shuffle's seed.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options { bits: 17, epochs: 12, learning_rate: 0.2, l2: 1e-4, seed: 2027 }
    }
}

/// A small deterministic generator for the shuffle (xorshift64*).
struct Shuffle(u64);

impl Shuffle {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n as u64) as usize
    }
}

/// A model of `classes` classes trained on `examples`.
///
/// # Panics
/// When `classes` is not in `2..=MAX_CLASSES` or an example's class is not below it: a
/// programming error of the caller, not something data can cause.
pub fn train(examples: &[Example<'_>], classes: usize, options: &Options) -> Model {
    assert!((2..=MAX_CLASSES).contains(&classes), "2 to {MAX_CLASSES} classes");
    assert!(examples.iter().all(|e| e.class < classes), "every class below {classes}");
    let rows = 1usize << options.bits;
    let feats: Vec<Vec<u32>> = examples
        .iter()
        .map(|e| {
            let mut f = Vec::new();
            features(e.text, options.bits, &mut f);
            f
        })
        .collect();
    let mut w = vec![0f32; rows * classes];
    let mut g = vec![0f32; rows * classes];
    let mut bias = vec![0f32; classes];
    let mut gb = vec![0f32; classes];
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Shuffle(options.seed | 1);
    let mut z = vec![0f32; classes];
    let mut grad = vec![0f32; classes];
    let step = |weight: &mut f32, acc: &mut f32, gradient: f32| {
        *acc += gradient * gradient;
        *weight -= options.learning_rate * gradient / (acc.sqrt() + 1e-6);
    };
    for _ in 0..options.epochs {
        for i in (1..order.len()).rev() {
            let j = rng.below(i + 1);
            order.swap(i, j);
        }
        for &i in &order {
            let (example, f) = (&examples[i], &feats[i]);
            let x = feature_value(f.len());
            z.copy_from_slice(&bias);
            for &row in f {
                for (c, zc) in z.iter_mut().enumerate() {
                    *zc += w[row as usize * classes + c] * x;
                }
            }
            softmax(&mut z);
            for (c, gc) in grad.iter_mut().enumerate() {
                let target = if c == example.class { 1.0 } else { 0.0 };
                *gc = (z[c] - target) * example.weight;
            }
            for ((b, acc), &gc) in bias.iter_mut().zip(gb.iter_mut()).zip(&grad) {
                step(b, acc, gc);
            }
            for &row in f {
                let at = row as usize * classes;
                let (weights, sums) = (&mut w[at..at + classes], &mut g[at..at + classes]);
                for ((wk, acc), &gc) in weights.iter_mut().zip(sums.iter_mut()).zip(&grad) {
                    let gradient = gc * x + options.l2 * *wk;
                    step(wk, acc, gradient);
                }
            }
        }
    }
    let largest = w.iter().fold(0f32, |m, v| m.max(v.abs()));
    let scale = if largest > 0.0 { largest / f32::from(i16::MAX) } else { 1.0 };
    let weights = w.iter().map(|v| (v / scale).round().clamp(-32767.0, 32767.0) as i16).collect();
    Model { bits: options.bits, classes, scale, bias, weights }
}
