'use strict';
// Helpers for the Verify v2 / Lookup v2 conformance suite (twilio-node 6.2.0, unmodified). They
// play only the other parties: the handset (the delivered code, via the control API), the
// authenticator app (RFC 6238, computed here from the returned binding secret), the Verify Push
// device (a P-256 key made here: DER signature over the factor SID, ES256 JWT answer; verify-v2.md
// §4.4) and the customer's webhook receiver (support.CallbackReceiver). Everything else goes
// through twilio-node, pointed at the sandbox as verify-v2.md §5.3 shows (`baseUrl` of the verify
// and lookups domains, TWILIO_REGION / TWILIO_EDGE unset).

delete process.env.TWILIO_REGION; // they rewrite the host: 127.0.0.1 -> 127.ie1.0.1
delete process.env.TWILIO_EDGE;

const crypto = require('node:crypto');
const twilio = require('twilio');
const sb = require('./support');

const ACCOUNT_SID = process.env.TWILIO_ACCOUNT_SID;
const AUTH_TOKEN = process.env.TWILIO_AUTH_TOKEN;
const API_KEY_SID = process.env.TWILIO_API_KEY_SID;
const API_KEY_SECRET = process.env.TWILIO_API_KEY_SECRET;

function client(username = ACCOUNT_SID, password = AUTH_TOKEN, opts = {}) {
  const c = twilio(username, password, opts);
  c.verify.baseUrl = sb.BASE_URL;
  c.lookups.baseUrl = sb.BASE_URL;
  return c;
}

// ---- the sandbox clock and the handset ------------------------------------------------------------

const advanceClock = async (seconds) => {
  const r = await sb.control('POST', '/sandbox/clock/advance', { seconds });
  if (r.status !== 200) throw new Error(`clock advance -> ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.now;
};
const sandboxNow = () => advanceClock(0);

// 1 s into a fresh TOTP step of the sandbox clock (so a code computed now is still current).
async function startOfStep(step) {
  const now = await sandboxNow();
  return advanceClock(step - (now % step) + 1);
}

async function deliveredCode(serviceSid, to) {
  const r = await sb.control('GET', '/sandbox/verify/code', { ServiceSid: serviceSid, To: to });
  if (r.status !== 200) throw new Error(`delivered code of ${to} -> ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.code;
}

// ---- RFC 6238, our own -----------------------------------------------------------------------------

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.replace(/=+$/, '').toUpperCase()) {
    const idx = alphabet.indexOf(ch);
    if (idx < 0) throw new Error(`not Base32: ${s}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function totp(secret, unixTime, step = 30, digits = 6, alg = 'sha1') {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixTime / step)));
  const mac = crypto.createHmac(alg, base32Decode(secret)).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const value = mac.readUInt32BE(off) & 0x7fffffff;
  return String(value % 10 ** digits).padStart(digits, '0');
}

// A well-formed code that no step inside the factor's skew window produces.
function outsideCode(secret, now, { time_step: step, code_length: digits, alg, skew }) {
  const window = new Set();
  for (let d = -skew; d <= skew; d += 1) window.add(totp(secret, now + d * step, step, digits, alg));
  let candidate = Number(totp(secret, now, step, digits, alg));
  while (window.has(String(candidate).padStart(digits, '0'))) candidate = (candidate + 1) % 10 ** digits;
  return String(candidate).padStart(digits, '0');
}

// ---- the Verify Push device --------------------------------------------------------------------------

const b64url = (buf) => Buffer.from(buf).toString('base64url');

class Device {
  constructor() {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    // Binding.PublicKey: padded Base64 of the DER SubjectPublicKeyInfo
    this.publicKey = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  }

  // Factor verify AuthPayload: Base64 of the DER ECDSA-SHA256 signature over the factor SID.
  signFactor(factorSid) {
    return crypto.sign('sha256', Buffer.from(factorSid), this.privateKey).toString('base64');
  }

  // A compact ES256 JWS (raw R||S signature).
  jwt(claims, header = { typ: 'JWT', alg: 'ES256' }) {
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const sig = crypto.sign('sha256', Buffer.from(input), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${b64url(sig)}`;
  }
}

// The Verify Push SDK's own credentials (verify-v2.md §4.4.2): Basic user `token`, password a JWT
// signed with the factor key (kid = config.credential_sid, sub = the Account SID, nbf/exp on the
// sandbox clock). twilio-node takes them like any username/password (accountSid as an option).
function deviceClient(device, credentialSid, now) {
  const jwt = device.jwt({ sub: ACCOUNT_SID, exp: now + 600, nbf: now },
    { cty: 'twilio-pba;v=1', kid: credentialSid, typ: 'JWT', alg: 'ES256' });
  return client('token', jwt, { accountSid: ACCOUNT_SID });
}

const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
// A field of a twilio-node instance as it was in the JSON (node parses dates into Date).
const wireValue = (v) => (v instanceof Date ? v.toISOString().replace(/\.\d{3}Z$/, 'Z') : v);

// The device's answer to a push challenge (verify-v2.md §4.4.4): every field named in
// Twilio-Verify-Signature-Fields copied from the fetched challenge, then `status`.
function challengeAnswer(device, fetched, signatureFields, status) {
  const claims = {};
  for (const name of signatureFields.split(',').map((f) => f.trim()).filter(Boolean)) {
    claims[name] = wireValue(fetched[camel(name)]);
  }
  claims.status = status;
  return device.jwt(claims);
}

const header = (headers, name) => {
  const key = Object.keys(headers || {}).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
};

module.exports = {
  twilio, ACCOUNT_SID, AUTH_TOKEN, API_KEY_SID, API_KEY_SECRET, BASE_URL: sb.BASE_URL, client,
  advanceClock, sandboxNow, startOfStep, deliveredCode, base32Decode, totp, outsideCode, Device,
  challengeAnswer, wireValue, header, deviceClient,
};
