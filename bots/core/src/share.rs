//! Cards offered where the bot is not a member: Telegram's inline mode (`@RubanBot Bravo Alex`
//! in any chat). The platform fetches each card from a public URL, so the offer carries a
//! signed link: the text was checked (length, moderation) when the link was made, and the web
//! server renders only what the signature covers.
//!
//! A link lives [`SHARE_LIFE_MS`] (Telegram fetches the photo when the person picks it) and
//! names its sender by a tag of their pseudonymous key, so forget-me revokes every link they
//! made: the store keeps the tag (not the key) until the links would have expired anyway.
//!
//! ```text
//! query  « Bravo Alex, quel beau projet! »
//! offer  Célébrer (first: « Bravo » is its headline), then the five other designs
//! link   /partage/<base64url(json)>.<tag>
//! ```

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use card_renderer::{CardSpec, Message, Name};
use ruban_vocabulary::{Design, Locale};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::{Bot, Oops, User, checked_message, checked_name};

/// One card offered for an inline query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineCard {
    /// The design.
    pub design: Design,
    /// A short title (the design's headline, e.g. « Bravo! »).
    pub title: String,
    /// One line under the title (who the card is for).
    pub description: String,
    /// The signed link's last path segment: `<base URL>/partage/<token>` renders the card.
    pub token: String,
}

/// What a signed link covers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Shared {
    /// Recipient.
    t: String,
    /// Message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    m: Option<String>,
    /// Sender's name, if it passed moderation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    f: Option<String>,
    /// Design id.
    d: String,
    /// Locale tag.
    l: String,
    /// The sender: a tag of their pseudonymous key (forget-me revokes their links).
    s: String,
    /// When the link stops working, Unix milliseconds.
    x: i64,
}

/// How long a signed link works.
pub const SHARE_LIFE_MS: i64 = 7 * 24 * 3600 * 1000;

/// Cards drawn lately from links, so a flood of GETs for one link draws it once and does not
/// starve the bots' drawing.
#[derive(Debug, Default)]
pub(crate) struct SharedCache {
    cards: std::collections::HashMap<String, std::sync::Arc<Vec<u8>>>,
    order: std::collections::VecDeque<String>,
}

impl SharedCache {
    const SIZE: usize = 128;

    fn get(&self, token: &str) -> Option<std::sync::Arc<Vec<u8>>> {
        self.cards.get(token).cloned()
    }

    fn put(&mut self, token: String, jpeg: std::sync::Arc<Vec<u8>>) {
        if self.cards.insert(token.clone(), jpeg).is_none() {
            self.order.push_back(token);
        }
        while self.order.len() > Self::SIZE {
            if let Some(old) = self.order.pop_front() {
                self.cards.remove(&old);
            }
        }
    }
}

fn fold(s: &str) -> String {
    s.nfd().filter(|&c| !is_combining_mark(c)).flat_map(char::to_lowercase).filter(|c| c.is_alphanumeric()).collect()
}

/// Splits an inline query into (name, message, design): `Alex, quel beau projet!` (name before
/// a comma), `Bravo Alex` (a design's headline, then the name), or just a name.
pub(crate) fn split_query(bot: &Bot, query: &str) -> (String, Option<String>, Option<Design>) {
    let query = query.trim();
    let (head, message) = match query.split_once([',', ':']) {
        Some((h, m)) if !m.trim().is_empty() => (h.trim(), Some(m.trim().to_owned())),
        _ => (query.trim_end_matches([',', ':']).trim(), None),
    };
    let mut design = None;
    let mut name = head.to_owned();
    if let Some((first, rest)) = head.split_once(char::is_whitespace) {
        let first = fold(first);
        design = Design::ALL.into_iter().find(|d| {
            [Locale::FrCa, Locale::EnCa].into_iter().any(|l| {
                let headline = bot.texts.t(l, &format!("card-headline-{}", d.id()), &[]);
                fold(headline.split_whitespace().next().unwrap_or_default()) == first
            })
        });
        if design.is_some() {
            name = rest.trim().to_owned();
        }
    }
    (name, message, design)
}

impl Bot {
    /// The cards to offer for an inline query, best guess first; or the localised reason none
    /// can be made (empty, too long, refused by moderation).
    pub async fn inline_offer(&self, platform: &str, user: &User, query: &str) -> Result<Vec<InlineCard>, String> {
        let checked = crate::validate::id("user.id", &user.id)
            .and_then(|()| {
                crate::validate::text("user.name", &user.display_name, crate::validate::MAX_NAME_BYTES, false)
            })
            .and_then(|()| crate::validate::text("query", query, crate::validate::MAX_TEXT_BYTES, false))
            .and_then(|()| user.locale.as_deref().map_or(Ok(()), crate::validate::locale_tag));
        if checked.is_err() {
            let l = crate::i18n::locale_from_platform(None);
            return Err(self.texts.t(l, "error-invalid-input", &[]));
        }
        let l = self.locale_of(platform, user).await;
        let sender = self.sender_tag(&self.keys.person(platform, &user.id));
        self.offer(l, user, &sender, query).map_err(|Oops(id, args)| self.texts.t(l, id, &args))
    }

    /// The tag a person's links carry (and forget-me revokes).
    pub(crate) fn sender_tag(&self, person_key: &str) -> String {
        self.keys.tag("share-sender", person_key)
    }

    fn offer(&self, l: Locale, user: &User, sender: &str, query: &str) -> Result<Vec<InlineCard>, Oops> {
        let expires = self.clock().now_ms() + SHARE_LIFE_MS;
        let (name, message, named) = split_query(self, query);
        let to = checked_name(&name)?;
        let message = message.map(|m| checked_message(&m)).transpose()?.map(|m| m.as_str().to_owned());
        let from = checked_name(&user.display_name).ok().map(|n| n.as_str().to_owned());
        let mut designs: Vec<Design> = named.into_iter().collect();
        designs.extend(Design::ALL.into_iter().filter(|d| Some(*d) != named));
        let description = self.t(l, "card-alt", &[("name", to.as_str().to_owned().into())]);
        Ok(designs
            .into_iter()
            .map(|design| {
                let shared = Shared {
                    t: to.as_str().to_owned(),
                    m: message.clone(),
                    f: from.clone(),
                    d: design.id().to_owned(),
                    l: l.tag().to_owned(),
                    s: sender.to_owned(),
                    x: expires,
                };
                InlineCard {
                    design,
                    title: self.t(l, &format!("card-headline-{}", design.id()), &[]),
                    description: description.clone(),
                    token: self.sign(&shared),
                }
            })
            .collect())
    }

    fn sign(&self, shared: &Shared) -> String {
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(shared).expect("plain strings serialise"));
        let tag = self.keys.tag("share", &payload);
        format!("{payload}.{tag}")
    }

    /// Renders the card a signed link names, as JPEG (what Telegram requires for inline photos);
    /// None when the link was not made by this server (or its text no longer passes).
    pub async fn render_shared(&self, token: &str) -> Option<Vec<u8>> {
        let (payload, tag) = token.rsplit_once('.')?;
        if payload.len() > 4096 || self.keys.tag("share", payload) != tag {
            return None;
        }
        let shared: Shared = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
        if shared.x < self.clock().now_ms() {
            return None;
        }
        // Fail-closed: a store that cannot say whether the sender asked to be forgotten
        // shows nothing.
        match self.store.share_revoked(&shared.s).await {
            Ok(false) => {}
            Ok(true) => return None,
            Err(e) => {
                tracing::warn!(error = %e, "could not check a shared link; not shown");
                return None;
            }
        }
        if let Some(jpeg) = self.shared_cache.lock().unwrap_or_else(|e| e.into_inner()).get(token) {
            return Some(jpeg.as_ref().clone());
        }
        let spec = CardSpec {
            to: Name::parse(&shared.t).ok()?,
            from: shared.f.as_deref().and_then(|f| Name::parse(f).ok()),
            message: match &shared.m {
                Some(m) => Some(Message::parse(m).ok()?),
                None => None,
            },
            design: shared.d.parse().ok()?,
            locale: shared.l.parse().ok()?,
        };
        let edition = self.current_campaign().cloned();
        let jpeg = self
            .render("shared_card", move |assets| {
                let card = card_renderer::render_card_in(assets, &spec, edition.as_ref());
                let jpeg = card_renderer::encode::jpeg(&card, 88);
                card_renderer::recycle(card);
                jpeg
            })
            .await
            .ok()?;
        self.shared_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .put(token.to_owned(), std::sync::Arc::new(jpeg.clone()));
        Some(jpeg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, Limits};

    async fn bot(dir: &tempfile::TempDir) -> Bot {
        let store = ruban_store::Store::open(&format!("sqlite://{}", dir.path().join("r.db").display())).await.unwrap();
        let campaign = ruban_vocabulary::Campaign::embedded();
        let assets = card_renderer::Assets::with_campaign(campaign.clone()).unwrap();
        Bot::new(store, assets, Config { campaign, secret: b"share test secret".to_vec(), limits: Limits::default() })
            .await
            .unwrap()
    }

    fn user() -> User {
        User { id: "7".into(), display_name: "Prof Tremblay".into(), locale: Some("fr".into()) }
    }

    #[tokio::test]
    async fn a_query_becomes_a_signed_card_per_design_the_named_design_first() {
        let dir = tempfile::tempdir().unwrap();
        let bot = bot(&dir).await;
        let offer = bot.inline_offer("telegram", &user(), "Bravo Alex").await.unwrap();
        assert_eq!(offer.len(), Design::ALL.len());
        assert_eq!(offer[0].design, Design::Celebrer);
        assert_eq!(offer[0].title, "Bravo!");
        assert!(offer[0].description.contains("Alex"), "{}", offer[0].description);
        let jpeg = bot.render_shared(&offer[0].token).await.expect("the server's own link renders");
        let img = image_size(&jpeg);
        assert_eq!(img, (1080, 1080));
        // A forged or altered link renders nothing.
        let (payload, tag) = offer[0].token.rsplit_once('.').unwrap();
        let forged = format!("{}.{tag}", URL_SAFE_NO_PAD.encode(br#"{"t":"@everyone","d":"oser","l":"fr"}"#));
        assert!(bot.render_shared(&forged).await.is_none());
        assert!(bot.render_shared(&format!("{payload}.{}", "0".repeat(32))).await.is_none());
        assert!(bot.render_shared("nonsense").await.is_none());
    }

    /// Forget-me revokes every link the person made, even one already drawn (and cached).
    #[tokio::test]
    async fn forget_me_revokes_the_links_a_person_made() {
        let dir = tempfile::tempdir().unwrap();
        let bot = bot(&dir).await;
        let mine = bot.inline_offer("telegram", &user(), "Bravo Alex").await.unwrap();
        let other = User { id: "8".into(), ..user() };
        let theirs = bot.inline_offer("telegram", &other, "Bravo Zoé").await.unwrap();
        assert!(bot.render_shared(&mine[0].token).await.is_some());
        let person = bot.keys.person("telegram", "7");
        bot.store.forget(&person).await.unwrap();
        bot.store.revoke_shares(&bot.sender_tag(&person), bot.clock().now_ms() + SHARE_LIFE_MS).await.unwrap();
        assert!(bot.render_shared(&mine[0].token).await.is_none(), "a cached link of a forgotten sender");
        assert!(bot.render_shared(&mine[1].token).await.is_none());
        assert!(bot.render_shared(&theirs[0].token).await.is_some(), "someone else's link still works");
    }

    #[tokio::test]
    async fn names_messages_and_refusals() {
        let dir = tempfile::tempdir().unwrap();
        let bot = bot(&dir).await;
        assert_eq!(
            split_query(&bot, "Alex, quel beau projet!"),
            ("Alex".into(), Some("quel beau projet!".into()), None)
        );
        assert_eq!(split_query(&bot, "Salut Zoé"), ("Salut Zoé".into(), None, None));
        assert_eq!(split_query(&bot, "Merci Zoé"), ("Zoé".into(), None, Some(Design::Merci)), "the thank-you card");
        assert_eq!(split_query(&bot, "Chapeau Zoé"), ("Zoé".into(), None, Some(Design::Reconnaitre)));
        assert_eq!(split_query(&bot, "Léa"), ("Léa".into(), None, None));
        let empty = bot.inline_offer("telegram", &user(), "   ").await.unwrap_err();
        assert!(!empty.is_empty());
        let long = bot.inline_offer("telegram", &user(), &"a".repeat(60)).await.unwrap_err();
        assert!(long.contains("40"), "{long}");
        assert!(bot.inline_offer("telegram", &user(), "Alex, tabarnak").await.is_err());
    }

    fn image_size(jpeg: &[u8]) -> (u32, u32) {
        // SOF0 marker: FF C0, length, precision, height, width.
        let at = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).expect("a baseline JPEG");
        let h = u32::from(jpeg[at + 5]) << 8 | u32::from(jpeg[at + 6]);
        let w = u32::from(jpeg[at + 7]) << 8 | u32::from(jpeg[at + 8]);
        (w, h)
    }
}
