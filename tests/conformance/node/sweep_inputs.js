'use strict';
// Seeded, reproducible inputs for the conformance sweeps (the Node twin of
// python/sweep_inputs.py; same rules, its own random stream). Each generated phone number knows,
// by construction, what the real API made of it: the national number it stands for, or why it
// is invalid (authy-api.md §3.13/§3.14, sandbox/README.md "Phone numbers"). The seed comes from
// CONFORMANCE_SEED; failure messages name it.

const DEFAULT_SEED = 20261201;
const SEED = Number(process.env.CONFORMANCE_SEED || DEFAULT_SEED);

// mulberry32 over a string-derived seed (FNV-1a), so each test can have its own stream.
function rng(label) {
  let h = 0x811c9dc5;
  for (const ch of `${SEED}:${label}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let a = h;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    random: next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

const digits = (r, n) => Array.from({ length: n }, () => String(r.int(0, 9))).join('');

const US_AREAS = [201, 202, 203, 205, 206, 212, 213, 214, 215, 303, 305, 310, 312, 404, 408, 415,
  503, 512, 602, 617, 646, 702, 713, 718, 775, 801, 808, 901, 917, 970];
const CA_AREAS = [403, 416, 514, 604, 613, 647, 780, 902];
const nanp = (r, areas) => `${r.pick(areas)}${r.int(2, 9)}${digits(r, 2)}${digits(r, 4)}`;

// [ISO region, calling code, national-number generator] — mobile ranges libphonenumber accepts.
const COUNTRIES = [
  ['US', '1', (r) => nanp(r, US_AREAS)],
  ['CA', '1', (r) => nanp(r, CA_AREAS)],
  ['GB', '44', (r) => `74${r.pick('01234')}${digits(r, 7)}`],
  ['PT', '351', (r) => `9${r.pick('1236')}${digits(r, 7)}`],
  ['ES', '34', (r) => `6${digits(r, 8)}`],
  ['FR', '33', (r) => `6${digits(r, 8)}`],
  ['DE', '49', (r) => `151${digits(r, 8)}`],
  ['BR', '55', (r) => `119${r.pick('6789')}${digits(r, 7)}`],
  ['IN', '91', (r) => `98${digits(r, 8)}`],
  ['CO', '57', (r) => `30${r.pick('012')}${digits(r, 7)}`],
  ['AU', '61', (r) => `4${r.pick('01')}${digits(r, 7)}`],
  ['JP', '81', (r) => `90${digits(r, 8)}`],
];

function groups(national) {
  if (national.length === 10) return [national.slice(0, 3), national.slice(3, 6), national.slice(6)];
  const parts = national.match(/.{1,3}/g);
  if (parts.length > 1 && parts[parts.length - 1].length < 3) {
    const last = parts.pop();
    parts[parts.length - 1] += last;
  }
  return parts;
}

function present(r, cc, national) {
  const g = groups(national);
  const styles = [national, g.join('-'), g.join(' '), g.join('.'), `+${cc} ${g.join(' ')}`,
    `+${cc}${national}`, `+${cc} ${g.join('-')}`];
  if (g.length === 3) styles.push(`(${g[0]}) ${g[1]}-${g[2]}`);
  if (cc === '1') styles.push(`1-${g.join('-')}`, `1${national}`, `1 (${g[0]}) ${g[1]}-${g[2]}`);
  return r.pick(styles);
}

function pretty(cc, national) {
  if (national.length === 10) {
    return `+${cc} ${national.slice(0, 3)}-${national.slice(3, 6)}-${national.slice(6)}`;
  }
  return `+${cc} ${national}`;
}

function validPhone(r) {
  const [iso, cc, gen] = r.pick(COUNTRIES);
  const national = gen(r);
  return { iso, cc, raw: present(r, cc, national), national, invalid: null, nanpOnly: false };
}

function invalidPhone(r) {
  const kind = r.pick(['area', 'exchange', 'short-nanp', 'long-nanp', 'letters', 'other-cc', 'too-short']);
  const n = nanp(r, US_AREAS);
  const us = (raw, nanpOnly) => ({ iso: 'US', cc: '1', raw, national: null, invalid: kind, nanpOnly });
  switch (kind) {
    case 'area': return us(groups(r.pick('01') + n.slice(1)).join('-'), true);
    case 'exchange': return us(groups(n.slice(0, 3) + r.pick('01') + n.slice(4)).join(' '), true);
    case 'short-nanp': return us(n.slice(0, 9), true);
    case 'long-nanp': return us(r.pick('23456789') + n, true);
    case 'letters': return us(`${n.slice(0, 6)}CALL`, false);
    case 'other-cc': {
      const [, cc, gen] = r.pick(COUNTRIES.filter((c) => c[1] !== '1'));
      return us(`+${cc} ${gen(r)}`, false);
    }
    default: {
      const [iso, cc] = r.pick(COUNTRIES.slice(2));
      return { iso, cc, raw: digits(r, 4), national: null, invalid: kind, nanpOnly: false };
    }
  }
}

// `n` cases, about `invalidShare` of them invalid, no national number twice.
function phones(r, n, invalidShare = 0.25) {
  const seen = new Set();
  const out = [];
  while (out.length < n) {
    const c = r.random() < invalidShare ? invalidPhone(r) : validPhone(r);
    const key = `${c.cc}|${c.national || c.raw}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(c);
    }
  }
  return out;
}

const word = (r, lo = 3, hi = 12) =>
  Array.from({ length: r.int(lo, hi) }, () => String.fromCharCode(97 + r.int(0, 25))).join('');

const show = (c) => `${c.iso} +${c.cc} ${JSON.stringify(c.raw)} (${c.invalid || c.national})`;

module.exports = { SEED, rng, COUNTRIES, phones, validPhone, present, pretty, word, digits, show };
