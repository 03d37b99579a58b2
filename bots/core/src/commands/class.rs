//! `/classe`: a class pledging together (open, join, close with its badge), its class link for
//! pupils without an account, its teacher page and its approval setting; also the dashboard's
//! doors to open and close a class.

use super::prelude::*;

impl Bot {
    /// Sets the public address class links are made from (`https://ruban.example.org`); the
    /// first call wins.
    pub fn set_public_url(&self, url: &str) {
        let _ = self.public_url.set(url.trim_end_matches('/').to_owned());
    }

    /// The address of a class link (`link`: [`ruban_store::ClassSession::link`]), when this
    /// server's public address is known.
    pub fn class_link(&self, link: &str) -> Option<String> {
        self.public_url.get().map(|base| format!("{base}/classe/{link}"))
    }

    pub(crate) fn class_message(
        &self,
        l: Locale,
        session: &ruban_store::ClassSession,
        members: i64,
        open: bool,
    ) -> OutMessage {
        let class = session.class_name.clone().unwrap_or_default();
        let mut count = self.t(
            l,
            "class-count",
            &[("count", members.into()), ("formatted", format_number(l, members as u64).into())],
        );
        if let Some(link) = self.class_link(session.link()).filter(|_| open) {
            count.push('\n');
            count.push_str(&self.t(l, "class-link-line", &[("url", link.into()), ("kind", kind(session))]));
        }
        let key = format!("class-{}", session.code);
        OutMessage {
            text: format!(
                "{}\n\n{count}",
                self.t(l, "class-opened", &[("class", class.into()), ("kind", kind(session))])
            ),
            buttons: if open {
                vec![
                    Button {
                        id: ButtonId::JoinClass(session.code.clone()).encode(),
                        label: self.t(l, "class-join-button", &[]),
                    },
                    Button {
                        id: ButtonId::CloseClass(session.code.clone()).encode(),
                        label: self.t(l, "class-close-button", &[]),
                    },
                ]
            } else {
                Vec::new()
            },
            key: Some(key.clone()),
            edits: None,
            // Later states win: more members, and closed after open.
            revision: Some(members as u64 * 2 + u64::from(!open)),
            locale: Some(l),
            ..OutMessage::default()
        }
    }

    pub(crate) async fn open_class(
        &self,
        inc: &Incoming,
        l: Locale,
        name: Option<String>,
        group: bool,
    ) -> Result<Reply, Oops> {
        if !(inc.is_admin || inc.chat.private) {
            return Err(Oops::new("error-class-not-allowed"));
        }
        let raw = name.ok_or(Oops::new("error-class-needs-name"))?;
        let label = checked_label(&raw)?;
        self.drawable(label.as_str())?;
        let chat = self.chat(inc);
        if let Some(open) = self.store.open_class_in_chat(&chat).await? {
            return Err(Oops("error-class-already-open", vec![("class", open.class_name.unwrap_or_default().into())]));
        }
        // Between campaigns with none announced: the adult is told the class waits for the next
        // edition (the ribbon's sentence speaks to a child who pledges alone).
        let year = self.current_campaign().ok_or(Oops::new("class-no-campaign"))?.year;
        self.limit(Kind::Class, inc)?;
        let session = self
            .store
            .open_class(NewClass {
                campaign: year,
                owner_key: self.person(inc),
                platform: inc.platform.clone(),
                chat_key: Some(chat),
                class_name: label.as_str().to_owned(),
                school: None,
                region: None,
                is_group: group,
            })
            .await?;
        Ok(Reply::one(self.class_message(l, &session, 0, true)))
    }

    /// `/classe approbation`: the adults in charge of a class's chat choose that its messages
    /// reach the wall only once an organizer approved them (the dashboard's queue).
    pub(crate) async fn class_approval(&self, inc: &Incoming, l: Locale, on: bool) -> Result<Reply, Oops> {
        if !inc.is_admin || inc.chat.private {
            return Err(Oops::new("error-class-approval-not-allowed"));
        }
        let class = self.store.open_class_in_chat(&self.chat(inc)).await?.ok_or(Oops::new("error-class-none-open"))?;
        self.store.set_class_premoderated(&class.code, on).await?;
        let args = [("class", FluentValue::from(class.class_name.unwrap_or_default()))];
        Ok(Reply::one(OutMessage::text(self.t(l, if on { "class-approval-on" } else { "class-approval-off" }, &args))))
    }

    /// `/classe enseignant`: the adults in charge of a class's chat get its teacher access, for
    /// them alone (never shown in the group, where pupils would see it).
    pub(crate) async fn class_teacher(&self, inc: &Incoming, l: Locale) -> Result<Reply, Oops> {
        if !inc.is_admin || inc.chat.private {
            return Err(Oops::new("error-class-teacher-not-allowed"));
        }
        let class = self.store.open_class_in_chat(&self.chat(inc)).await?.ok_or(Oops::new("error-class-none-open"))?;
        let code = self.store.teacher_code(&class.code).await?.ok_or(Oops::new("error-class-teacher-none"))?;
        let args = [
            ("class", FluentValue::from(class.class_name.unwrap_or_default())),
            ("link", self.teacher_link(&code).into()),
        ];
        Ok(Reply::one(OutMessage {
            text: self.t(l, "class-teacher-link", &args),
            private: true,
            personal: true,
            unreachable: Some(self.t(l, "class-teacher-write-privately", &[])),
            ..OutMessage::default()
        }))
    }

    /// A class's teacher access (`/enseignant/CODE`), whole when the public address is known.
    pub fn teacher_link(&self, teacher_code: &str) -> String {
        let path = format!("/enseignant/{teacher_code}");
        self.public_url.get().map_or(path.clone(), |base| format!("{base}{path}"))
    }

    pub(crate) async fn close_class(&self, inc: &Incoming, l: Locale, code: &str) -> Result<Reply, Oops> {
        let closed = self.close_class_by(l, code, &self.person(inc)).await?;
        Ok(Reply { messages: vec![closed.counter, closed.badge] })
    }

    /// Opens a class (or, with `group`, a group: « groupe ») from the organizers' dashboard, for a pupil's school device (the class
    /// link): the class name gets the checks of `/classe NOM`; the class has no chat, and its
    /// owner is [`DASHBOARD_OWNER`], so that any organizer whose scope holds it may close it.
    /// A refusal is the sentence to show the organizer.
    pub async fn open_class_from_dashboard(
        &self,
        l: Locale,
        name: &str,
        school: Option<String>,
        region: Option<String>,
        group: bool,
    ) -> Result<ruban_store::ClassSession, String> {
        let opened = async {
            let label = checked_label(name)?;
            self.drawable(label.as_str())?;
            let year = self.joinable()?.year;
            let new = NewClass {
                campaign: year,
                owner_key: DASHBOARD_OWNER.to_owned(),
                platform: DASHBOARD_OWNER.to_owned(),
                chat_key: None,
                class_name: label.as_str().to_owned(),
                school,
                region,
                is_group: group,
            };
            Ok::<_, Oops>(self.store.open_class(new).await?)
        };
        opened.await.map_err(|Oops(id, args)| self.t_adult(l, id, &args))
    }

    /// Closes a class opened from the dashboard: the sentence that says how many pledged, and
    /// the class badge (PNG). The caller checked that the organizer's scope holds the class.
    pub async fn close_class_from_dashboard(&self, l: Locale, code: &str) -> Result<(String, Attachment), String> {
        let mut closed =
            self.close_class_by(l, code, DASHBOARD_OWNER).await.map_err(|Oops(id, args)| self.t_adult(l, id, &args))?;
        let badge = closed.badge.images.pop().ok_or_else(|| self.t(l, "error-internal", &[]))?;
        Ok((closed.badge.text, badge))
    }

    pub(crate) async fn close_class_by(&self, l: Locale, code: &str, by: &str) -> Result<ClosedClass, Oops> {
        validate::class_code(code).map_err(|_| Oops::new("error-unknown-button"))?;
        let summary = self.store.close_class(code, by).await?;
        let class = summary.session.class_name.clone().unwrap_or_default();
        let mut edited = self.class_message(l, &summary.session, summary.members, false);
        edited.edits = edited.key.take();
        let png = self.class_badge_png(l, &summary).await?;
        let count_args = [
            ("kind", kind(&summary.session)),
            ("class", FluentValue::from(class.clone())),
            ("count", summary.members.into()),
            ("formatted", format_number(l, summary.members as u64).into()),
        ];
        let done = OutMessage {
            text: self.t(l, "class-closed", &count_args),
            images: vec![Attachment {
                bytes: Arc::new(png),
                file_name: format!("{}.png", file_stem(&self.t(l, "file-class", &[]), &class)),
                alt: self.t(l, "class-badge-alt", &[("class", class.into()), ("kind", kind(&summary.session))]),
            }],
            ..OutMessage::default()
        };
        // The badge is drawn: the first names typed on the class page are forgotten.
        if let Err(e) = self.store.forget_class_names(code).await {
            tracing::warn!(error = %e, "could not forget a closed class's first names; the purge will");
        }
        Ok(ClosedClass { counter: edited, badge: done })
    }

    /// A class's badge as it stands (its count, the first names typed on its page), PNG; the
    /// class's campaign on it unless that campaign is over (then no year at all).
    pub(crate) async fn class_badge_png(
        &self,
        l: Locale,
        summary: &ruban_store::ClassSummary,
    ) -> Result<Vec<u8>, Oops> {
        let class = summary.session.class_name.clone().unwrap_or_default();
        let spec = ClassBadgeSpec {
            class_name: Label::parse(&class).unwrap_or_else(|_| Label::parse("Classe").expect("a valid label")),
            school: summary.session.school.as_deref().and_then(|s| Label::parse(s).ok()),
            count: summary.members as u64,
            names: summary.names.iter().filter_map(|n| Name::parse(n).ok()).collect(),
            date: self.clock().today(),
            locale: l,
            group: summary.session.is_group,
        };
        let edition = self.current_campaign().filter(|c| c.year == summary.session.campaign).cloned();
        self.render("class_badge", move |a| {
            card_renderer::into_png(card_renderer::render_class_badge_in(a, &spec, edition.as_ref()))
        })
        .await
    }

    pub(crate) async fn join(&self, inc: &Incoming, l: Locale, code: &str) -> Result<Reply, Oops> {
        // A code of the wrong shape cannot be one of ours: the same answer as an unknown one.
        validate::class_code(code).map_err(|_| Oops::new("error-unknown-button"))?;
        self.limit(Kind::Other, inc)?;
        // A click on a class of a campaign that is over (an old message) pledges nowhere.
        let before = self.store.class_by_code(code).await?.ok_or(Oops::new("error-unknown-button"))?;
        if self.current_campaign().map(|c| c.year) != Some(before.campaign) {
            return Err(Oops("class-campaign-over", vec![("year", before.campaign.to_string().into())]));
        }
        // On the class page (no account, no platform name) a pupil may type a first name for
        // the class badge; it gets the same checks as any name that reaches other people. A
        // platform's display name is never drawn without the person choosing it (`/nom`).
        let first_name = match inc.user.display_name.trim() {
            typed if inc.platform == CLASS_PAGE && !typed.is_empty() => Some(checked_name(typed)?.as_str().to_owned()),
            _ => None,
        };
        let joined = self
            .store
            .join_class(JoinRequest {
                code: code.to_owned(),
                person_key: self.person(inc),
                platform: inc.platform.clone(),
                first_name,
            })
            .await?;
        let session = self.store.class_by_code(code).await?.ok_or(Oops::new("error-unknown-button"))?;
        let mut edited = self.class_message(l, &session, joined.members, session.is_open);
        edited.edits = edited.key.take();
        let toast = OutMessage {
            text: self.t(
                l,
                if joined.newly_joined { "class-joined-toast" } else { "class-already-toast" },
                &[("kind", kind(&session))],
            ),
            private: true,
            ..OutMessage::default()
        };
        Ok(Reply { messages: vec![edited, toast] })
    }
}

/// The Fluent `$kind` of a class's words: « groupe » or « classe ».
pub(crate) fn kind(session: &ruban_store::ClassSession) -> FluentValue<'static> {
    FluentValue::from(if session.is_group { "groupe" } else { "classe" })
}
