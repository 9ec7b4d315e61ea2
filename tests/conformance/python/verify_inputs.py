"""Seeded inputs for the Verify v2 / Lookup v2 conformance suite (twilio-python).

Builds on sweep_inputs.py (same seed, CONFORMANCE_SEED; the same 12 countries): E.164 numbers,
e-mail addresses, invalid `To` values, Verify locales, entity identities, friendly names with
punctuation and non-ASCII, TOTP configurations and secrets, push challenge details. Every test
draws from its own stream (`stream(test name)`), and failures name the seed and the input.
"""

import base64
import random
import string

import sweep_inputs as gen

SEED = gen.SEED
word = gen.word

# Verify's documented locales (twilio.com/docs/verify/supported-languages).
LOCALES = ["af", "ar", "ca", "zh", "zh-CN", "zh-HK", "hr", "cs", "da", "nl", "en", "en-GB", "et",
           "fi", "fr", "de", "el", "he", "hi", "hu", "id", "it", "ja", "kn", "ko", "lt", "ms",
           "mr", "nb", "pl", "pt-BR", "pt", "ro", "ru", "es", "sv", "tl", "te", "th", "tr", "vi"]
PHONE_CHANNELS = ["sms", "call", "whatsapp"]
ALGS = ["sha1", "sha256", "sha512"]


def stream(label):
    return random.Random("{0}:verify:{1}".format(SEED, label))


class Number:
    """A valid mobile number of one of sweep_inputs' countries, in E.164."""

    def __init__(self, iso, cc, national):
        self.iso, self.cc, self.national = iso, cc, national
        self.e164 = "+{0}{1}".format(cc, national)

    def __repr__(self):
        return "Number({0} {1})".format(self.iso, self.e164)


def number(rng):
    iso, cc, make = rng.choice(gen.COUNTRIES)
    return Number(iso, cc, make(rng))


def numbers(rng, n):
    """`n` distinct numbers, every country at least once when n >= 12."""
    out, seen = [], set()
    for i in range(10 * n):
        if len(out) == n:
            break
        if i < len(gen.COUNTRIES) and n >= len(gen.COUNTRIES):
            iso, cc, make = gen.COUNTRIES[i]
            num = Number(iso, cc, make(rng))
        else:
            num = number(rng)
        if num.e164 not in seen:
            seen.add(num.e164)
            out.append(num)
    return out


def email(rng):
    local = rng.choice([gen.word(rng), gen.word(rng) + "." + gen.word(rng),
                        gen.word(rng) + "+" + gen.word(rng, 1, 5), gen.word(rng) + "_" + str(rng.randint(1, 999))])
    return "{0}@{1}.{2}".format(local, gen.word(rng, 3, 9), rng.choice(["com", "org", "example", "io"]))


def invalid_to(rng):
    """(kind, value): a `To` that is neither E.164 nor an e-mail address (400 60200)."""
    n = number(rng)
    kinds = {
        "no-plus": n.cc + n.national,
        "plus-zero": "+0" + n.national,
        "too-long": "+" + n.cc + n.national + "1234567890"[: 16 - len(n.cc + n.national)],
        "letters": "+" + n.cc + n.national[:-3] + "ABC",
        "plus-only": "+",
        "words": gen.word(rng),
    }
    kind = rng.choice(sorted(kinds))
    return kind, kinds[kind]


def identity(rng):
    """8-64 characters, dash-separated alphanumeric runs (verify-v2.md §2.4)."""
    alphabet = string.ascii_letters + string.digits
    shape = rng.choice(["uuid", "runs", "plain"])
    if shape == "uuid":
        hexd = "".join(rng.choice("0123456789abcdef") for _ in range(32))
        return "-".join([hexd[:8], hexd[8:12], hexd[12:16], hexd[16:20], hexd[20:]])
    if shape == "runs":
        runs = [("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))))
                for _ in range(rng.randint(2, 6))]
        out = "-".join(runs)
        return (out + "x" * 8)[:max(8, min(64, len(out)))] if len(out) < 8 else out[:64].rstrip("-")
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(8, 64)))


PUNCT = ["'", "’", "&", "=", "%", "+", "/", "?", "#", "(", ")", ",", ".", "!", "@", ":", ";", '"']
UNICODE = ["São", "Zürich", "東京", "Ærøskøbing", "Łódź", "Ελλάδα", "İstanbul", "दिल्ली", "🔐", "ß"]


def friendly_name(rng, limit=64):
    """Free text with punctuation, form metacharacters and non-ASCII, at most `limit` chars."""
    parts = []
    for _ in range(rng.randint(1, 5)):
        parts.append(rng.choice([gen.word(rng), rng.choice(PUNCT), rng.choice(UNICODE),
                                 str(rng.randint(0, 99)), gen.word(rng).capitalize() + rng.choice(PUNCT)]))
    return " ".join(parts)[:limit].strip() or "x"


def service_name(rng):
    """A Service FriendlyName the real API documents as fine: letters, spaces, - and _,
    at most 4 digits, at most 30 characters."""
    words = [rng.choice([gen.word(rng, 2, 8).capitalize(), gen.word(rng, 2, 6),
                         rng.choice(["Acme", "Bank", "Login", "App"])]) for _ in range(rng.randint(1, 3))]
    name = rng.choice([" ", "-", "_"]).join(words)
    if rng.random() < 0.5:
        name += " " + str(rng.randint(1, 9999))
    return name[:30].strip()


def totp_config(rng):
    return {"alg": rng.choice(ALGS), "code_length": rng.randint(3, 8),
            "time_step": rng.randint(20, 60), "skew": rng.randint(0, 2)}


def secret(rng):
    """A Base32 secret (upper case, no padding) of 10-64 random bytes."""
    raw = bytes(rng.randrange(256) for _ in range(rng.choice([10, 16, 20, 20, 32, 64])))
    return base64.b32encode(raw).decode().rstrip("=")


def details(rng):
    """Push challenge details: message (<= 256), fields (label <= 36, value <= 128), hidden."""
    message = friendly_name(rng, 256)
    fields = [{"label": friendly_name(rng, 36), "value": friendly_name(rng, 128)}
              for _ in range(rng.randint(0, 4))]
    hidden = {gen.word(rng): friendly_name(rng, 40) for _ in range(rng.randint(0, 3))}
    return message, fields, hidden


BMP = "aéß東京Łódź Ελλάδα-_.'&=+/?#%\"" + string.ascii_letters


def long_text(rng, n):
    """Exactly `n` characters (code points = UTF-16 units; 1-3 UTF-8 bytes each)."""
    return "".join(rng.choice(BMP) for _ in range(n))


def details_at_limits(rng):
    """Push details at their documented maxima (§2.6): message 256, 20 fields of label 36 and
    value 128 characters, hidden details near 1024 characters of JSON."""
    message = long_text(rng, 256)
    fields = [{"label": long_text(rng, 36), "value": long_text(rng, 128)} for _ in range(20)]
    # HiddenDetails is limited as the JSON text the library sends (py escapes non-ASCII as
    # \uXXXX): 6 ASCII values of 155 characters make 990 characters of json.dumps.
    ascii_text = string.ascii_letters + string.digits + " &=+/?#%.-_"
    hidden = {"k{0}".format(i): "".join(rng.choice(ascii_text) for _ in range(155)) for i in range(6)}
    return message, fields, hidden
