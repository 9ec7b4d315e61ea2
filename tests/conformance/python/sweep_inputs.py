"""Seeded, reproducible inputs for the conformance sweeps (phone numbers, ids, options).

Every generated phone number knows, by construction, what the real API made of it (authy-api.md
§3.13/§3.14, sandbox/README.md "Phone numbers"): the national number it stands for, or why it is
invalid. The seed comes from CONFORMANCE_SEED (default below); a failure message always names the
seed and the case, so `CONFORMANCE_SEED=<n> tests/conformance/run.sh python-sweep` replays it.
"""

import os
import random
import string

DEFAULT_SEED = 20261201
SEED = int(os.environ.get("CONFORMANCE_SEED") or DEFAULT_SEED)

# Assigned US / Canadian area codes (NANP, first digit 2-9).
US_AREAS = [201, 202, 203, 205, 206, 212, 213, 214, 215, 303, 305, 310, 312, 404, 408, 415,
            503, 512, 602, 617, 646, 702, 713, 718, 775, 801, 808, 901, 917, 970]
CA_AREAS = [403, 416, 514, 604, 613, 647, 780, 902]


def _digits(rng, n):
    return "".join(rng.choice(string.digits) for _ in range(n))


def _nanp(rng, areas):
    return "{0}{1}{2}{3}".format(rng.choice(areas), rng.randint(2, 9), _digits(rng, 2),
                                 _digits(rng, 4))


# (ISO region, calling code, national-number generator). Mobile ranges that libphonenumber
# (authy-client's validator) accepts; the sandbox itself only checks NANP rules.
COUNTRIES = [
    ("US", "1", lambda r: _nanp(r, US_AREAS)),
    ("CA", "1", lambda r: _nanp(r, CA_AREAS)),
    ("GB", "44", lambda r: "74" + r.choice("01234") + _digits(r, 7)),
    ("PT", "351", lambda r: "9" + r.choice("1236") + _digits(r, 7)),
    ("ES", "34", lambda r: "6" + _digits(r, 8)),
    ("FR", "33", lambda r: "6" + _digits(r, 8)),
    ("DE", "49", lambda r: "151" + _digits(r, 8)),
    ("BR", "55", lambda r: "119" + r.choice("6789") + _digits(r, 7)),
    ("IN", "91", lambda r: "98" + _digits(r, 8)),
    ("CO", "57", lambda r: "30" + r.choice("012") + _digits(r, 7)),
    ("AU", "61", lambda r: "4" + r.choice("01") + _digits(r, 7)),
    ("JP", "81", lambda r: "90" + _digits(r, 8)),
]

# Verify v1 locales (authy-api.md §3.13).
LOCALES = ["af", "ar", "ca", "zh", "zh-CN", "zh-HK", "hr", "cs", "da", "nl", "en", "fi", "fr",
           "de", "el", "he", "hi", "hu", "id", "it", "ja", "ko", "ms", "nb", "pl", "pt-BR", "pt",
           "ro", "ru", "es", "sv", "tl", "th", "tr", "vi"]


def groups(national):
    """3-3-4 for 10 digits, else chunks of 3 with the rest in the last one."""
    if len(national) == 10:
        return [national[:3], national[3:6], national[6:]]
    parts = [national[i:i + 3] for i in range(0, len(national), 3)]
    if len(parts) > 1 and len(parts[-1]) < 3:
        last = parts.pop()
        parts[-1] += last
    assert "".join(parts) == national
    return parts


def present(rng, cc, national):
    """One way a caller writes the number; the API reads them all as `national`."""
    g = groups(national)
    styles = [
        national,
        "-".join(g),
        " ".join(g),
        ".".join(g),
        "+{0} {1}".format(cc, " ".join(g)),
        "+{0}{1}".format(cc, national),
        "+{0} {1}".format(cc, "-".join(g)),
    ]
    if len(g) == 3:
        styles.append("({0}) {1}-{2}".format(*g))
    if cc == "1":
        styles += ["1-" + "-".join(g), "1" + national, "1 ({0}) {1}-{2}".format(*g)]
    return rng.choice(styles)


def pretty(cc, national):
    """How the API echoes a number: `+1 775-461-5609` (10 digits grouped 3-3-4)."""
    if len(national) == 10:
        return "+{0} {1}-{2}-{3}".format(cc, national[:3], national[3:6], national[6:])
    return "+{0} {1}".format(cc, national)


class PhoneCase:
    """A generated number: `raw` as sent, `national` when valid, `invalid` = why not."""

    def __init__(self, iso, cc, raw, national=None, invalid=None, nanp_only=False):
        self.iso, self.cc, self.raw = iso, cc, raw
        self.national, self.invalid = national, invalid
        # Invalid only under the NANP rule (phone info and user creation still read it).
        self.nanp_only = nanp_only

    def __repr__(self):
        return "PhoneCase({0} +{1} {2!r}: {3})".format(
            self.iso, self.cc, self.raw, self.invalid or self.national)


def valid_phone(rng):
    iso, cc, gen = rng.choice(COUNTRIES)
    national = gen(rng)
    return PhoneCase(iso, cc, present(rng, cc, national), national=national)


def invalid_phone(rng):
    """A number the API refused with 60033 "Phone number is invalid" (phone verification)."""
    kind = rng.choice(["area", "exchange", "short-nanp", "long-nanp", "letters", "other-cc",
                       "too-short"])
    nanp = _nanp(rng, US_AREAS)
    if kind == "area":
        n = rng.choice("01") + nanp[1:]
        return PhoneCase("US", "1", "-".join(groups(n)), invalid=kind, nanp_only=True)
    if kind == "exchange":
        n = nanp[:3] + rng.choice("01") + nanp[4:]
        return PhoneCase("US", "1", " ".join(groups(n)), invalid=kind, nanp_only=True)
    if kind == "short-nanp":
        return PhoneCase("US", "1", nanp[:9], invalid=kind, nanp_only=True)
    if kind == "long-nanp":
        return PhoneCase("US", "1", rng.choice("23456789") + nanp, invalid=kind, nanp_only=True)
    if kind == "letters":
        return PhoneCase("US", "1", nanp[:6] + "CALL", invalid=kind)
    if kind == "other-cc":
        iso, cc, gen = rng.choice([c for c in COUNTRIES if c[1] != "1"])
        return PhoneCase("US", "1", "+{0} {1}".format(cc, gen(rng)), invalid=kind)
    iso, cc, _ = rng.choice(COUNTRIES[2:])
    return PhoneCase(iso, cc, _digits(rng, 4), invalid=kind)


def phones(rng, n, invalid_share=0.25):
    """`n` cases, about `invalid_share` of them invalid, no national number twice."""
    seen, out = set(), []
    while len(out) < n:
        case = invalid_phone(rng) if rng.random() < invalid_share else valid_phone(rng)
        key = (case.cc, case.national or case.raw)
        if key not in seen:
            seen.add(key)
            out.append(case)
    return out


def word(rng, lo=3, hi=12):
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(lo, hi)))


def text(rng):
    """Free text with spaces, form metacharacters and non-ASCII."""
    pieces = [word(rng), "&", "=", "%", "+", "/", "?", "São", "Zürich", "東京", "O'Neil", "a b"]
    return " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))


def unknown_id(rng):
    return rng.randint(10 ** 6, 10 ** 12)
