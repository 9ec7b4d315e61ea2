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
