//! The model's file: small enough to compile into the binary and to keep under version
//! control (only the rows with a weight are written), read back exactly.
//!
//! ```text
//! "RBSCORE1"  bits:u8  classes:u8  0:u16  scale:f32  bias:f32×classes  rows:u32
//! then `rows` times:  row:u32  weight:i16×classes        (little-endian throughout)
//! ```

use crate::{MAX_CLASSES, Model, ScorerError};

const MAGIC: &[u8; 8] = b"RBSCORE1";

/// Reads little-endian values off the front of a byte slice.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], ScorerError> {
        if self.0.len() < N {
            return Err(ScorerError::Length(0));
        }
        let (head, rest) = self.0.split_at(N);
        self.0 = rest;
        Ok(head.try_into().unwrap_or([0; N]))
    }
}

impl Model {
    /// The model as its file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.push(self.bits);
        out.push(self.classes as u8);
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        for b in &self.bias {
            out.extend_from_slice(&b.to_le_bytes());
        }
        let rows: Vec<(usize, &[i16])> =
            self.weights.chunks(self.classes).enumerate().filter(|(_, row)| row.iter().any(|&w| w != 0)).collect();
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for (i, row) in rows {
            out.extend_from_slice(&(i as u32).to_le_bytes());
            for w in row {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// A model from its file; an error for anything that is not exactly one.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ScorerError> {
        let length = |_| ScorerError::Length(bytes.len());
        let mut r = Reader(bytes);
        if &r.take::<8>().map_err(length)? != MAGIC {
            return Err(ScorerError::Format);
        }
        let [bits] = r.take::<1>().map_err(length)?;
        let [classes] = r.take::<1>().map_err(length)?;
        let classes = usize::from(classes);
        r.take::<2>().map_err(length)?;
        if !(8..=24).contains(&bits) {
            return Err(ScorerError::Inconsistent("the table size is out of range"));
        }
        if !(2..=MAX_CLASSES).contains(&classes) {
            return Err(ScorerError::Inconsistent("the class count is out of range"));
        }
        let scale = f32::from_le_bytes(r.take::<4>().map_err(length)?);
        if !scale.is_finite() || scale < 0.0 {
            return Err(ScorerError::Inconsistent("the scale is not a finite positive number"));
        }
        let bias = (0..classes)
            .map(|_| r.take::<4>().map(f32::from_le_bytes).map_err(length))
            .collect::<Result<Vec<_>, _>>()?;
        let rows = u32::from_le_bytes(r.take::<4>().map_err(length)?) as usize;
        if r.0.len() != rows * (4 + 2 * classes) {
            return Err(ScorerError::Length(bytes.len()));
        }
        let mut weights = vec![0i16; (1usize << bits) * classes];
        for _ in 0..rows {
            let row = u32::from_le_bytes(r.take::<4>().map_err(length)?) as usize;
            if row >= 1 << bits {
                return Err(ScorerError::Inconsistent("a row lies past the table"));
            }
            for c in 0..classes {
                weights[row * classes + c] = i16::from_le_bytes(r.take::<2>().map_err(length)?);
            }
        }
        Ok(Model { bits, classes, scale, bias, weights })
    }
}
