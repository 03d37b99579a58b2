//! One room per command: « where does `/carte` live » has one answer, `commands/card.rs`.
//! Each module adds its command's methods to [`crate::Bot`]; the dispatch stays in
//! [`crate::Bot::handle`].

pub(crate) mod buttons;
pub(crate) mod card;
pub mod certificate;
pub(crate) mod class;
pub(crate) mod green;
pub(crate) mod language;
pub(crate) mod report;
pub(crate) mod ribbon;
pub mod seats;
pub(crate) mod totals;
pub(crate) mod wall;

/// What every command module uses.
mod prelude {
    pub(crate) use std::sync::Arc;

    pub(crate) use card_renderer::{
        BadgeSize, BadgeSpec, CardSpec, CertificateSpec, ClassBadgeSpec, Label, Message, Name, Reason,
    };
    pub(crate) use fluent::FluentValue;
    pub(crate) use ruban_store::{
        ExportFormat, GreenPhoto, GroupBy, JoinRequest, NewCard, NewClass, NewWallEntry, PendingPost, PledgeRequest,
        Sender,
    };
    pub(crate) use ruban_vocabulary::{Design, Locale, format_number};

    pub(crate) use crate::ratelimit::{Kind, Refusal};
    pub(crate) use crate::{
        Attachment, Bot, Button, ButtonId, CLASS_PAGE, ClosedClass, DASHBOARD_OWNER, Incoming, MAX_CLASS_CERTIFICATES,
        Oops, OutMessage, Photo, Reply, checked_label, checked_name, file_stem, moderated_sentence, share, text_error,
        validate, weighed_message,
    };
}
