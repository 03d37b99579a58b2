//! The regions of the JPS network, from `assets/regions.toml` (organizers may edit it).

use serde::Deserialize;

use crate::error::VocabularyError;

/// One region.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Region {
    /// The code kept in the store ("06", "NUN").
    pub code: String,
    /// French name.
    pub fr: String,
    /// English name.
    pub en: String,
}

#[derive(Deserialize)]
struct File {
    region: Vec<Region>,
}

impl Region {
    /// Parses a regions file.
    pub fn parse(text: &str) -> Result<Vec<Region>, VocabularyError> {
        let file: File = toml::from_str(text).map_err(|e| VocabularyError::Regions(e.to_string()))?;
        let mut codes: Vec<&str> = file.region.iter().map(|r| r.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        if codes.len() != file.region.len() {
            return Err(VocabularyError::Regions("a code appears twice".into()));
        }
        Ok(file.region)
    }

    /// The bundled regions file.
    pub fn embedded() -> Result<Vec<Region>, VocabularyError> {
        Self::parse(include_str!("../../../assets/regions.toml"))
    }

    /// The name in a language tag (`fr-CA`, `en-CA`).
    pub fn name(&self, locale: &str) -> &str {
        if locale.starts_with("en") { &self.en } else { &self.fr }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn eighteen_regions_with_nunavik_on_its_own() {
        let regions = super::Region::embedded().unwrap();
        assert_eq!(regions.len(), 18);
        assert!(regions.iter().any(|r| r.code == "NUN" && r.fr.contains("Nunavik")));
    }
}
