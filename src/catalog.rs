//! Offline catalog of Authy `error_code` values.
//!
//! The Authy API reports failures with an HTTP status and a numeric `error_code` (sent as a JSON
//! string, e.g. `"60026"`). This module maps every code known from Twilio's documentation, the
//! official client libraries and recorded API output to a short English meaning and, where a
//! source records it, the HTTP status the API answers with.
//!
//! ```
//! let entry = authy::catalog::lookup(60026).unwrap();
//! assert_eq!(entry.http_status, Some(404));
//! assert_eq!(entry.meaning, "User not found");
//! assert_eq!(authy::catalog::lookup("60026"), Some(entry));
//! assert!(authy::catalog::lookup(60039).is_none()); // never seen in any source
//! ```

/// One known Authy error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CatalogEntry {
    /// The numeric code, e.g. `60001`.
    pub code: u32,
    /// The HTTP status the API answers with, when a source records it.
    pub http_status: Option<u16>,
    /// A short English meaning (sentence case, no trailing period).
    pub meaning: &'static str,
}

const fn e(code: u32, http_status: u16, meaning: &'static str) -> CatalogEntry {
    CatalogEntry {
        code,
        http_status: if http_status == 0 {
            None
        } else {
            Some(http_status)
        },
        meaning,
    }
}

/// Every known code, sorted by code (binary-searched by [`lookup`]). `0` = no recorded status.
static ENTRIES: &[CatalogEntry] = &[
    e(60000, 400, "An error occurred"),
    e(60001, 401, "Invalid API key"),
    e(60002, 400, "Invalid request"),
    e(60003, 429, "DoS protection: too many requests"),
    e(60004, 400, "Invalid parameter"),
    e(60005, 400, "Request contains invalid UTF-8"),
    e(60006, 0, "Phone call add-on disabled"),
    e(60007, 0, "SMS disabled"),
    e(60008, 0, "Account suspended"),
    e(60009, 0, "Monthly SMS limit reached"),
    e(60010, 0, "Daily SMS limit reached"),
    e(60011, 0, "Monthly call limit reached"),
    e(60012, 0, "Daily call limit reached"),
    e(60013, 0, "Banned country"),
    e(60014, 0, "Call not started"),
    e(60015, 0, "SMS not sent"),
    e(60016, 401, "User doesn't exist"),
    e(60017, 0, "User suspended"),
    e(60018, 0, "User disabled"),
    e(60019, 0, "Token already used"),
    e(60020, 401, "Token is invalid"),
    e(60021, 403, "Phone verification couldn't be created"),
    e(60022, 401, "Verification code is incorrect"),
    e(60023, 404, "Phone verification not found"),
    e(60024, 0, "Cannot get phone information"),
    e(60025, 500, "Server error while querying phone information"),
    e(60026, 404, "User not found"),
    e(60027, 400, "User was not valid"),
    e(60028, 0, "Could not delete user"),
    e(60029, 0, "Cannot create activity"),
    e(60030, 0, "Incorrect user parameters"),
    e(60031, 0, "Action not authorized"),
    e(60032, 400, "SMS was not found"),
    e(60033, 400, "Phone number is invalid"),
    e(60034, 0, "Registration request invalid"),
    e(60035, 0, "Registration request not found"),
    e(60036, 0, "Registration request PIN invalid"),
    e(60037, 0, "Registration request expired"),
    e(60038, 0, "Invalid email"),
    e(
        60042,
        400,
        "Either uuid or country_code and phone number are required",
    ),
    e(60046, 400, "Missing dashboard account ids to process"),
    e(60047, 0, "Twilio API key used instead of an Authy API key"),
    e(60049, 404, "Approval request not found"),
    e(60050, 0, "OneTouch: unregistered user"),
    e(60051, 0, "OneTouch: device not found"),
    e(60052, 0, "OneTouch: internal connection error"),
    e(60053, 0, "OneTouch: error sending the approval request"),
    e(60054, 0, "OneTouch: approval request error"),
    e(60055, 0, "OneTouch: error notifying the customer"),
    e(60056, 0, "Must use SSL"),
    e(60057, 0, "Account temporarily suspended"),
    e(60058, 0, "Phone number not found"),
    e(60059, 0, "Phone number invalid"),
    e(60060, 503, "Account suspended"),
    e(60061, 0, "Application suspended"),
    e(60063, 0, "Disallowed IP address"),
    e(60064, 403, "Failed to enable OneTouch"),
    e(60065, 403, "OneTouch must be enabled first"),
    e(60066, 403, "Error saving the callback information"),
    e(60068, 0, "Cannot update on device registration"),
    e(60069, 400, "Access key cannot be saved"),
    e(60070, 400, "Application was not valid"),
    e(60071, 404, "Access key not found"),
    e(60072, 404, "Invalid access key"),
    e(60073, 400, "Invalid application API key"),
    e(60074, 400, "Access key doesn't have enough permissions"),
    e(60075, 400, "Delete application failed"),
    e(60078, 403, "Invalid country code"),
    e(60079, 0, "OneTouch: approval request not pending"),
    e(60080, 0, "OneTouch: approval request invalid"),
    e(60082, 403, "Cannot send SMS to landline phone numbers"),
    e(60083, 403, "Phone number not provisioned with any carrier"),
    e(60086, 0, "JWT token expired"),
    e(60087, 0, "JWT token signature invalid"),
    e(60089, 0, "Invalid reporting query"),
    e(60090, 0, "Registration request could not be created"),
    e(60091, 0, "Custom message not allowed"),
    e(60092, 0, "Device not found"),
    e(60093, 0, "SDK device not deleted"),
    e(60094, 0, "Invalid reporting interval"),
    e(60095, 0, "Invalid reporting report"),
    e(60096, 0, "Error processing report"),
    e(60097, 0, "Phone change in progress"),
    e(60098, 0, "Webhook creation error"),
    e(60099, 0, "Webhook list error"),
    e(60100, 0, "Webhook deletion error"),
    e(60101, 0, "Invalid JWT token"),
    e(60102, 0, "Push certificate creation error"),
    e(60103, 0, "Unrecognised push platform"),
    e(60104, 0, "Invalid push certificates"),
    e(60105, 0, "Notify JWT token error"),
    e(60106, 0, "User suspended from the application"),
    e(60107, 0, "User blocked"),
    e(60108, 0, "Invalid channel for the device"),
    e(60109, 0, "Authentication method not found"),
    e(60110, 0, "Authentication method cannot be created"),
    e(60111, 0, "Authentication not found"),
    e(60112, 0, "Invalid authentication method"),
    e(60113, 0, "Authenticator not found"),
    e(60114, 0, "Authenticator cannot be updated"),
    e(60115, 0, "Phone number opted out"),
    e(60116, 0, "Bad phone verification JWT parameters"),
    e(60117, 0, "Application not found"),
    e(60118, 0, "TOTP code invalid"),
    e(60119, 0, "User without PII required"),
    e(60120, 0, "SMS limit reached"),
    e(60121, 0, "SMS invalid"),
    e(60122, 0, "QR code generation failed"),
    e(60123, 0, "Generic authenticator tokens disabled"),
    e(60124, 0, "Account not found"),
    e(60125, 0, "Invalid SDK application"),
    e(60126, 0, "HLR report error"),
    e(60127, 0, "User pending deletion"),
    e(60128, 0, "User was deleted"),
    e(60129, 0, "Public key not found"),
    e(60130, 0, "User deletion ongoing"),
    e(60131, 0, "User deletion failed"),
    e(60132, 0, "Account deletion incomplete"),
    e(60133, 0, "CLNPC message"),
];

/// Something that names an error code: a number (`60026`) or its decimal text (`"60026"`, as
/// the API sends it in `error_code`).
pub trait ErrorCode {
    /// The numeric code, or `None` when the text is not a plain decimal number.
    fn to_code(&self) -> Option<u32>;
}

impl ErrorCode for u32 {
    fn to_code(&self) -> Option<u32> {
        Some(*self)
    }
}

impl ErrorCode for u16 {
    fn to_code(&self) -> Option<u32> {
        Some(u32::from(*self))
    }
}

impl ErrorCode for i32 {
    fn to_code(&self) -> Option<u32> {
        u32::try_from(*self).ok()
    }
}

impl ErrorCode for i64 {
    fn to_code(&self) -> Option<u32> {
        u32::try_from(*self).ok()
    }
}

impl ErrorCode for str {
    fn to_code(&self) -> Option<u32> {
        let text = self.trim();
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    }
}

impl ErrorCode for String {
    fn to_code(&self) -> Option<u32> {
        self.as_str().to_code()
    }
}

impl<T: ErrorCode + ?Sized> ErrorCode for &T {
    fn to_code(&self) -> Option<u32> {
        (**self).to_code()
    }
}

/// Looks up a code given as a number or as its decimal text. Unknown codes are `None`.
pub fn lookup<C: ErrorCode>(code: C) -> Option<CatalogEntry> {
    let code = code.to_code()?;
    ENTRIES
        .binary_search_by_key(&code, |entry| entry.code)
        .ok()
        .map(|i| ENTRIES[i])
}

/// Every known entry, sorted by code.
pub fn entries() -> &'static [CatalogEntry] {
    ENTRIES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_unique() {
        assert!(ENTRIES.windows(2).all(|w| w[0].code < w[1].code));
        assert!(ENTRIES.iter().all(|e| (60000..60200).contains(&e.code)));
        assert!(
            ENTRIES
                .iter()
                .all(|e| !e.meaning.is_empty() && !e.meaning.ends_with('.'))
        );
    }

    #[test]
    fn documented_codes_and_statuses() {
        let status = |c: u32| lookup(c).unwrap().http_status;
        assert_eq!(status(60000), Some(400));
        assert_eq!(status(60001), Some(401));
        assert_eq!(status(60003), Some(429));
        assert_eq!(status(60016), Some(401));
        assert_eq!(status(60020), Some(401));
        assert_eq!(status(60021), Some(403));
        assert_eq!(status(60022), Some(401));
        assert_eq!(status(60023), Some(404));
        assert_eq!(status(60025), Some(500));
        assert_eq!(status(60026), Some(404));
        assert_eq!(status(60027), Some(400));
        assert_eq!(status(60033), Some(400));
        assert_eq!(status(60042), Some(400));
        assert_eq!(status(60049), Some(404));
        assert_eq!(status(60060), Some(503));
        assert_eq!(status(60065), Some(403));
        assert_eq!(status(60083), Some(403));
        assert_eq!(status(60006), None);
        assert_eq!(lookup(60001).unwrap().meaning, "Invalid API key");
        assert_eq!(lookup(60020).unwrap().meaning, "Token is invalid");
    }

    #[test]
    fn ranges_expand_to_distinct_entries() {
        let meanings = |codes: std::ops::RangeInclusive<u32>| {
            codes
                .map(|c| lookup(c).unwrap_or_else(|| panic!("{c} missing")).meaning)
                .collect::<Vec<_>>()
        };
        for range in [
            60009..=60012,
            60034..=60037,
            60052..=60055,
            60094..=60096,
            60098..=60100,
            60102..=60105,
            60109..=60112,
            60127..=60132,
        ] {
            let m = meanings(range.clone());
            let mut unique = m.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), m.len(), "{range:?}: {m:?}");
        }
        assert_eq!(
            lookup(60036).unwrap().meaning,
            "Registration request PIN invalid"
        );
    }

    #[test]
    fn gaps_and_foreign_codes_are_unknown() {
        for c in [
            0,
            6000,
            59999,
            60039,
            60040,
            60041,
            60043,
            60044,
            60045,
            60048,
            60062,
            60067,
            60076,
            60077,
            60081,
            60084,
            60085,
            60088,
            60134,
            60200,
            u32::MAX,
        ] {
            assert_eq!(lookup(c), None, "{c}");
        }
        assert_eq!(lookup(-1), None);
        assert_eq!(lookup(60026_i64), lookup(60026_u32));
        assert_eq!(ENTRIES.len(), 119);
    }

    #[test]
    fn textual_codes() {
        assert_eq!(lookup("60026"), lookup(60026));
        assert_eq!(lookup(" 60026 ".to_string()), lookup(60026));
        let owned = String::from("60001");
        assert_eq!(lookup(&owned), lookup(60001));
        assert_eq!(owned, "60001");
        for bad in [
            "",
            "abc",
            "-60026",
            "+60026",
            "60026.0",
            "6002 6",
            "99999999999",
        ] {
            assert_eq!(lookup(bad), None, "{bad:?}");
        }
    }
}
