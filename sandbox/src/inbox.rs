//! The handset's inbox: every code the sandbox "delivered" (Authy SMS, voice and e-mail tokens,
//! phone verification codes, Verify codes), with the text a real user would read. Read by
//! `GET /sandbox/inbox` and the browser UI (`/_ui/`).

use serde_json::{Value, json};

/// `GET /sandbox/inbox` keeps the most recent this many messages (oldest dropped first).
pub const MAX_INBOX_MESSAGES: usize = 1000;

/// One delivered message.
#[derive(Debug, Clone)]
pub struct Message {
    /// Increasing number, assigned when it is stored (1 for the first).
    pub id: u64,
    /// Sandbox-clock Unix time it was sent.
    pub sent_at: i64,
    /// Sandbox-clock Unix time the code stops verifying.
    pub expires_at: i64,
    /// `authy` (sms/call/email tokens), `phone_verification` (Verify v1) or `verify` (v2).
    pub service: &'static str,
    /// `sms`, `call`, `email` (Verify also `whatsapp`).
    pub channel: String,
    /// The recipient in full: `+1 201-555-0123` or an e-mail address.
    pub to: String,
    /// The recipient as the API's answer showed it (`+1-XXX-XXX-XX23` for Authy SMS/calls).
    pub to_masked: String,
    /// The `locale` the request asked for, if any.
    pub locale: Option<String>,
    /// The code.
    pub code: String,
    /// What the user reads or hears (see [`text`]).
    pub text: String,
    /// What the message belongs to: `{"authy_id","action"}`, `{"uuid"}`, `{"sid"}`…
    pub reference: Value,
}

impl Message {
    /// The control API's JSON for this message at sandbox time `now`.
    pub fn to_json(&self, now: i64) -> Value {
        json!({
            "id": self.id,
            "sent_at": self.sent_at,
            "expires_at": self.expires_at,
            "expired": now >= self.expires_at,
            "service": self.service,
            "channel": self.channel,
            "to": self.to,
            "to_masked": self.to_masked,
            "locale": self.locale,
            "code": self.code,
            "text": self.text,
            "reference": self.reference,
        })
    }
}

impl Message {
    /// A Verify v2 code sent by `channel` for verification `verification_sid` of service
    /// `service_sid` (whose `friendly_name` the text names). Verify answers show `to` in full.
    #[allow(clippy::too_many_arguments)]
    pub fn verify(
        verification_sid: &str,
        service_sid: &str,
        friendly_name: &str,
        to: &str,
        channel: &str,
        locale: Option<&str>,
        code: &str,
        sent_at: i64,
        expires_at: i64,
    ) -> Message {
        Message {
            id: 0,
            sent_at,
            expires_at,
            service: "verify",
            channel: channel.to_string(),
            to: to.to_string(),
            to_masked: to.to_string(),
            locale: locale.map(str::to_string),
            code: code.to_string(),
            text: text(channel, locale, friendly_name, code),
            reference: json!({"verification_sid": verification_sid, "service_sid": service_sid}),
        }
    }
}

/// Whether `locale` asks for Spanish (`es`, `es-MX`, …).
pub fn is_spanish(locale: Option<&str>) -> bool {
    locale.is_some_and(|l| {
        let l = l.to_ascii_lowercase();
        l == "es" || l.starts_with("es-")
    })
}

/// The message a user receives with `code` by `channel` (`sms`, `call`, `email`), in Spanish
/// for an `es` locale and in English otherwise. The real texts are not on record: these are the
/// sandbox's own (README "Simplified or invented"); voice texts spell the digits out.
pub fn text(channel: &str, locale: Option<&str>, app: &str, code: &str) -> String {
    let spanish = is_spanish(locale);
    let spoken = || {
        code.chars()
            .map(String::from)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (channel, spanish) {
        ("call", false) => format!(
            "Your {app} verification code is: {}. Once again, your code is: {}.",
            spoken(),
            spoken()
        ),
        ("call", true) => format!(
            "Su código de verificación de {app} es: {}. Otra vez, su código es: {}.",
            spoken(),
            spoken()
        ),
        ("email", false) => format!(
            "Subject: Your {app} verification code\n\nYour {app} verification code is: {code}\nIt expires in 10 minutes."
        ),
        ("email", true) => format!(
            "Asunto: Su código de verificación de {app}\n\nSu código de verificación de {app} es: {code}\nVence en 10 minutos."
        ),
        (_, false) => format!("Your {app} verification code is: {code}"),
        (_, true) => format!("Su código de verificación de {app} es: {code}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_carry_the_code_in_the_locale() {
        assert_eq!(
            text("sms", None, "App", "1234567"),
            "Your App verification code is: 1234567"
        );
        assert_eq!(
            text("sms", Some("es-MX"), "App", "1234"),
            "Su código de verificación de App es: 1234"
        );
        assert!(text("call", Some("en"), "App", "123").contains("1, 2, 3"));
        assert!(text("call", Some("ES"), "App", "123").starts_with("Su código"));
        assert!(text("email", None, "App", "7654321").contains("is: 7654321"));
        assert!(!is_spanish(Some("en-ES")));
        assert!(!is_spanish(None));
    }
}
