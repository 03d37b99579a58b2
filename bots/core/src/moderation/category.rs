//! What a refused text would do to the person who reads it, and how the refusal explains it.

use serde::Deserialize;

/// Why a text is refused. The lists in `assets/moderation/` give each entry one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Hurting someone with names: « t’es nul », "you're an idiot".
    Insult,
    /// Mocking a body: « t’es grosse », "you're ugly".
    BodyShaming,
    /// Leaving someone out: « personne t’aime », "nobody likes you".
    Exclusion,
    /// Promising harm: « je vais te casser la gueule », "I'll beat you up".
    Threat,
    /// Pushing someone to hurt themself, or saying one wants to: « tue-toi », "kys".
    SelfHarm,
    /// Hate for who someone is: « retourne dans ton pays », slurs.
    Hate,
    /// Sexual words or requests.
    Sexual,
    /// Swearing and crude words: « va chier », sacres.
    Vulgarity,
}

impl Category {
    /// Every category, the most serious first (the one reported when a text has several).
    pub const ALL: [Category; 8] = [
        Category::SelfHarm,
        Category::Threat,
        Category::Hate,
        Category::Sexual,
        Category::BodyShaming,
        Category::Exclusion,
        Category::Insult,
        Category::Vulgarity,
    ];

    /// How serious: higher wins when a text falls in several categories.
    pub fn rank(self) -> usize {
        Self::ALL.len() - Self::ALL.iter().position(|c| *c == self).unwrap_or(Self::ALL.len())
    }

    /// The name used in the lists (`self-harm`).
    pub fn name(self) -> &'static str {
        match self {
            Category::Insult => "insult",
            Category::BodyShaming => "body-shaming",
            Category::Exclusion => "exclusion",
            Category::Threat => "threat",
            Category::SelfHarm => "self-harm",
            Category::Hate => "hate",
            Category::Sexual => "sexual",
            Category::Vulgarity => "vulgarity",
        }
    }

    /// The Fluent id of the refusal that explains, kindly and without quoting, why.
    pub fn refusal_id(self) -> &'static str {
        match self {
            Category::Insult => "error-moderation-insult",
            Category::BodyShaming => "error-moderation-body-shaming",
            Category::Exclusion => "error-moderation-exclusion",
            Category::Threat => "error-moderation-threat",
            Category::SelfHarm => "error-moderation-self-harm",
            Category::Hate => "error-moderation-hate",
            Category::Sexual => "error-moderation-sexual",
            Category::Vulgarity => "error-moderation-vulgarity",
        }
    }

    /// The category whose refusal has this Fluent id.
    pub fn from_refusal_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.refusal_id() == id)
    }

    /// Whether the person also gets the help lines for young people, in private.
    pub fn needs_help_lines(self) -> bool {
        self == Category::SelfHarm
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
