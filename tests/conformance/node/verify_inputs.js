'use strict';
// Seeded inputs for the Verify v2 / Lookup v2 suite (twilio-node): the Node twin of
// python/verify_inputs.py, on sweep_inputs.js' seed (CONFORMANCE_SEED) and countries. E.164
// numbers, e-mail addresses, invalid `To` values, Verify locales, identities, friendly names with
// punctuation and non-ASCII, TOTP configurations and secrets, push challenge details.

const gen = require('./sweep_inputs');

const { SEED } = gen;
const LOCALES = ['af', 'ar', 'ca', 'zh', 'zh-CN', 'zh-HK', 'hr', 'cs', 'da', 'nl', 'en', 'en-GB', 'et',
  'fi', 'fr', 'de', 'el', 'he', 'hi', 'hu', 'id', 'it', 'ja', 'kn', 'ko', 'lt', 'ms', 'mr', 'nb', 'pl',
  'pt-BR', 'pt', 'ro', 'ru', 'es', 'sv', 'tl', 'te', 'th', 'tr', 'vi'];
const PHONE_CHANNELS = ['sms', 'call', 'whatsapp'];
const ALGS = ['sha1', 'sha256', 'sha512'];
const PUNCT = ["'", '’', '&', '=', '%', '+', '/', '?', '#', '(', ')', ',', '.', '!', '@', ':', ';', '"'];
const UNICODE = ['São', 'Zürich', '東京', 'Ærøskøbing', 'Łódź', 'Ελλάδα', 'İstanbul', 'दिल्ली', '🔐', 'ß'];

const stream = (label) => gen.rng(`verify:${label}`);

function number(r) {
  const [iso, cc, make] = r.pick(gen.COUNTRIES);
  const national = make(r);
  return { iso, cc, national, e164: `+${cc}${national}` };
}

// `n` distinct numbers, every country at least once when n >= 12.
function numbers(r, n) {
  const out = [];
  const seen = new Set();
  for (let i = 0; out.length < n && i < 10 * n; i += 1) {
    let num;
    if (i < gen.COUNTRIES.length && n >= gen.COUNTRIES.length) {
      const [iso, cc, make] = gen.COUNTRIES[i];
      const national = make(r);
      num = { iso, cc, national, e164: `+${cc}${national}` };
    } else {
      num = number(r);
    }
    if (!seen.has(num.e164)) {
      seen.add(num.e164);
      out.push(num);
    }
  }
  return out;
}

function email(r) {
  const local = r.pick([gen.word(r), `${gen.word(r)}.${gen.word(r)}`, `${gen.word(r)}+${gen.word(r, 1, 5)}`,
    `${gen.word(r)}_${r.int(1, 999)}`]);
  return `${local}@${gen.word(r, 3, 9)}.${r.pick(['com', 'org', 'example', 'io'])}`;
}

// [kind, value]: a `To` that is neither E.164 nor an e-mail address (400 60200).
function invalidTo(r) {
  const n = number(r);
  const kinds = {
    'no-plus': n.cc + n.national,
    'plus-zero': `+0${n.national}`,
    'too-long': `+${n.cc}${n.national}${'1234567890'.slice(0, 16 - (n.cc + n.national).length)}`,
    letters: `+${n.cc}${n.national.slice(0, -3)}ABC`,
    'plus-only': '+',
    words: gen.word(r),
  };
  const kind = r.pick(Object.keys(kinds).sort());
  return [kind, kinds[kind]];
}

// 8-64 characters, dash-separated alphanumeric runs (verify-v2.md §2.4).
function identity(r) {
  const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const run = (lo, hi) => Array.from({ length: r.int(lo, hi) }, () => r.pick(alnum)).join('');
  const shape = r.pick(['uuid', 'runs', 'plain']);
  if (shape === 'uuid') {
    const h = Array.from({ length: 32 }, () => r.pick('0123456789abcdef')).join('');
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join('-');
  }
  if (shape === 'runs') {
    const out = Array.from({ length: r.int(2, 6) }, () => run(1, 9)).join('-');
    return out.length >= 8 ? out : out + run(8 - out.length, 8 - out.length);
  }
  return run(8, 64);
}

function friendlyName(r, limit = 64) {
  const parts = Array.from({ length: r.int(1, 5) }, () => r.pick([
    gen.word(r), r.pick(PUNCT), r.pick(UNICODE), String(r.int(0, 99)),
    gen.word(r).replace(/^./, (c) => c.toUpperCase()) + r.pick(PUNCT)]));
  // cut on code points, never inside a surrogate pair (Python counts code points too)
  return Array.from(parts.join(' ')).slice(0, limit).join('').trim() || 'x';
}

// Letters, spaces, - and _, at most 4 digits, at most 30 characters (verify-v2.md §2.1).
function serviceName(r) {
  const words = Array.from({ length: r.int(1, 3) }, () => r.pick([
    gen.word(r, 2, 8).replace(/^./, (c) => c.toUpperCase()), gen.word(r, 2, 6),
    r.pick(['Acme', 'Bank', 'Login', 'App'])]));
  let name = words.join(r.pick([' ', '-', '_']));
  if (r.random() < 0.5) name += ` ${r.int(1, 9999)}`;
  return name.slice(0, 30).trim();
}

const totpConfig = (r) => ({ alg: r.pick(ALGS), code_length: r.int(3, 8), time_step: r.int(20, 60), skew: r.int(0, 2) });

// Base32 (upper case, no padding) of 10-64 random bytes.
function secret(r) {
  const bytes = Array.from({ length: r.pick([10, 16, 20, 20, 32, 64]) }, () => r.int(0, 255));
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function details(r) {
  const message = friendlyName(r, 256);
  const fields = Array.from({ length: r.int(0, 4) }, () => ({ label: friendlyName(r, 36), value: friendlyName(r, 128) }));
  const hidden = {};
  for (let i = r.int(0, 3); i > 0; i -= 1) hidden[gen.word(r)] = friendlyName(r, 40);
  return { message, fields, hidden };
}

const BMP = Array.from(`aéß東京Łódź Ελλάδα-_.'&=+/?#%"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ`);
const ASCII = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 &=+/?#%.-_';
// Exactly `n` characters (code points = UTF-16 units; 1-3 UTF-8 bytes each).
const longText = (r, n, alphabet = BMP) => Array.from({ length: n }, () => r.pick(alphabet)).join('');

// Push details at their documented maxima (§2.6): message 256, 20 fields of 36/128 characters,
// hidden details of 990 characters of JSON (ASCII: the limit is on the JSON text sent).
function detailsAtLimits(r) {
  const fields = Array.from({ length: 20 }, () => ({ label: longText(r, 36), value: longText(r, 128) }));
  const hidden = {};
  for (let i = 0; i < 6; i += 1) hidden[`k${i}`] = longText(r, 155, ASCII);
  return { message: longText(r, 256), fields, hidden };
}

module.exports = {
  longText, detailsAtLimits,
  SEED, LOCALES, PHONE_CHANNELS, ALGS, stream, number, numbers, email, invalidTo, identity,
  friendlyName, serviceName, totpConfig, secret, details, word: gen.word,
};
