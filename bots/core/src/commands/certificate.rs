//! `/certificat NOM [raison]`: a certificate of recognition for one pupil, and a class's
//! certificates as one print-ready PDF (the dashboard and the teacher's page).

use super::prelude::*;

/// Why a class's certificates were not made: the sentence to show, and whether it only asks
/// to come back in a moment (the process's memory budget was spent: a web door answers 503
/// with Retry-After) rather than to mend the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackRefusal {
    /// The sentence, in the adult's language.
    pub text: String,
    /// A moment's wait, not a mistake in the form.
    pub busy: bool,
}

impl From<String> for PackRefusal {
    fn from(text: String) -> Self {
        Self { text, busy: false }
    }
}

impl Bot {
    /// `/certificat NOM [raison]`: the adults in charge of a chat (or anyone in a private chat
    /// with the bot) get a certificate of recognition for a pupil, privately, as a PNG and a
    /// PDF to print. The name and the reason get the checks of a card; the giver is the adult's
    /// name when it passes them. Only the count is kept.
    pub(crate) async fn certificate(
        &self,
        inc: &Incoming,
        l: Locale,
        name: Option<String>,
        reason: Option<String>,
    ) -> Result<Reply, Oops> {
        if !(inc.is_admin || inc.chat.private) {
            return Err(Oops::new("error-certificate-not-allowed"));
        }
        let raw = name.ok_or(Oops::new("error-certificate-needs-name"))?;
        let recipient = checked_name(&raw)?;
        self.drawable(recipient.as_str())?;
        let reason = self.certificate_reason(l, reason.as_deref())?;
        self.limit(Kind::Other, inc)?;
        let giver = checked_name(&inc.user.display_name)
            .ok()
            .filter(|g| self.drawable(g.as_str()).is_ok())
            .map_or_else(|| Name::parse(&self.t(l, "certificate-default-giver", &[])).map_err(text_error), Ok)?;
        let spec = CertificateSpec {
            recipient: recipient.clone(),
            reason,
            giver,
            organization: None,
            date: self.clock().today(),
            locale: l,
        };
        let edition = self.current_campaign().cloned();
        let (png_spec, png_edition) = (spec.clone(), edition.clone());
        let png = self
            .render("certificate", move |a| {
                card_renderer::into_png(card_renderer::render_certificate_in(a, &png_spec, png_edition.as_ref()))
            })
            .await?;
        let pdf = self
            .render("certificate_pdf", move |a| card_renderer::certificate_pdf_in(a, &spec, edition.as_ref()))
            .await?;
        let year = self.current_campaign().map_or(self.campaign().year, |c| c.year);
        // Once per pupil of this chat (a group: the class; a private chat: this adult's).
        let place = if inc.chat.private { self.person(inc) } else { self.chat(inc) };
        let pupil = self.pupil_tag(year, &place, recipient.as_str());
        if let Err(e) = self.store.count_certificates(year, &inc.platform, &[pupil]).await {
            tracing::warn!(error = %e, "a certificate was not counted");
        }
        let stem = file_stem(&self.t(l, "file-certificate", &[]), recipient.as_str());
        let who = [("name", FluentValue::from(recipient.as_str().to_owned()))];
        Ok(Reply::one(OutMessage {
            text: self.t(l, "certificate-ready", &who),
            images: vec![Attachment {
                bytes: Arc::new(png),
                file_name: format!("{stem}.png"),
                alt: self.t(l, "certificate-alt", &who),
            }],
            files: vec![Attachment {
                bytes: Arc::new(pdf),
                file_name: format!("{stem}.pdf"),
                alt: self.t(l, "certificate-alt", &who),
            }],
            private: true,
            personal: true,
            unreachable: Some(self.t(l, "certificate-write-privately", &[])),
            ..OutMessage::default()
        }))
    }

    /// A certificate's reason as typed (a card's checks), or the default one when none is.
    pub(crate) fn certificate_reason(&self, l: Locale, typed: Option<&str>) -> Result<Reason, Oops> {
        match typed.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => {
                let r = Reason::parse(r).map_err(text_error)?;
                moderated_sentence(r.as_str())?;
                self.drawable(r.as_str())?;
                Ok(r)
            }
            None => Reason::parse(&self.t(l, "certificate-default-reason", &[])).map_err(text_error),
        }
    }

    /// A class's certificates, for an organizer (the dashboard) or the teacher (their page):
    /// one print-ready PDF with a page per pupil, or a ZIP of the PNGs ([`PrintPack`]), in the
    /// order given. Every name (at most [`MAX_CLASS_CERTIFICATES`]) and the reason get a card's
    /// checks first: one refused name draws nothing, and the sentence says which line. Only the
    /// count is kept, once per pupil of `class` (a class's code, or whatever names the group
    /// the adult prints for) however many times the pack is printed.
    #[allow(clippy::too_many_arguments)] // The form's fields, each distinct.
    pub async fn class_certificates(
        &self,
        l: Locale,
        names: &[String],
        reason: Option<&str>,
        giver: &str,
        platform: &str,
        class: &str,
        pack: PrintPack,
    ) -> Result<Vec<u8>, PackRefusal> {
        let oops = |o: Oops| self.t_adult(l, o.0, &o.1);
        let names: Vec<&str> = names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()).collect();
        if names.is_empty() {
            return Err(self.t(l, "error-certificates-none", &[]).into());
        }
        if names.len() > MAX_CLASS_CERTIFICATES {
            return Err(self.t(l, "error-certificates-too-many", &[("max", MAX_CLASS_CERTIFICATES.into())]).into());
        }
        let mut recipients = Vec::with_capacity(names.len());
        for (i, raw) in names.iter().enumerate() {
            let name = checked_name(raw).and_then(|n| self.drawable(n.as_str()).map(|()| n)).map_err(|o| {
                self.t(l, "error-certificates-line", &[("line", (i + 1).into()), ("why", oops(o).into())])
            })?;
            recipients.push(name);
        }
        let reason = self.certificate_reason(l, reason).map_err(oops)?;
        let giver = checked_name(giver).and_then(|g| self.drawable(g.as_str()).map(|()| g)).map_err(oops)?;
        // The pack's share of the process's memory: every encoded page, then the pack made of
        // them (the pages being drawn are bounded by the drawing cores, and counted by cards).
        let per_page: u64 = match pack {
            PrintPack::Pdf => 700 << 10,
            PrintPack::PngZip => 1600 << 10,
        };
        let Some(_share) = self.budget.take(recipients.len() as u64 * per_page * 2, crate::BUDGET_WAIT).await else {
            metrics::counter!("ruban_budget_refused_total", "door" => "certificates").increment(1);
            return Err(PackRefusal { text: self.t_adult(l, "error-busy", &[]), busy: true });
        };
        let edition = self.current_campaign().cloned();
        let date = self.clock().today();
        // Each page drawn and encoded in its own turn on the drawing cores, all at once.
        let prefix = self.t(l, "file-certificate", &[]);
        let stems: Vec<String> = recipients
            .iter()
            .enumerate()
            .map(|(i, r)| format!("{:02}-{}", i + 1, file_stem(&prefix, r.as_str())))
            .collect();
        let pages = recipients.into_iter().map(|recipient| {
            let spec = CertificateSpec {
                recipient,
                reason: reason.clone(),
                giver: giver.clone(),
                organization: None,
                date,
                locale: l,
            };
            let edition = edition.clone();
            self.render("certificate_page", move |a| {
                let pixmap = card_renderer::render_certificate_in(a, &spec, edition.as_ref());
                match pack {
                    PrintPack::Pdf => card_renderer::encode::jpeg_print(&pixmap),
                    PrintPack::PngZip => card_renderer::into_png(pixmap),
                }
            })
        });
        let encoded = futures_util::future::try_join_all(pages).await.map_err(oops)?;
        let made = match pack {
            PrintPack::Pdf => self.certificates_pdf(l, encoded).map_err(oops)?,
            PrintPack::PngZip => png_zip(&stems, &encoded).map_err(|e| {
                tracing::error!(error = %e, "a class's certificates could not be zipped");
                oops(Oops::new("error-internal"))
            })?,
        };
        let year = self.current_campaign().map_or(self.campaign().year, |c| c.year);
        let pupils: Vec<String> = names.iter().map(|n| self.pupil_tag(year, class, n)).collect();
        if let Err(e) = self.store.count_certificates(year, platform, &pupils).await {
            tracing::warn!(error = %e, "a class's certificates were not counted");
        }
        Ok(made)
    }

    /// Who a certificate is for, as the count keeps it: a keyed hash of the campaign, the
    /// class (or chat) and the first name as written, case and spacing aside in both. The same pupil
    /// printed twice is one; nothing can read the name back.
    fn pupil_tag(&self, year: i32, class: &str, name: &str) -> String {
        let fold = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        self.keys.tag("certificate", &format!("{year}\n{}\n{}", fold(class), fold(name)))
    }

    /// The pages (print JPEGs) as one PDF, Letter landscape.
    fn certificates_pdf(&self, l: Locale, jpegs: Vec<Vec<u8>>) -> Result<Vec<u8>, Oops> {
        let pages: Vec<card_renderer::encode::JpegPage> = jpegs
            .into_iter()
            .map(|j| {
                card_renderer::encode::JpegPage::from_jpeg(
                    j,
                    card_renderer::CERTIFICATE_WIDTH,
                    card_renderer::CERTIFICATE_HEIGHT,
                )
            })
            .collect();
        let title = self.t(l, "certificate-title", &[]);
        card_renderer::encode::pdf_pages(&pages, 792.0, 612.0, &title).map_err(text_error)
    }
}

/// How a class's certificates come: to print at once, or as images to handle one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrintPack {
    /// One PDF, a page per pupil (Letter landscape, 300 dpi).
    #[default]
    Pdf,
    /// A ZIP of the PNGs (3300 x 2550), one per pupil, named `01-certificat-zoe.png`…
    PngZip,
}

/// The PNGs in a ZIP, stored as they are (a PNG is compressed already), in the order given.
fn png_zip(stems: &[String], pngs: &[Vec<u8>]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (stem, png) in stems.iter().zip(pngs) {
        zip.start_file(format!("{stem}.png"), options)?;
        zip.write_all(png)?;
    }
    Ok(zip.finish()?.into_inner())
}
