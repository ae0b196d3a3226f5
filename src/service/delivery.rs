//! Delivering an issued invoice: e-mail over SMTP (lettre) and a signed
//! webhook to the merchant. Both are configured from the environment; either,
//! both or none may be on (none: the merchant fetches from the archive).
//!
//! * E-mail: `KRAVIA_INVOICE_SMTP_URL` (`smtp://host:port` plain,
//!   `smtp://host:port?tls=required` STARTTLS, `smtps://host:port` TLS; user
//!   and password in the URL), `KRAVIA_INVOICE_MAIL_FROM`. The PDF is attached
//!   as `<invoice number>.pdf`; subject and body in the invoice's language;
//!   the `Message-ID` is derived from the invoice number, so a resend after a
//!   crash is recognisably the same message.
//! * Webhook: `KRAVIA_INVOICE_WEBHOOK_URL`, `KRAVIA_INVOICE_WEBHOOK_SECRET`:
//!   `POST` of `{"event": "invoice.issued", "invoice_number", "transaction_id",
//!   "sha256", "pdf_url"}` (for a credit note `"event": "credit_note.issued"`
//!   with `"credit_number"` too, `invoice_number` naming the credited invoice)
//!   with `Kravia-Signature: sha256=<hex>`, the HMAC-SHA256 of the body with
//!   the secret. Any 2xx is delivered.

use hmac::{Hmac, KeyInit, Mac};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sha2::Sha256;

use super::engine::hex;

/// The SMTP URL variable.
pub const SMTP_URL_VAR: &str = "KRAVIA_INVOICE_SMTP_URL";
/// The sender variable.
pub const MAIL_FROM_VAR: &str = "KRAVIA_INVOICE_MAIL_FROM";
/// The webhook URL variable.
pub const WEBHOOK_URL_VAR: &str = "KRAVIA_INVOICE_WEBHOOK_URL";
/// The webhook secret variable.
pub const WEBHOOK_SECRET_VAR: &str = "KRAVIA_INVOICE_WEBHOOK_SECRET";

/// The configured channels.
pub struct Delivery {
    smtp: Option<(AsyncSmtpTransport<Tokio1Executor>, Mailbox)>,
    webhook: Option<Webhook>,
}

struct Webhook {
    http: reqwest::Client,
    url: String,
    secret: Vec<u8>,
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("email", &self.smtp.is_some())
            .field("webhook", &self.webhook.as_ref().map(|w| w.url.as_str()))
            .finish()
    }
}

/// What one delivery carries: an invoice, or a credit note.
#[derive(Debug)]
pub struct Outgoing<'a> {
    /// The invoice number (for a credit note: of the credited invoice).
    pub invoice_number: &'a str,
    /// A credit note's own number; `None` for an invoice.
    pub credit_number: Option<&'a str>,
    /// The UBL e-invoice, attached beside the PDF.
    pub ubl: Option<&'a [u8]>,
    /// The Dintero transaction id.
    pub transaction_id: &'a str,
    /// SHA-256 of the PDF.
    pub sha256: &'a str,
    /// The PDF.
    pub pdf: &'a [u8],
    /// The buyer's e-mail address.
    pub to: Option<&'a str>,
    /// `nb`, `sv`, `fi` or `en`.
    pub locale: &'a str,
    /// The seller's name.
    pub seller: &'a str,
    /// Where the archived PDF can be fetched.
    pub pdf_url: String,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|s| !s.trim().is_empty())
}

impl Delivery {
    /// The channels from the environment.
    ///
    /// # Errors
    ///
    /// An SMTP URL or sender that does not parse, an SMTP URL without a
    /// sender, a webhook URL without a secret.
    pub fn from_env() -> Result<Delivery, String> {
        let smtp = match env(SMTP_URL_VAR) {
            None => None,
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
                    .map_err(|e| format!("{SMTP_URL_VAR}: {e}"))?
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .build();
                let from = env(MAIL_FROM_VAR)
                    .ok_or_else(|| format!("{SMTP_URL_VAR} is set but {MAIL_FROM_VAR} is not"))?
                    .parse::<Mailbox>()
                    .map_err(|e| format!("{MAIL_FROM_VAR}: {e}"))?;
                Some((transport, from))
            }
        };
        let webhook = match env(WEBHOOK_URL_VAR) {
            None => None,
            Some(url) => {
                let secret = env(WEBHOOK_SECRET_VAR).ok_or_else(|| {
                    format!("{WEBHOOK_URL_VAR} is set but {WEBHOOK_SECRET_VAR} is not")
                })?;
                let http = reqwest::Client::builder()
                    .timeout(std::time::Duration::from_secs(20))
                    .build()
                    .map_err(|e| format!("webhook client: {e}"))?;
                Some(Webhook {
                    http,
                    url,
                    secret: secret.into_bytes(),
                })
            }
        };
        Ok(Delivery { smtp, webhook })
    }

    /// Whether e-mail is configured.
    pub fn email_on(&self) -> bool {
        self.smtp.is_some()
    }

    /// Whether the webhook is configured.
    pub fn webhook_on(&self) -> bool {
        self.webhook.is_some()
    }

    /// Sends the e-mail.
    ///
    /// # Errors
    ///
    /// No recipient, a message that cannot be built, an SMTP failure.
    pub async fn email(&self, o: &Outgoing<'_>) -> Result<(), String> {
        let Some((transport, from)) = &self.smtp else {
            return Ok(());
        };
        let to: Mailbox =
            o.to.ok_or("the buyer has no e-mail address")?
                .parse()
                .map_err(|e| format!("the buyer's e-mail address: {e}"))?;
        let (subject, body, id, name) = match o.credit_number {
            None => {
                let (s, b) = text(o.locale, o.invoice_number, o.seller);
                (s, b, message_id(o.invoice_number), o.invoice_number)
            }
            Some(c) => {
                let (s, b) = credit_text(o.locale, c, o.invoice_number, o.seller);
                (s, b, credit_message_id(c), c)
            }
        };
        let pdf_type = ContentType::parse("application/pdf").map_err(|e| e.to_string())?;
        let mut parts = MultiPart::mixed()
            .singlepart(SinglePart::plain(body))
            .singlepart(Attachment::new(format!("{name}.pdf")).body(o.pdf.to_vec(), pdf_type));
        if let Some(xml) = o.ubl {
            let xml_type = ContentType::parse("application/xml").map_err(|e| e.to_string())?;
            parts = parts
                .singlepart(Attachment::new(format!("{name}.xml")).body(xml.to_vec(), xml_type));
        }
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(id))
            .multipart(parts)
            .map_err(|e| format!("building the e-mail: {e}"))?;
        transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }

    /// Posts the webhook.
    ///
    /// # Errors
    ///
    /// A transport error or a status other than 2xx.
    pub async fn webhook(&self, o: &Outgoing<'_>) -> Result<(), String> {
        let Some(w) = &self.webhook else {
            return Ok(());
        };
        let mut doc = serde_json::json!({
            "event": "invoice.issued",
            "invoice_number": o.invoice_number,
            "transaction_id": o.transaction_id,
            "sha256": o.sha256,
            "pdf_url": o.pdf_url,
        });
        if let Some(c) = o.credit_number {
            doc["event"] = "credit_note.issued".into();
            doc["credit_number"] = c.into();
        }
        let body = serde_json::to_vec(&doc).map_err(|e| e.to_string())?;
        let signature = sign(&w.secret, &body);
        let r = w
            .http
            .post(&w.url)
            .header("content-type", "application/json")
            .header("kravia-signature", format!("sha256={signature}"))
            .body(body)
            .send()
            .await
            .map_err(|e| format!("webhook: {e}"))?;
        if r.status().is_success() {
            Ok(())
        } else {
            Err(format!("webhook: the merchant answered {}", r.status()))
        }
    }
}

/// HMAC-SHA256 of `body` with `secret`, lower-case hex.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    match <Hmac<Sha256> as KeyInit>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(body);
            hex(&mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// `<invoice.NUMBER@kravia-invoice>`, the same for every send of one invoice.
pub fn message_id(invoice_number: &str) -> String {
    format!("<invoice.{}@kravia-invoice>", safe(invoice_number))
}

/// `<credit.NUMBER@kravia-invoice>`, the same for every send of one credit note.
pub fn credit_message_id(credit_number: &str) -> String {
    format!("<credit.{}@kravia-invoice>", safe(credit_number))
}

fn safe(number: &str) -> String {
    number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Subject and body in the invoice's language.
pub fn text(locale: &str, number: &str, seller: &str) -> (String, String) {
    match locale {
        "nb" => (
            format!("Faktura {number} fra {seller}"),
            format!(
                "Hei,\n\nvedlagt er faktura {number} fra {seller}.\n\nVennlig hilsen\n{seller}\n"
            ),
        ),
        "sv" => (
            format!("Faktura {number} från {seller}"),
            format!(
                "Hej,\n\nbifogat finns faktura {number} från {seller}.\n\nVänliga hälsningar\n{seller}\n"
            ),
        ),
        "fi" => (
            format!("Lasku {number} – {seller}"),
            format!(
                "Hei,\n\nliitteenä on lasku {number} ({seller}).\n\nYstävällisin terveisin\n{seller}\n"
            ),
        ),
        _ => (
            format!("Invoice {number} from {seller}"),
            format!(
                "Hello,\n\nplease find attached invoice {number} from {seller}.\n\nKind regards\n{seller}\n"
            ),
        ),
    }
}

/// Subject and body of a credit note in the invoice's language.
pub fn credit_text(locale: &str, credit: &str, invoice: &str, seller: &str) -> (String, String) {
    match locale {
        "nb" => (
            format!("Kreditnota {credit} for faktura {invoice} fra {seller}"),
            format!(
                "Hei,\n\nfaktura {invoice} er kansellert. Vedlagt er kreditnota {credit}, som krediterer den.\nEt beløp som allerede er betalt, tilbakebetales av Kravia.\n\nVennlig hilsen\n{seller}\n"
            ),
        ),
        "sv" => (
            format!("Kreditfaktura {credit} för faktura {invoice} från {seller}"),
            format!(
                "Hej,\n\nfaktura {invoice} har makulerats. Bifogat finns kreditfaktura {credit}, som krediterar den.\nEtt belopp som redan har betalats återbetalas av Kravia.\n\nVänliga hälsningar\n{seller}\n"
            ),
        ),
        "fi" => (
            format!("Hyvityslasku {credit} laskulle {invoice} – {seller}"),
            format!(
                "Hei,\n\nlasku {invoice} on peruttu. Liitteenä on hyvityslasku {credit}, joka hyvittää sen.\nJo maksetun summan palauttaa Kravia.\n\nYstävällisin terveisin\n{seller}\n"
            ),
        ),
        _ => (
            format!("Credit note {credit} for invoice {invoice} from {seller}"),
            format!(
                "Hello,\n\ninvoice {invoice} has been cancelled. Please find attached credit note {credit}, which credits it.\nAny amount already paid is returned by Kravia.\n\nKind regards\n{seller}\n"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_id_is_stable_and_safe() {
        assert_eq!(
            message_id("A1B2C-000042"),
            "<invoice.A1B2C-000042@kravia-invoice>"
        );
        assert_eq!(message_id("A B/1"), "<invoice.A_B_1@kravia-invoice>");
        assert_eq!(
            credit_message_id("KN-000001"),
            "<credit.KN-000001@kravia-invoice>"
        );
    }

    #[test]
    fn hmac_known_vector() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn subjects_name_the_invoice_in_its_language() {
        assert!(text("nb", "X-1", "S").0.starts_with("Faktura X-1"));
        assert!(text("sv", "X-1", "S").0.contains("från"));
        assert!(text("fi", "X-1", "S").0.starts_with("Lasku X-1"));
        assert!(text("en", "X-1", "S").0.starts_with("Invoice X-1"));
        for l in ["nb", "sv", "fi", "en"] {
            let (subject, body) = credit_text(l, "KN-1", "X-1", "S");
            assert!(subject.contains("KN-1") && subject.contains("X-1"), "{l}");
            assert!(body.contains("KN-1") && body.contains("X-1"), "{l}");
        }
        assert!(
            credit_text("nb", "KN-1", "X-1", "S")
                .0
                .starts_with("Kreditnota")
        );
        assert!(
            credit_text("sv", "KN-1", "X-1", "S")
                .0
                .starts_with("Kreditfaktura")
        );
        assert!(
            credit_text("fi", "KN-1", "X-1", "S")
                .0
                .starts_with("Hyvityslasku")
        );
    }
}
