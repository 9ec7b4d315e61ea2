//! Phone numbers as the real API read them: separators allowed, a country code the caller
//! repeated in the number stripped, North American numbers checked against the NANP rules, and
//! numbers echoed back formatted (`+1 775-461-5609`).

/// How strictly a number is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Phone verification (start, check, status): North American numbers must be valid NANP
    /// numbers (10 digits, area code and exchange code starting with 2–9).
    Nanp,
    /// Phone information and the control API: the same normalisation, no NANP rule.
    Lenient,
}

/// The national number (digits only) of `raw` for calling code `cc` (digits, as validated by
/// `country_code_digits`), or `None` when the number is invalid.
///
/// - Only digits, spaces, `-`, `.`, `(`, `)` and one leading `+` are allowed.
/// - A leading `+` means the number carries its country code: it must be `cc`, and is removed
///   (`+1 775-461-5609` with `country_code=1` is `7754615609`).
/// - For `cc = 1`, an 11-digit number starting with `1` loses that `1` (`1-775-461-5609`).
/// - The national number has 6 to `15 - len(cc)` digits (E.164), exactly 10 for `cc = 1` with
///   [`Check::Nanp`], whose area code and exchange code must not start with 0 or 1.
pub fn national_number(cc: &str, raw: &str, check: Check) -> Option<String> {
    let t = raw.trim();
    let (international, rest) = match t.strip_prefix('+') {
        Some(r) => (true, r),
        None => (false, t),
    };
    let mut digits = String::with_capacity(rest.len());
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    let national = if international {
        digits.strip_prefix(cc)?.to_string()
    } else if cc == "1" && digits.len() == 11 && digits.starts_with('1') {
        digits[1..].to_string()
    } else {
        digits
    };
    let max = 15usize.saturating_sub(cc.len());
    if !(6..=max).contains(&national.len()) {
        return None;
    }
    if cc == "1" && check == Check::Nanp && !valid_nanp(&national) && national != OLD_SANDBOX_NUMBER
    {
        return None;
    }
    Some(national)
}

/// The test number of the old public sandbox (`+1 111-111-1111`): phone verification started
/// for it, and code `0000` was correct — authy-php's sandbox-era tests (`ApiTest.php`) use it
/// (authy-api.md §3.13, "Sandbox convention"). Not a valid NANP number, accepted all the same.
pub const OLD_SANDBOX_NUMBER: &str = "1111111111";

/// A North American number: `NXX NXX XXXX`, N = 2–9.
pub fn valid_nanp(national: &str) -> bool {
    let b = national.as_bytes();
    b.len() == 10
        && b.iter().all(u8::is_ascii_digit)
        && (b'2'..=b'9').contains(&b[0])
        && (b'2'..=b'9').contains(&b[3])
}

/// The cellphone a user is stored under: the digits as given (user creation stays lenient:
/// nothing that was accepted before is refused), without a country code the caller repeated
/// (`+{cc}…`, or `1…` with 11 digits for `cc = 1`) when what remains still has 6 digits or more.
pub fn user_cellphone(cc: &str, raw: &str, digits: String) -> String {
    let international = raw.trim_start().starts_with('+');
    let stripped = if international {
        digits.strip_prefix(cc)
    } else if cc == "1" && digits.len() == 11 {
        digits.strip_prefix('1')
    } else {
        None
    };
    match stripped {
        Some(rest) if rest.len() >= 6 => rest.to_string(),
        _ => digits,
    }
}

/// `+1 775-461-5609` for 10-digit numbers (grouped 3-3-4, whatever the country, as before:
/// only North American answers are on record), `+{cc} {digits}` otherwise.
pub fn pretty(cc: &str, national: &str) -> String {
    if national.len() == 10 {
        format!(
            "+{cc} {}-{}-{}",
            &national[..3],
            &national[3..6],
            &national[6..]
        )
    } else {
        format!("+{cc} {national}")
    }
}

/// Deterministic line type (`cellphone`, `landline`, `voip`), carrier and ported flag of a
/// number (calling code and national number, digits only). Authy `phones/info` and Lookup v2
/// both answer from it, so the two APIs agree about one number. The provider is always a
/// string, as in every real answer on record (authy-client 1.1.4 asserts it), and the type one
/// of the documented values (`unknown` is never generated: no source shows what it came with).
pub fn line_info(cc: &str, national: &str) -> (&'static str, &'static str, bool) {
    let h = number_hash(cc, national);
    let ported = (h >> 20).is_multiple_of(5);
    let (kind, providers): (&str, &[&str]) = match h % 10 {
        0..=5 => (
            "cellphone",
            &[
                "Verizon Wireless",
                "AT&T Wireless",
                "T-Mobile USA, Inc.",
                "Sprint Spectrum, L.P.",
            ],
        ),
        6 | 7 => ("landline", &["Level 3 Communications, LLC", "CenturyLink"]),
        _ => ("voip", &["Pinger", "Bandwidth.com"]),
    };
    let provider = providers[(h >> 8) as usize % providers.len()];
    (kind, provider, ported)
}

/// FNV-1a of `cc|national`: the seed of every per-number fact.
pub fn number_hash(cc: &str, national: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in cc.bytes().chain([b'|']).chain(national.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Why an international number is not valid (Lookup v2 `validation_errors`, verify-v2.md §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Characters other than digits and separators.
    NotANumber,
    /// No known calling code (`INVALID_COUNTRY_CODE`).
    UnknownCountryCode,
    /// Too few digits for the country.
    TooShort,
    /// Too many digits for the country.
    TooLong,
    /// `INVALID_BUT_POSSIBLE`: the right length but not a valid number (a North American area or exchange code
    /// starting with 0 or 1).
    ButPossible,
}

impl NumberError {
    /// The Lookup v2 spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            NumberError::NotANumber => "NOT_A_NUMBER",
            NumberError::UnknownCountryCode => "INVALID_COUNTRY_CODE",
            NumberError::TooShort => "TOO_SHORT",
            NumberError::TooLong => "TOO_LONG",
            NumberError::ButPossible => "INVALID_BUT_POSSIBLE",
        }
    }
}

/// Calling codes the sandbox knows: ISO country (North America is split by area code in
/// [`iso_country`]) and the shortest and longest national significant number (ITU-T E.164
/// national numbering plans as libphonenumber summarises them; e.g. France 9 digits, so
/// `+33` + 13 digits is `TOO_LONG` although it fits E.164's 15).
const COUNTRIES: &[(&str, &str, usize, usize)] = &[
    ("1", "US", 10, 10),
    ("7", "RU", 10, 10),
    ("20", "EG", 8, 10),
    ("27", "ZA", 9, 9),
    ("30", "GR", 10, 10),
    ("31", "NL", 9, 9),
    ("32", "BE", 8, 9),
    ("33", "FR", 9, 9),
    ("34", "ES", 9, 9),
    ("36", "HU", 8, 9),
    ("39", "IT", 6, 11),
    ("40", "RO", 9, 9),
    ("41", "CH", 9, 9),
    ("43", "AT", 7, 13),
    ("44", "GB", 9, 10),
    ("45", "DK", 8, 8),
    ("46", "SE", 7, 10),
    ("47", "NO", 8, 8),
    ("48", "PL", 9, 9),
    ("49", "DE", 6, 13),
    ("51", "PE", 8, 9),
    ("52", "MX", 10, 10),
    ("54", "AR", 10, 11),
    ("55", "BR", 10, 11),
    ("56", "CL", 9, 9),
    ("57", "CO", 10, 10),
    ("58", "VE", 10, 10),
    ("60", "MY", 8, 10),
    ("61", "AU", 9, 9),
    ("62", "ID", 8, 12),
    ("63", "PH", 8, 10),
    ("64", "NZ", 8, 10),
    ("65", "SG", 8, 8),
    ("66", "TH", 8, 9),
    ("81", "JP", 9, 10),
    ("82", "KR", 8, 10),
    ("84", "VN", 9, 10),
    ("86", "CN", 9, 11),
    ("90", "TR", 10, 10),
    ("91", "IN", 10, 10),
    ("92", "PK", 9, 10),
    ("212", "MA", 9, 9),
    ("234", "NG", 8, 10),
    ("254", "KE", 9, 9),
    ("351", "PT", 9, 9),
    ("353", "IE", 7, 9),
    ("358", "FI", 6, 12),
    ("380", "UA", 9, 9),
    ("420", "CZ", 9, 9),
    ("852", "HK", 8, 8),
    ("886", "TW", 8, 9),
    ("966", "SA", 9, 9),
    ("971", "AE", 8, 9),
    ("972", "IL", 8, 9),
];

/// Canadian area codes (the rest of `+1` is answered as `US`).
const CANADA: &[&str] = &[
    "204", "226", "236", "249", "250", "289", "306", "343", "365", "403", "416", "418", "431",
    "437", "438", "450", "506", "514", "519", "548", "579", "581", "587", "604", "613", "639",
    "647", "705", "709", "778", "780", "782", "807", "819", "825", "867", "873", "902", "905",
];

/// The calling code of an ISO country the sandbox knows (`US` → `1`).
pub fn calling_code(iso: &str) -> Option<&'static str> {
    if iso.eq_ignore_ascii_case("CA") {
        return Some("1");
    }
    COUNTRIES
        .iter()
        .find(|(_, c, ..)| c.eq_ignore_ascii_case(iso))
        .map(|(cc, ..)| *cc)
}

/// The ISO country of a valid number.
pub fn iso_country(cc: &str, national: &str) -> &'static str {
    if cc == "1" && national.len() >= 3 && CANADA.contains(&&national[..3]) {
        return "CA";
    }
    COUNTRIES
        .iter()
        .find(|(c, ..)| *c == cc)
        .map_or("US", |(_, iso, ..)| *iso)
}

/// Splits an international number (`+` then digits; spaces, `-`, `.`, `(`, `)` allowed) into
/// its calling code and national number, checking the length for the country ([`COUNTRIES`])
/// and the NANP rules for `+1`.
pub fn split_international(raw: &str) -> Result<(&'static str, String), NumberError> {
    let t = raw.trim();
    let rest = t.strip_prefix('+').unwrap_or(t);
    let mut digits = String::with_capacity(rest.len());
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(NumberError::NotANumber),
        }
    }
    if digits.is_empty() {
        return Err(NumberError::NotANumber);
    }
    let (cc, _, min, max) = (1..=3)
        .filter_map(|n| digits.get(..n))
        .find_map(|p| COUNTRIES.iter().find(|(c, ..)| *c == p))
        .copied()
        .ok_or(NumberError::UnknownCountryCode)?;
    let national = digits[cc.len()..].to_string();
    if national.len() < min {
        return Err(NumberError::TooShort);
    }
    if national.len() > max {
        return Err(NumberError::TooLong);
    }
    if cc == "1" && !valid_nanp(&national) {
        return Err(NumberError::ButPossible);
    }
    Ok((cc, national))
}

/// The national format: `(415) 992-9960` for North America, the digits otherwise.
pub fn national_format(cc: &str, national: &str) -> String {
    if cc == "1" && national.len() == 10 {
        format!(
            "({}) {}-{}",
            &national[..3],
            &national[3..6],
            &national[6..]
        )
    } else {
        national.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_country_codes_are_stripped() {
        for raw in [
            "775-461-5609",
            "+1 775-461-5609",
            "+1 (775) 461-5609",
            "1-775-461-5609",
            "17754615609",
            " +17754615609 ",
            "775.461.5609",
        ] {
            assert_eq!(
                national_number("1", raw, Check::Nanp).as_deref(),
                Some("7754615609"),
                "{raw}"
            );
        }
        assert_eq!(
            national_number("44", "+44 7700 900123", Check::Nanp).as_deref(),
            Some("7700900123")
        );
        assert_eq!(
            national_number("351", "912345678", Check::Nanp).as_deref(),
            Some("912345678")
        );
        // A different country code after `+` is not this country's number.
        assert_eq!(
            national_number("1", "+44 7700 900123", Check::Lenient),
            None
        );
        assert_eq!(pretty("1", "7754615609"), "+1 775-461-5609");
        assert_eq!(pretty("351", "912345678"), "+351 912345678");
    }

    #[test]
    fn nanp_rules() {
        for bad in [
            "111-111-1112",
            "011-555-1234",
            "201-055-1234",
            "201-155-1234",
            "775-461-560",
            "775-461-56090",
            "1-111-555-1234",
            "12",
            "775-461-5609x",
            "775+461-5609",
            "",
        ] {
            assert_eq!(national_number("1", bad, Check::Nanp), None, "{bad}");
        }
        assert_eq!(
            national_number("1", "111-111-1111", Check::Lenient).as_deref(),
            Some("1111111111")
        );
        // The old public sandbox's test number is the one exception (authy-php's tests).
        for raw in [
            "111-111-1111",
            "+1 111-111-1111",
            "(111) 111-1111",
            "1-111-111-1111",
        ] {
            assert_eq!(
                national_number("1", raw, Check::Nanp).as_deref(),
                Some(OLD_SANDBOX_NUMBER),
                "{raw}"
            );
        }
        assert!(valid_nanp("2015550123"));
        assert!(!valid_nanp("5551234567"), "exchange 123 starts with 1");
    }

    #[test]
    fn international_numbers_split_and_fail_as_lookup_says() {
        assert_eq!(
            split_international("+14159929960"),
            Ok(("1", "4159929960".to_string()))
        );
        assert_eq!(
            split_international("+44 7700 900123"),
            Ok(("44", "7700900123".to_string()))
        );
        assert_eq!(
            split_international("+351912345678"),
            Ok(("351", "912345678".to_string()))
        );
        assert_eq!(
            split_international("+141599299600"),
            Err(NumberError::TooLong)
        );
        assert_eq!(
            split_international("+1415992996"),
            Err(NumberError::TooShort)
        );
        assert_eq!(
            split_international("+11115550123"),
            Err(NumberError::ButPossible)
        );
        assert_eq!(
            split_international("+999123456"),
            Err(NumberError::UnknownCountryCode)
        );
        assert_eq!(
            split_international("+1415x929960"),
            Err(NumberError::NotANumber)
        );
        assert_eq!(split_international("+"), Err(NumberError::NotANumber));
        assert_eq!(iso_country("1", "4165550123"), "CA");
        assert_eq!(iso_country("1", "4159929960"), "US");
        assert_eq!(national_format("1", "4159929960"), "(415) 992-9960");
        assert_eq!(calling_code("gb"), Some("44"));
        // Both APIs see the same line for one number.
        assert_eq!(
            line_info("1", "4159929960"),
            line_info("1", &split_international("+1 415 992 9960").unwrap().1)
        );
    }

    #[test]
    fn user_cellphones_stay_lenient() {
        assert_eq!(
            user_cellphone("1", "+1 775-461-5609", "17754615609".into()),
            "7754615609"
        );
        assert_eq!(
            user_cellphone("1", "1-775-461-5609", "17754615609".into()),
            "7754615609"
        );
        assert_eq!(
            user_cellphone("1", "111-111-1111", "1111111111".into()),
            "1111111111"
        );
        assert_eq!(
            user_cellphone("57", "3005550112", "3005550112".into()),
            "3005550112"
        );
        assert_eq!(
            user_cellphone("44", "+1 234567", "1234567".into()),
            "1234567"
        );
    }
}
