'use strict';
// Conformance sweep: npm `authy-client` 1.1.4 (strict response assertions) and `authy` 1.4.0,
// unmodified, over many GENERATED inputs (sweep_inputs.js): phone numbers of 12 countries written
// many ways, valid and invalid, ids and options (via, locale, code length, force, action). Each
// test collects every mismatch and fails once, naming the seed and the first cases.

const test = require('node:test');
const assert = require('node:assert/strict');
const sb = require('./support');
const gen = require('./sweep_inputs');
const { Client } = require('authy-client');
const authyFactory = require('authy');
const { PhoneNumberUtil } = require('google-libphonenumber');

const client = new Client({ key: sb.API_KEY }, { host: sb.BASE_URL, timeout: 5000 });
const authy = authyFactory(sb.API_KEY, sb.BASE_URL);
const phoneUtil = PhoneNumberUtil.getInstance();
const TYPES = ['voip', 'landline', 'cellphone', 'unknown'];
const INFO_MESSAGE = /^Phone number information as of \d+-\d+-\d+ \d+:\d+:\d+ UTC$/;
const SEEGNO_LOCALES = Object.values(require('authy-client/dist/src/enums/locale-enum'));

console.log(`sweep seed: ${gen.SEED} (CONFORMANCE_SEED reproduces it)`);

class Problems {
  constructor() { this.list = []; }
  expect(ok, c, what) { if (!ok) this.list.push(`${typeof c === 'string' ? c : gen.show(c)}: ${what}`); }
  finish(n) {
    assert.deepEqual(this.list, [], `seed ${gen.SEED}: ${this.list.length} of ${n} cases wrong, first ones:\n` +
      this.list.slice(0, 15).join('\n'));
  }
}

// What authy-client's own validator (libphonenumber) thinks of a number.
function clientAccepts(c) {
  try {
    return phoneUtil.isValidNumberForRegion(phoneUtil.parse(c.raw, c.iso), c.iso);
  } catch (e) {
    return false;
  }
}

// Resolves { res } or { err } (never throws).
const settle = (p) => p.then((res) => ({ res }), (err) => ({ err }));

// Runs a node-authy method (callback last) and resolves with { err, res }, bounded in time.
function call(fn, ...args) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('node-authy callback not called within 5 s')), 5000);
    fn(...args, (err, res) => { clearTimeout(t); resolve({ err, res }); });
  });
}

function startMessage(c, via, locale) {
  const shown = gen.pretty(c.cc, c.national);
  if (via === 'sms') return `Text message sent to ${shown}.`;
  if (locale && (locale === 'es' || locale.startsWith('es-'))) return `Llamada a ${shown} fue iniciada.`;
  return `Call to ${shown} initiated`;
}

test('authy-client: getPhoneInformation over 300 generated numbers (strict assertions)', async () => {
  const r = gen.rng('client-info');
  const p = new Problems();
  const types = new Set();
  let sent = 0;
  const cases = gen.phones(r, 300, 0);
  for (const c of cases) {
    const countryCode = r.random() < 0.5 ? c.iso : c.cc;
    const { res, err } = await settle(client.getPhoneInformation({ countryCode, phone: c.raw }));
    if (!clientAccepts(c)) {
      // Refused before any request by the client's own libphonenumber check.
      p.expect(err && err.name === 'ValidationFailedError', c, `client-side refusal expected, got ${err || JSON.stringify(res)}`);
      continue;
    }
    sent += 1;
    if (err) {
      p.expect(false, c, `${err.name}: ${JSON.stringify(err.errors || err.body || err.message)}`);
      continue;
    }
    p.expect(TYPES.includes(res.type), c, `type ${res.type}`);
    p.expect(typeof res.provider === 'string' && res.provider.length > 0, c, `provider ${JSON.stringify(res.provider)}`);
    p.expect(INFO_MESSAGE.test(res.message), c, `message ${res.message}`);
    types.add(res.type);
  }
  assert.ok(sent >= 225, `only ${sent} of 300 generated numbers passed the client's own validation`);
  assert.ok(types.size >= 3, `types seen: ${[...types]}`);
  p.finish(cases.length);
});

test('authy-client: startPhoneVerification / verifyPhone over 60 numbers, random via and locale', async () => {
  const r = gen.rng('client-verification');
  const p = new Problems();
  const cases = gen.phones(r, 60, 0).filter(clientAccepts);
  for (const c of cases) {
    const via = r.pick(['sms', 'call']);
    const locale = r.random() < 0.8 ? r.pick(SEEGNO_LOCALES) : undefined;
    const { res, err } = await settle(client.startPhoneVerification(
      { countryCode: c.iso, phone: c.raw, via }, locale ? { locale } : {}));
    if (err) {
      p.expect(false, c, `start ${via}/${locale}: ${err.name} ${JSON.stringify(err.errors || err.body || err.message)}`);
      continue;
    }
    const want = startMessage(c, via, locale);
    p.expect(res.message === want, c, `start ${via}/${locale}: want ${want}, got ${res.message}`);
    p.expect(typeof res.carrier === 'string', c, `carrier ${JSON.stringify(res.carrier)}`);
    const code = await sb.lastPhoneCode(c.cc, c.national);
    p.expect(/^\d{4}$/.test(code), c, `code ${code}`);
    const ok = await settle(client.verifyPhone({ countryCode: c.iso, phone: c.raw, token: code }));
    p.expect(ok.res && ok.res.message === 'Verification code is correct.', c,
      `verifyPhone: ${ok.err ? JSON.stringify(ok.err.body || ok.err.message) : JSON.stringify(ok.res)}`);
  }
  assert.ok(cases.length >= 40, `only ${cases.length} numbers passed the client's validation`);
  p.finish(cases.length);
});

test('authy-client: registerUser + requestSms / requestCall with random options', async () => {
  const r = gen.rng('client-users');
  const p = new Problems();
  const cases = gen.phones(r, 40, 0).filter(clientAccepts);
  for (const c of cases) {
    const reg = await settle(client.registerUser({ countryCode: c.iso, email: `${gen.word(r)}@example.com`, phone: c.raw }));
    if (reg.err) {
      p.expect(false, c, `registerUser: ${reg.err.name} ${JSON.stringify(reg.err.errors || reg.err.body)}`);
      continue;
    }
    const id = reg.res.user.id;
    const options = {};
    if (r.random() < 0.5) options.force = true;
    if (r.random() < 0.5) { options.action = gen.word(r); options.message = `${gen.word(r)} ${gen.word(r)}`; }
    const via = r.pick(['sms', 'call']);
    const sent = await settle(via === 'sms' ? client.requestSms({ authyId: id }, options) : client.requestCall({ authyId: id }, options));
    const want = via === 'sms' ? 'SMS token was sent' : 'Call started...';
    p.expect(sent.res && sent.res.message === want && sent.res.cellphone === `+${c.cc}-XXX-XXX-XX${c.national.slice(-2)}`,
      c, `${via} ${JSON.stringify(options)}: ${sent.err ? `${sent.err.name} ${JSON.stringify(sent.err.errors || sent.err.body)}` : JSON.stringify(sent.res)}`);
    const status = await settle(client.getUserStatus({ authyId: id }));
    p.expect(status.res && status.res.status.phone_number === `XXX-XXX-${c.national.slice(-4)}`, c,
      `status: ${JSON.stringify(status.res || status.err.body)}`);
  }
  assert.ok(cases.length >= 25, `only ${cases.length} numbers passed the client's validation`);
  p.finish(cases.length);
});

test('authy-client: unknown ids answer 404 60026', async () => {
  const r = gen.rng('client-ids');
  const p = new Problems();
  const ids = Array.from({ length: 20 }, () => r.int(1e6, 1e12));
  for (const id of ids) {
    for (const [name, send] of [['status', () => client.getUserStatus({ authyId: id })],
      ['sms', () => client.requestSms({ authyId: id }, { force: true })], ['call', () => client.requestCall({ authyId: id })]]) {
      const { err, res } = await settle(send());
      p.expect(err && err.name === 'HttpError' && err.code === 404 && err.body.error_code === '60026', `id ${id}`,
        `${name}: ${err ? `${err.name} ${err.code} ${JSON.stringify(err.body)}` : JSON.stringify(res)}`);
    }
  }
  p.finish(ids.length);
});

test('node-authy: phones().verification_start / status / check over 150 numbers, valid and invalid', async () => {
  const r = gen.rng('node-verification');
  const p = new Problems();
  const cases = gen.phones(r, 150, 0.3);
  for (const c of cases) {
    const via = r.pick(['sms', 'call']);
    const locale = r.random() < 0.7 ? r.pick(SEEGNO_LOCALES) : undefined;
    const length = r.int(4, 10);
    const params = { via, code_length: length };
    if (locale) params.locale = locale;
    const { err, res } = await call(authy.phones().verification_start, c.raw, c.cc, params);
    if (c.invalid) {
      p.expect(err && err.error_code === '60033' && err.message === 'Phone number is invalid', c,
        `start: want 60033, got ${JSON.stringify(err || res)}`);
      continue;
    }
    const want = startMessage(c, via, locale);
    if (err || res.message !== want) {
      p.expect(false, c, `start ${via}/${locale}: want ${want}, got ${JSON.stringify(err || res)}`);
      continue;
    }
    const st = await call(authy.phones().verification_status, c.raw, c.cc);
    p.expect(!st.err && st.res.status === 'pending', c, `status: ${JSON.stringify(st.err || st.res)}`);
    const code = await sb.lastPhoneCode(c.cc, c.national);
    p.expect(code.length === length, c, `code ${code}, want ${length} digits`);
    const ok = await call(authy.phones().verification_check, c.raw, c.cc, code);
    p.expect(!ok.err && ok.res.message === 'Verification code is correct.', c, `check: ${JSON.stringify(ok.err || ok.res)}`);
  }
  p.finish(cases.length);
});

test('node-authy: phones().info over 100 numbers (form body on GET)', async () => {
  const r = gen.rng('node-info');
  const p = new Problems();
  const cases = gen.phones(r, 100, 0.3);
  for (const c of cases) {
    const { err, res } = await call(authy.phones().info, c.raw, c.cc);
    if (c.invalid && !c.nanpOnly) {
      p.expect(err && err.error_code === '60033', c, `want 60033, got ${JSON.stringify(err || res)}`);
      continue;
    }
    if (err) {
      p.expect(false, c, JSON.stringify(err));
      continue;
    }
    p.expect(TYPES.includes(res.type) && typeof res.provider === 'string' && typeof res.ported === 'boolean' &&
      INFO_MESSAGE.test(res.message), c, JSON.stringify(res));
  }
  p.finish(cases.length);
});

test('node-authy: register_user + request_sms / request_call with random force', async () => {
  const r = gen.rng('node-users');
  const p = new Problems();
  const cases = gen.phones(r, 30, 0);
  for (const c of cases) {
    const reg = await call(authy.register_user.bind(authy), `${gen.word(r)}@example.com`, c.raw, c.cc);
    if (reg.err) {
      p.expect(false, c, `register_user: ${JSON.stringify(reg.err)}`);
      continue;
    }
    const id = reg.res.user.id;
    const again = await call(authy.register_user.bind(authy), `${gen.word(r)}@example.com`, gen.present(r, c.cc, c.national), c.cc);
    p.expect(!again.err && again.res.user.id === id, c, `same number, other id: ${JSON.stringify(again.err || again.res)}`);
    const via = r.pick(['sms', 'call']);
    const fn = (via === 'sms' ? authy.request_sms : authy.request_call).bind(authy);
    const force = r.pick([undefined, true, false, 'true']);
    const sent = force === undefined ? await call(fn, id) : await call(fn, id, force);
    const want = via === 'sms' ? 'SMS token was sent' : 'Call started...';
    p.expect(!sent.err && sent.res.message === want && sent.res.cellphone === `+${c.cc}-XXX-XXX-XX${c.national.slice(-2)}`,
      c, `${via} force=${force}: ${JSON.stringify(sent.err || sent.res)}`);
    const code = await sb.lastUserCode(id);
    const v = await call(authy.verify.bind(authy), id, code, true);
    p.expect(!v.err && v.res.token === 'is valid', c, `verify: ${JSON.stringify(v.err || v.res)}`);
  }
  p.finish(cases.length);
});
