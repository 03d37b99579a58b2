//! Fonts, art, texts and the campaign, loaded once and shared (`Arc<Assets>`) by every
//! rendering thread, with the caches that make a card cheap after the first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tiny_skia::{Pixmap, Transform};

use crate::error::RenderError;
use crate::fonts::FontSet;
use crate::i18n::CardTexts;
use crate::text::GlyphCache;
use ruban_vocabulary::campaign::Campaign;

/// Bytes of glyph bitmaps kept before the cache is emptied (a few thousand glyphs).
const GLYPH_BUDGET: usize = 6 << 20;

/// The art files, compiled in.
const ART: &[(&str, &str)] = &[
    ("ribbon", include_str!("../../assets/art/ribbon.svg")),
    ("celebrer", include_str!("../../assets/art/celebrer.svg")),
    ("reconnaitre", include_str!("../../assets/art/reconnaitre.svg")),
    ("oser", include_str!("../../assets/art/oser.svg")),
    ("investir", include_str!("../../assets/art/investir.svg")),
    ("reussir", include_str!("../../assets/art/reussir.svg")),
    ("encourager", include_str!("../../assets/art/encourager.svg")),
    ("merci", include_str!("../../assets/art/merci.svg")),
];

/// Everything a render needs besides its spec.
pub struct Assets {
    /// The bundled fonts.
    pub fonts: FontSet,
    /// Texts drawn on images.
    pub texts: CardTexts,
    /// The current campaign.
    pub campaign: Campaign,
    /// Rasterised glyphs, shared by every render.
    pub glyphs: GlyphCache,
    art: HashMap<&'static str, resvg::usvg::Tree>,
    /// Rasterised art and card backgrounds, keyed by what they depend on. Their number is
    /// bounded by designs x locales x sizes, so this never grows without bound.
    pub(crate) layers: Mutex<HashMap<String, Arc<Pixmap>>>,
}

impl std::fmt::Debug for Assets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assets").field("campaign", &self.campaign.year).finish_non_exhaustive()
    }
}

impl Assets {
    /// The assets compiled into the binary, with the current campaign.
    pub fn embedded() -> Result<Arc<Self>, RenderError> {
        Self::with_campaign(Campaign::embedded())
    }

    /// The compiled-in fonts, art and texts, with another campaign (next year's file).
    pub fn with_campaign(campaign: Campaign) -> Result<Arc<Self>, RenderError> {
        let options = resvg::usvg::Options::default();
        let mut art = HashMap::new();
        for (name, svg) in ART {
            let tree = resvg::usvg::Tree::from_str(svg, &options)
                .map_err(|e| RenderError::Encode(format!("art {name}: {e}")))?;
            art.insert(*name, tree);
        }
        Ok(Arc::new(Self {
            fonts: FontSet::embedded(),
            texts: CardTexts::embedded()?,
            campaign,
            glyphs: GlyphCache::new(GLYPH_BUDGET),
            art,
            layers: Mutex::new(HashMap::new()),
        }))
    }

    /// A cached layer, made by `make` the first time `key` is asked for.
    pub(crate) fn layer(&self, key: &str, make: impl FnOnce() -> Pixmap) -> Arc<Pixmap> {
        if let Some(p) = self.layers.lock().unwrap_or_else(|e| e.into_inner()).get(key) {
            return p.clone();
        }
        let made = Arc::new(make());
        self.layers.lock().unwrap_or_else(|e| e.into_inner()).insert(key.to_owned(), made.clone());
        made
    }

    /// Draws art `name` scaled to fit `w` x `h` at (`x`, `y`), keeping its proportions.
    pub(crate) fn draw_art(&self, pixmap: &mut Pixmap, name: &str, x: f32, y: f32, w: f32, h: f32) {
        let Some(tree) = self.art.get(name) else {
            return;
        };
        let size = tree.size();
        let s = (w / size.width()).min(h / size.height());
        let dx = x + (w - size.width() * s) / 2.0;
        let dy = y + (h - size.height() * s) / 2.0;
        resvg::render(tree, Transform::from_row(s, 0.0, 0.0, s, dx, dy), &mut pixmap.as_mut());
    }

    /// Draws art rotated by `degrees` around its centre.
    pub(crate) fn draw_art_rotated(&self, pixmap: &mut Pixmap, name: &str, cx: f32, cy: f32, w: f32, degrees: f32) {
        let Some(tree) = self.art.get(name) else {
            return;
        };
        let size = tree.size();
        let s = w / size.width();
        let t = Transform::from_translate(-size.width() / 2.0, -size.height() / 2.0)
            .post_scale(s, s)
            .post_rotate(degrees)
            .post_translate(cx, cy);
        resvg::render(tree, t, &mut pixmap.as_mut());
    }
}
