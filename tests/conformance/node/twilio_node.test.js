'use strict';
// Conformance: twilio-node 6.2.0, unmodified, against authy-sandbox's Verify v2 and Lookup v2.
// Expectations are verify-v2.md's (§N; wire captures in its Appendix A); where the doc and the
// library disagree, the library's real behaviour. Inputs come from CONFORMANCE_SEED (printed;
// every failure names it and the input), so a rare shape cannot hide behind one fixed example.

const test = require('node:test');
const assert = require('node:assert/strict');
const querystring = require('node:querystring');
const { isDeepStrictEqual } = require('node:util');
const sb = require('./support');
const tw = require('./twilio_support');
const vin = require('./verify_inputs');

const { RestException } = tw.twilio;
const SID = /^[A-Z]{2}[0-9a-f]{32}$/;
const EVENTS = ['factor.created', 'factor.verified', 'factor.deleted', 'challenge.approved', 'challenge.denied'];
const LINE_TYPES = new Set(['mobile', 'landline', 'fixedVoip', 'nonFixedVoip', 'personal', 'tollFree', 'premium',
  'sharedCost', 'uan', 'voicemail', 'pager', 'unknown']);
const VALIDATION_ERRORS = new Set(['TOO_SHORT', 'TOO_LONG', 'INVALID_BUT_POSSIBLE', 'INVALID_COUNTRY_CODE',
  'INVALID_LENGTH', 'NOT_A_NUMBER']);
const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

console.log(`verify seed: ${vin.SEED} (CONFORMANCE_SEED reproduces it)`);

const client = tw.client();
const v2 = client.verify.v2;

class Problems {
  constructor() { this.list = []; }

  expect(ok, c, what) {
    if (!ok) this.list.push(`${JSON.stringify(c)}: ${what}`);
    return ok;
  }

  finish(n) {
    assert.deepEqual(this.list, [], `seed ${vin.SEED}: ${this.list.length} of ${n} cases wrong, first ones:\n${
      this.list.slice(0, 15).join('\n')}`);
  }
}

const settle = (p) => p.then((res) => ({ res }), (err) => ({ err }));
const errText = (e) => (e ? `${e.status} ${e.code} ${e.message}` : 'no error');

// Awaits a rejection with RestException(status, code) and the fields node exposes.
async function restError(promise, status, code) {
  const { res, err } = await settle(promise);
  assert.ok(err, `seed ${vin.SEED}: want ${status} ${code}, got ${JSON.stringify(res && res.toJSON ? res.toJSON() : res)}`);
  assert.ok(err instanceof RestException, `seed ${vin.SEED}: not a RestException: ${err}`);
  assert.deepEqual([err.status, err.code], [status, code], `seed ${vin.SEED}: ${err.message}`);
  assert.equal(err.moreInfo, `https://www.twilio.com/docs/errors/${code}`);
  assert.ok(typeof err.message === 'string' && err.message && !err.message.startsWith('Unable to'), err.message);
  return err;
}

// The answer twilio-node just received, as JSON: every date_* / expiration_date in it (at any
// depth) is exactly YYYY-MM-DDTHH:MM:SSZ (node's dayjs would read other shapes too) and every
// url is absolute on the sandbox. Returns the value it is given, for chaining.
function rawShape(value) {
  const last = client.httpClient.lastResponse.body;
  const walk = (node, path) => {
    if (Array.isArray(node)) node.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if ((k.startsWith('date_') || k === 'expiration_date') && v !== null) assert.match(v, DATE, `${path}.${k}`);
        if (k === 'url' && typeof v === 'string' && !path.includes('sna')) assert.ok(v.startsWith(`${tw.BASE_URL}/v2/`), `${path}.url ${v}`);
        walk(v, `${path}.${k}`);
      }
    }
  };
  walk(typeof last === 'string' ? JSON.parse(last) : last, '$');
  return value;
}

const newService = (r, opts = {}) => v2.services.create({ friendlyName: vin.serviceName(r), ...opts });
const otherDigit = (code) => code.slice(0, -1) + String((Number(code.slice(-1)) + 1) % 10);

// ---- Services (§2.1) -----------------------------------------------------------------------------

test('services: create (every flat and dotted field), fetch, update, list, delete', async () => {
  const r = vin.stream('services');
  const name = vin.serviceName(r);
  const s = await v2.services.create({
    friendlyName: name, codeLength: 8, lookupEnabled: true, skipSmsToLandlines: false, dtmfInputRequired: true,
    ttsName: 'alice', psd2Enabled: false, doNotShareWarningEnabled: true, customCodeEnabled: true,
    'push.includeDate': false, 'totp.issuer': 'Acme Issuer', 'totp.timeStep': 50, 'totp.codeLength': 4,
    'totp.skew': 0, verifyEventSubscriptionEnabled: false,
  });
  assert.match(s.sid, SID);
  assert.ok(s.sid.startsWith('VA'));
  assert.deepEqual([s.accountSid, s.friendlyName, s.codeLength, s.lookupEnabled, s.dtmfInputRequired, s.ttsName,
    s.doNotShareWarningEnabled, s.customCodeEnabled], [tw.ACCOUNT_SID, name, 8, true, true, 'alice', true, true]);
  assert.deepEqual(s.totp, { issuer: 'Acme Issuer', time_step: 50, code_length: 4, skew: 0 });
  assert.ok(s.dateCreated instanceof Date && !Number.isNaN(s.dateCreated.getTime()));
  const last = client.httpClient.lastResponse.body; // the JSON as received (axios may have parsed it)
  assert.match((typeof last === 'string' ? JSON.parse(last) : last).date_created, DATE);
  assert.equal(s.url, `${tw.BASE_URL}/v2/Services/${s.sid}`);
  for (const link of ['verification_checks', 'verifications', 'rate_limits', 'entities', 'webhooks',
    'messaging_configurations', 'access_tokens']) assert.ok(s.links[link].startsWith(`${s.url}/`), link);
  const got = await v2.services(s.sid).fetch();
  assert.deepEqual([got.friendlyName, got.codeLength, got.totp], [name, 8, s.totp]);
  const renamed = vin.serviceName(r);
  const up = await v2.services(s.sid).update({ friendlyName: renamed, lookupEnabled: false });
  assert.deepEqual([up.friendlyName, up.lookupEnabled, up.codeLength], [renamed, false, 8]);
  assert.ok((await v2.services.list()).some((x) => x.sid === s.sid));
  assert.equal(await v2.services(s.sid).remove(), true);
  await restError(v2.services(s.sid).fetch(), 404, 20404);
  await restError(v2.services(s.sid).remove(), 404, 20404);
});

test('services: generated names and code lengths round-trip', async () => {
  const r = vin.stream('service-names');
  const p = new Problems();
  for (let i = 0; i < 20; i += 1) {
    const name = vin.serviceName(r);
    const len = r.int(4, 10);
    const { res, err } = await settle(v2.services.create({ friendlyName: name, codeLength: len }));
    if (!p.expect(!err, [name, len], errText(err))) continue;
    const got = await v2.services(res.sid).fetch();
    p.expect(got.friendlyName === name && got.codeLength === len, [name, len], `${got.friendlyName}/${got.codeLength}`);
  }
  p.finish(20);
});

// ---- Verifications and checks (§2.2, §2.3, §4.1) ---------------------------------------------------------

test('verifications: every channel, resend (same code), wrong and right checks, then 20404', async () => {
  const r = vin.stream('channels');
  const svc = await newService(r, { codeLength: r.int(4, 10) });
  const vs = v2.services(svc.sid);
  for (const channel of ['sms', 'call', 'whatsapp', 'email']) {
    const to = channel === 'email' ? vin.email(r) : vin.number(r).e164;
    const v = rawShape(await vs.verifications.create({ to, channel, locale: r.pick(vin.LOCALES) }));
    assert.match(v.sid, SID);
    assert.deepEqual([v.serviceSid, v.accountSid, v.to, v.channel, v.status, v.valid],
      [svc.sid, tw.ACCOUNT_SID, to, channel, 'pending', false], channel);
    assert.deepEqual([v.lookup, v.amount, v.payee, v.sna], [{}, null, null, null], channel);
    assert.equal(v.url, `${tw.BASE_URL}/v2/Services/${svc.sid}/Verifications/${v.sid}`);
    assert.equal(v.sendCodeAttempts.length, 1);
    const code = await tw.deliveredCode(svc.sid, to);
    assert.match(code, new RegExp(`^\\d{${svc.codeLength}}$`));
    const again = await vs.verifications.create({ to, channel });
    assert.deepEqual([again.sid, again.sendCodeAttempts.length], [v.sid, 2], channel);
    assert.equal(await tw.deliveredCode(svc.sid, to), code);
    assert.equal((await vs.verifications(v.sid).fetch()).status, 'pending');
    const wrong = await vs.verificationChecks.create({ to, code: otherDigit(code) });
    assert.deepEqual([wrong.sid, wrong.status, wrong.valid], [v.sid, 'pending', false], channel);
    const right = rawShape(await vs.verificationChecks.create({ to, code }));
    assert.deepEqual([right.sid, right.status, right.valid, right.to, right.channel],
      [v.sid, 'approved', true, to, channel], channel);
    await restError(vs.verificationChecks.create({ to, code }), 404, 20404);
    await restError(vs.verifications(v.sid).fetch(), 404, 20404);
  }
});

test('verifications: check by VerificationSid, cancel, approve', async () => {
  const r = vin.stream('cancel');
  const svc = await newService(r);
  const vs = v2.services(svc.sid);
  const to = vin.number(r).e164;
  const v = await vs.verifications.create({ to, channel: 'sms' });
  const code = await tw.deliveredCode(svc.sid, to);
  assert.equal((await vs.verificationChecks.create({ verificationSid: v.sid, code: otherDigit(code) })).status, 'pending');
  const c = await vs.verificationChecks.create({ verificationSid: v.sid, code });
  assert.deepEqual([c.sid, c.status, c.valid], [v.sid, 'approved', true]);
  const w = await vs.verifications.create({ to, channel: 'call' });
  assert.notEqual(w.sid, v.sid);
  const canceled = await vs.verifications(w.sid).update({ status: 'canceled' });
  assert.deepEqual([canceled.status, canceled.valid], ['canceled', false]);
  await restError(vs.verificationChecks.create({ to, code: await tw.deliveredCode(svc.sid, to) }), 404, 20404);
  const x = await vs.verifications.create({ to, channel: 'sms' });
  const approved = await vs.verifications(x.sid).update({ status: 'approved' });
  assert.deepEqual([approved.status, approved.valid], ['approved', true]);
  await restError(vs.verifications(x.sid).update({ status: 'canceled' }), 404, 20404);
});

test('verifications: 5 sends then 429 60203; 5 wrong checks then 429 60202', async () => {
  const r = vin.stream('limits');
  const svc = await newService(r);
  const vs = v2.services(svc.sid);
  const to = vin.number(r).e164;
  const sids = new Set();
  for (let i = 0; i < 5; i += 1) sids.add((await vs.verifications.create({ to, channel: r.pick(vin.PHONE_CHANNELS) })).sid);
  assert.equal(sids.size, 1);
  await restError(vs.verifications.create({ to, channel: 'sms' }), 429, 60203);
  const other = vin.number(r).e164;
  const v = await vs.verifications.create({ to: other, channel: 'sms' });
  const code = await tw.deliveredCode(svc.sid, other);
  for (let i = 0; i < 5; i += 1) {
    const c = await vs.verificationChecks.create({ to: other, code: otherDigit(code) });
    assert.equal(c.status, 'pending', `wrong check ${i + 1}`);
  }
  await restError(vs.verificationChecks.create({ to: other, code }), 429, 60202);
  assert.notEqual((await vs.verifications.create({ to: other, channel: 'sms' })).sid, v.sid);
});

test('verifications: expire after 10 minutes of sandbox time', async () => {
  const r = vin.stream('expiry');
  const svc = await newService(r);
  const vs = v2.services(svc.sid);
  const to = vin.number(r).e164;
  const v = await vs.verifications.create({ to, channel: 'sms' });
  const code = await tw.deliveredCode(svc.sid, to);
  await tw.advanceClock(590);
  assert.equal((await vs.verifications(v.sid).fetch()).status, 'pending');
  await tw.advanceClock(15);
  await restError(vs.verificationChecks.create({ to, code }), 404, 20404);
});

test('verifications: custom code, PSD2 amount/payee, lookup, sna/auto, every optional parameter', async () => {
  const r = vin.stream('options');
  const svc = await newService(r, { customCodeEnabled: true, psd2Enabled: true, lookupEnabled: true });
  const vs = v2.services(svc.sid);
  const to = vin.number(r).e164;
  const custom = Array.from({ length: r.int(4, 10) }, () => r.pick('0123456789')).join('');
  const v = await vs.verifications.create({
    to, channel: 'sms', customCode: custom, amount: '€39.99', payee: 'Acme Inc.', locale: 'pt-BR',
    customFriendlyName: vin.friendlyName(r, 30), rateLimits: { my_rate_limit_key: 'abc' },
    channelConfiguration: { from: 'a@b.com', from_name: 'Bar' }, appHash: 'AAAAAAAAAAA', deviceIp: '1.2.3.4',
    enableSnaClientToken: true, riskCheck: 'disable', tags: '{"t":"1"}', sendDigits: 'ww1',
  });
  assert.deepEqual([v.amount, v.payee], ['€39.99', 'Acme Inc.']);
  assert.equal(typeof v.lookup.carrier, 'object', JSON.stringify(v.lookup));
  assert.equal(await tw.deliveredCode(svc.sid, to), custom);
  const c = await vs.verificationChecks.create({ to, code: custom, amount: '€39.99', payee: 'Acme Inc.' });
  assert.deepEqual([c.status, c.valid], ['approved', true]);
  const plain = v2.services((await newService(r)).sid); // PSD2 services want Amount & Payee (60206)
  const snaTo = vin.number(r).e164;
  const sna = await plain.verifications.create({ to: snaTo, channel: 'sna' });
  assert.equal(sna.channel, 'sna');
  assert.ok(sna.sna.url.startsWith(`${tw.BASE_URL}/`), sna.sna.url);
  // the device opens the carrier URL (the sandbox's stub is a control route), then To alone approves
  assert.equal((await sb.control('GET', sna.sna.url.slice(tw.BASE_URL.length))).status, 200);
  const snaCheck = await plain.verificationChecks.create({ to: snaTo });
  assert.deepEqual([snaCheck.sid, snaCheck.status, snaCheck.valid, snaCheck.channel], [sna.sid, 'approved', true, 'sna']);
  const auto = await plain.verifications.create({ to: vin.number(r).e164, channel: 'auto' });
  assert.ok(['sna', 'sms'].includes(auto.channel), auto.channel);
});

test('verifications: invalid To, Channel, Code and unknown service answer 400 60200 / 404 20404', async () => {
  const r = vin.stream('invalid');
  const svc = await newService(r);
  const vs = v2.services(svc.sid);
  const p = new Problems();
  for (let i = 0; i < 20; i += 1) {
    const [kind, to] = vin.invalidTo(r);
    const channel = kind === 'words' && r.random() < 0.5 ? 'email' : 'sms';
    const { err } = await settle(vs.verifications.create({ to, channel }));
    p.expect(err && err.status === 400 && err.code === 60200 && /To/.test(err.message), [kind, to, channel], errText(err));
  }
  p.finish(20);
  for (const channel of ['fax', 'pigeon']) {
    const err = await restError(vs.verifications.create({ to: vin.number(r).e164, channel }), 400, 60200);
    assert.match(err.message, /Channel/);
  }
  const to = vin.number(r).e164;
  await vs.verifications.create({ to, channel: 'sms' });
  await restError(vs.verificationChecks.create({ to, code: '123' }), 400, 60200);
  const unknown = `VA${Array.from({ length: 32 }, () => r.pick('0123456789abcdef')).join('')}`;
  await restError(v2.services(unknown).verifications.create({ to, channel: 'sms' }), 404, 20404);
  await restError(vs.verificationChecks.create({ to: vin.number(r).e164, code: '123456' }), 404, 20404);
});

test('verifications sweep: numbers of 12 countries, emails, locales, channels, code lengths 4-10', async () => {
  const r = vin.stream('sweep');
  const services = [];
  for (let n = 4; n <= 10; n += 1) services.push(await newService(r, { codeLength: n }));
  const cases = vin.numbers(r, 60).map((n) => [n.e164, n.iso]).concat(Array.from({ length: 12 }, () => [vin.email(r), 'email']));
  const p = new Problems();
  for (const [to, what] of cases) {
    const svc = r.pick(services);
    const vs = v2.services(svc.sid);
    const channel = what === 'email' ? 'email' : r.pick(vin.PHONE_CHANNELS);
    const opts = { to, channel };
    if (r.random() < 0.7) opts.locale = r.pick(vin.LOCALES);
    if (r.random() < 0.5) opts.customFriendlyName = vin.friendlyName(r, 30);
    const c = [what, opts, svc.codeLength];
    const { res: v, err } = await settle(vs.verifications.create(opts));
    if (!p.expect(!err && v.status === 'pending' && v.to === to && v.channel === channel, c, errText(err))) continue;
    const code = await tw.deliveredCode(svc.sid, to);
    p.expect(new RegExp(`^\\d{${svc.codeLength}}$`).test(code), c, `code ${code}`);
    const w = await settle(vs.verificationChecks.create({ to, code: otherDigit(code) }));
    p.expect(!w.err && w.res.status === 'pending' && w.res.valid === false, c, `wrong check: ${errText(w.err)}`);
    const k = await settle(vs.verificationChecks.create({ to, code }));
    p.expect(!k.err && k.res.status === 'approved' && k.res.sid === v.sid, c, `right check: ${errText(k.err)}`);
  }
  p.finish(cases.length);
});

// ---- Entities and TOTP (§2.4-§2.6, §4.3) ------------------------------------------------------------------

test('own RFC 6238 against the RFC vectors (the oracle of the TOTP tests)', () => {
  const key = (ascii) => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let bits = ''; for (const b of Buffer.from(ascii)) bits += b.toString(2).padStart(8, '0');
    return bits.match(/.{1,5}/g).map((c) => alphabet[parseInt(c.padEnd(5, '0'), 2)]).join('');
  };
  assert.equal(key('12345678901234567890'), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  const k = { sha1: key('12345678901234567890'), sha256: key('12345678901234567890123456789012'),
    sha512: key('1234567890'.repeat(6) + '1234') };
  for (const [t, a, b, c] of [[59, '94287082', '46119246', '90693936'], [1111111109, '07081804', '68084774', '25091201'],
    [1234567890, '89005924', '91819424', '93441116'], [20000000000, '65353130', '77737706', '47863826']]) {
    assert.deepEqual([tw.totp(k.sha1, t, 30, 8, 'sha1'), tw.totp(k.sha256, t, 30, 8, 'sha256'),
      tw.totp(k.sha512, t, 30, 8, 'sha512')], [a, b, c]);
  }
  assert.equal(tw.totp(k.sha1, 59, 30, 3), '082');
  assert.equal(tw.totp(k.sha1, 59, 60, 6), '755224');
});

test('entities: create, fetch, list, delete; invalid identities 60306', async () => {
  const r = vin.stream('entities');
  const svc = await newService(r);
  const es = v2.services(svc.sid).entities;
  const ids = Array.from({ length: 10 }, () => vin.identity(r));
  for (const identity of ids) {
    const e = rawShape(await es.create({ identity }));
    assert.ok(e.sid.startsWith('YE'));
    assert.deepEqual([e.identity, e.serviceSid], [identity, svc.sid]);
    assert.equal(e.url, `${tw.BASE_URL}/v2/Services/${svc.sid}/Entities/${identity}`);
    assert.equal((await es(identity).fetch()).sid, e.sid);
  }
  assert.deepEqual((await es.list()).map((e) => e.identity).sort(), [...ids].sort());
  assert.equal(await es(ids[0]).remove(), true);
  await restError(es(ids[0]).fetch(), 404, 20404);
  for (const bad of ['short12', 'has space in it', 'a--double-dash']) await restError(es.create({ identity: bad }), 400, 60306);
});

async function enrol(svc, identity, config, name, secret) {
  const opts = { friendlyName: name, factorType: 'totp', 'config.alg': config.alg, 'config.codeLength': config.code_length,
    'config.timeStep': config.time_step, 'config.skew': config.skew };
  if (secret) opts['binding.secret'] = secret;
  return v2.services(svc.sid).entities(identity).newFactors.create(opts);
}

test('TOTP sweep: factors of every algorithm, code length and step; verify and challenges with own codes', async () => {
  const r = vin.stream('totp');
  const issuer = vin.serviceName(r);
  const svc = await newService(r, { 'totp.issuer': issuer });
  const p = new Problems();
  const n = 15;
  for (let i = 0; i < n; i += 1) {
    const config = vin.totpConfig(r);
    if (i < 3) Object.assign(config, { alg: vin.ALGS[i], code_length: [8, 3, 6][i], time_step: [60, 20, 30][i] });
    const identity = vin.identity(r);
    const name = vin.friendlyName(r);
    const given = r.random() < 0.5 ? vin.secret(r) : undefined;
    const c = [identity, name, config, given];
    const { res: f, err } = await settle(enrol(svc, identity, config, name, given));
    if (!p.expect(!err, c, errText(err))) continue;
    p.expect(f.sid.startsWith('YF') && f.status === 'unverified' && f.factorType === 'totp' && f.friendlyName === name, c,
      `create ${f.status} ${f.friendlyName}`);
    p.expect(f.config.alg === config.alg
      && f.config.code_length === config.code_length && f.config.time_step === config.time_step
      && f.config.skew === config.skew, c, `config ${JSON.stringify(f.config)}`);
    const secret = f.binding && f.binding.secret;
    if (!p.expect(typeof secret === 'string' && (!given || secret === given), c, `binding ${JSON.stringify(f.binding)}`)) continue;
    const uri = new URL(f.binding.uri);
    p.expect(uri.protocol === 'otpauth:' && uri.host === 'totp' && !uri.hash
      && decodeURIComponent(uri.pathname) === `/${issuer}:${name}`, c, `uri label ${f.binding.uri}`);
    p.expect(uri.searchParams.get('secret') === secret
      && uri.searchParams.get('issuer') === issuer && uri.searchParams.get('algorithm') === config.alg.toUpperCase()
      && uri.searchParams.get('digits') === String(config.code_length)
      && uri.searchParams.get('period') === String(config.time_step), c, `uri ${f.binding.uri}`);
    const { time_step: step, code_length: digits, alg } = config;
    let now = await tw.startOfStep(step);
    const fs = v2.services(svc.sid).entities(identity).factors(f.sid);
    const wrong = await fs.update({ authPayload: tw.outsideCode(secret, now, config) });
    p.expect(wrong.status === 'unverified', c, `wrong code -> ${wrong.status}`);
    const right = await fs.update({ authPayload: tw.totp(secret, now, step, digits, alg) });
    p.expect(right.status === 'verified', c, `code at ${now} -> ${right.status}`);
    const got = rawShape(await fs.fetch());
    p.expect(got.binding == null && got.status === 'verified', c, `fetch ${JSON.stringify(got.binding)} ${got.status}`);
    now = await tw.startOfStep(step);
    const cs = v2.services(svc.sid).entities(identity).challenges;
    const ok = await cs.create({ factorSid: f.sid, authPayload: tw.totp(secret, now, step, digits, alg) });
    p.expect(ok.status === 'approved' && ok.factorType === 'totp', c, `challenge with code: ${ok.status}`);
    const pend = await cs.create({ factorSid: f.sid, authPayload: tw.outsideCode(secret, now, config) });
    p.expect(pend.status === 'pending', c, `challenge with wrong code: ${pend.status}`);
    const later = await cs(pend.sid).update({ authPayload: tw.totp(secret, now, step, digits, alg) });
    p.expect(later.status === 'approved', c, `challenge update: ${later.status}`);
  }
  p.finish(n);
});

test('TOTP limits: 5 wrong factor codes then 60310, 5 wrong challenge codes then 60308, unverified 60318', async () => {
  const r = vin.stream('totp-limits');
  const svc = await newService(r);
  const identity = vin.identity(r);
  const config = { alg: 'sha512', code_length: 8, time_step: 30, skew: 0 };
  const f = await enrol(svc, identity, config, "John's phone");
  const fs = v2.services(svc.sid).entities(identity).factors(f.sid);
  const cs = v2.services(svc.sid).entities(identity).challenges;
  await restError(cs.create({ factorSid: f.sid, authPayload: '12345678' }), 403, 60318);
  let now = await tw.startOfStep(30);
  for (let i = 0; i < 5; i += 1) assert.equal((await fs.update({ authPayload: tw.outsideCode(f.binding.secret, now, config) })).status, 'unverified');
  await restError(fs.update({ authPayload: tw.totp(f.binding.secret, now, 30, 8, 'sha512') }), 429, 60310);
  const g = await enrol(svc, identity, config, 'second');
  now = await tw.startOfStep(30);
  const gs = v2.services(svc.sid).entities(identity).factors(g.sid);
  assert.equal((await gs.update({ authPayload: tw.totp(g.binding.secret, now, 30, 8, 'sha512') })).status, 'verified');
  const ch = await cs.create({ factorSid: g.sid });
  for (let i = 0; i < 5; i += 1) assert.equal((await cs(ch.sid).update({ authPayload: tw.outsideCode(g.binding.secret, now, config) })).status, 'pending');
  await restError(cs(ch.sid).update({ authPayload: tw.totp(g.binding.secret, now, 30, 8, 'sha512') }), 429, 60308);
  const list = await v2.services(svc.sid).entities(identity).factors.list({ pageSize: 1 });
  assert.deepEqual(list.map((x) => x.sid).sort(), [f.sid, g.sid].sort());
  assert.equal(await gs.remove(), true);
  await restError(gs.fetch(), 404, 20404);
  const renamed = vin.friendlyName(r);
  assert.equal((await fs.update({ friendlyName: renamed })).friendlyName, renamed);
  assert.equal(await v2.services(svc.sid).entities(identity).remove(), true);
  await restError(fs.fetch(), 404, 20404);
});

// ---- Push (§2.5, §2.6, §4.4) -------------------------------------------------------------------------------

async function pushFactor(r, svc, identity, device, verify = true) {
  const platform = r.pick(['fcm', 'apn', 'none']);
  const opts = { friendlyName: vin.friendlyName(r), factorType: 'push', 'binding.alg': 'ES256',
    'binding.publicKey': device.publicKey, 'config.appId': 'com.example.app', 'config.notificationPlatform': platform,
    'config.sdkVersion': '3.0.2', metadata: { os: 'iOS' } };
  if (platform !== 'none') opts['config.notificationToken'] = Array.from({ length: 64 }, () => r.pick('0123456789abcdef')).join('');
  const f = rawShape(await v2.services(svc.sid).entities(identity).newFactors.create(opts));
  assert.deepEqual([f.factorType, f.status, f.metadata], ['push', 'unverified', { os: 'iOS' }]);
  assert.equal(typeof f.config.credential_sid, 'string', JSON.stringify(f.config));
  if (verify) {
    const ok = await v2.services(svc.sid).entities(identity).factors(f.sid).update({ authPayload: device.signFactor(f.sid) });
    assert.equal(ok.status, 'verified');
  }
  return f;
}

async function pushChallenge(r, svc, identity, factor, extra = {}) {
  const d = vin.details(r);
  const opts = { factorSid: factor.sid, 'details.message': d.message, 'details.fields': d.fields, ...extra };
  if (Object.keys(d.hidden).length) opts.hiddenDetails = d.hidden;
  return { c: rawShape(await v2.services(svc.sid).entities(identity).challenges.create(opts)), ...d };
}

// What the device does: fetch, read Twilio-Verify-Signature-Fields, sign the listed fields, post.
async function answer(svc, identity, device, sid, status, extra = {}) {
  const ctx = v2.services(svc.sid).entities(identity).challenges(sid);
  const info = await ctx.fetchWithHttpInfo();
  assert.equal(info.statusCode, 200);
  const fields = tw.header(info.headers, 'Twilio-Verify-Signature-Fields');
  assert.ok(fields, 'no Twilio-Verify-Signature-Fields on a pending push challenge');
  return ctx.update({ authPayload: tw.challengeAnswer(device, info.body, fields, status), ...extra });
}

test('push sweep: factors with device keys, challenges approved and denied by ES256 JWTs', async () => {
  const r = vin.stream('push');
  const svc = await newService(r);
  const p = new Problems();
  const n = 6;
  for (let i = 0; i < n; i += 1) {
    const identity = vin.identity(r);
    const device = new tw.Device();
    const f = await pushFactor(r, svc, identity, device);
    for (const decision of ['approved', 'denied']) {
      const { c, message, fields, hidden } = await pushChallenge(r, svc, identity, f);
      const k = [i, decision, message, fields, hidden];
      p.expect(c.status === 'pending' && c.factorType === 'push' && c.factorSid === f.sid, k, `create ${c.status}`);
      p.expect(c.details.message === message && isDeepStrictEqual(c.details.fields || [], fields), k,
        `details ${JSON.stringify(c.details)}`);
      p.expect(isDeepStrictEqual(c.hiddenDetails || {}, hidden), k, `hidden ${JSON.stringify(c.hiddenDetails)}`);
      p.expect(c.expirationDate - c.dateCreated === 300000, k, `expiry ${c.expirationDate} - ${c.dateCreated}`);
      const metadata = decision === 'approved' ? { [vin.word(r)]: vin.friendlyName(r, 30) } : undefined;
      const a = await settle(answer(svc, identity, device, c.sid, decision, metadata ? { metadata } : {}));
      if (!p.expect(!a.err && a.res.status === decision, k, `answer: ${errText(a.err)}`)) continue;
      p.expect(isDeepStrictEqual(a.res.metadata, metadata === undefined ? null : metadata), k, `metadata ${JSON.stringify(a.res.metadata)}`);
      const got = rawShape(await v2.services(svc.sid).entities(identity).challenges(c.sid).fetch());
      p.expect(got.status === decision && got.dateResponded instanceof Date, k, `fetch ${got.status} ${got.dateResponded}`);
      const again = await settle(v2.services(svc.sid).entities(identity).challenges(c.sid).update({ authPayload: device.jwt({ status: decision }) }));
      p.expect(again.err && again.err.status === 403 && again.err.code === 60322, k, `second answer: ${errText(again.err)}`);
    }
  }
  p.finish(2 * n);
});

test('push: details at their length limits; a 64-character factor name', async () => {
  const r = vin.stream('push-limits');
  const svc = await newService(r);
  const identity = vin.identity(r);
  const f = await pushFactor(r, svc, identity, new tw.Device());
  const p = new Problems();
  for (let i = 0; i < 3; i += 1) {
    const d = vin.detailsAtLimits(r);
    const { res: c, err } = await settle(v2.services(svc.sid).entities(identity).challenges.create({
      factorSid: f.sid, 'details.message': d.message, 'details.fields': d.fields, hiddenDetails: d.hidden }));
    if (!p.expect(!err, d, errText(err))) continue;
    p.expect(c.details.message === d.message && isDeepStrictEqual(c.details.fields, d.fields)
      && isDeepStrictEqual(c.hiddenDetails, d.hidden), d, 'echo differs');
  }
  const name = vin.longText(r, 64);
  const g = await settle(v2.services(svc.sid).entities(identity).newFactors.create({ friendlyName: name, factorType: 'totp' }));
  p.expect(!g.err && g.res.friendlyName === name, name, errText(g.err));
  p.finish(4);
});

test('push: device authentication as the SDKs do it (AccessToken, then factor-signed JWTs)', async () => {
  const r = vin.stream('device-auth');
  const svc = await newService(r);
  const identity = vin.identity(r);
  const device = new tw.Device();
  const { token } = await v2.services(svc.sid).accessTokens.create({ identity, factorType: 'push' });
  const enrolling = tw.client('token', token, { accountSid: tw.ACCOUNT_SID });
  const push = { friendlyName: vin.friendlyName(r), factorType: 'push', 'binding.alg': 'ES256', 'binding.publicKey': device.publicKey,
    'config.appId': 'com.example.app', 'config.notificationPlatform': 'none', 'config.sdkVersion': '3.0.2' };
  const f = await enrolling.verify.v2.services(svc.sid).entities(identity).newFactors.create(push);
  assert.equal(f.status, 'unverified');
  const phone = tw.deviceClient(device, f.config.credential_sid, await tw.sandboxNow()).verify.v2.services(svc.sid).entities(identity);
  assert.equal((await phone.factors(f.sid).update({ authPayload: device.signFactor(f.sid) })).status, 'verified');
  const { c } = await pushChallenge(r, svc, identity, f);
  assert.ok((await phone.challenges.list({ status: 'pending' })).some((x) => x.sid === c.sid));
  const info = await phone.challenges(c.sid).fetchWithHttpInfo();
  const fields = tw.header(info.headers, 'Twilio-Verify-Signature-Fields');
  assert.equal((await phone.challenges(c.sid).update({ authPayload: tw.challengeAnswer(device, info.body, fields, 'denied') })).status, 'denied');
  assert.equal((await phone.challenges(c.sid).fetch()).status, 'denied');
  const stranger = tw.deviceClient(new tw.Device(), f.config.credential_sid, await tw.sandboxNow());
  await restError(stranger.verify.v2.services(svc.sid).entities(identity).factors(f.sid).fetch(), 401, 20003);
  await restError(enrolling.verify.v2.services(svc.sid).entities(identity).factors(f.sid).fetch(), 401, 20003);
  await restError(enrolling.verify.v2.services(svc.sid).entities(vin.identity(r)).newFactors.create(push), 401, 20003);
});

test('push: wrong key, forged claims, non-JWT, expiry 60323, unverified 60318, bad key 60314', async () => {
  const r = vin.stream('push-bad');
  const svc = await newService(r);
  const identity = vin.identity(r);
  const device = new tw.Device();
  await restError(v2.services(svc.sid).entities(identity).newFactors.create({ friendlyName: 'bad', factorType: 'push',
    'binding.alg': 'ES256', 'binding.publicKey': 'dGVzdA==', 'config.appId': 'com.x', 'config.notificationPlatform': 'none',
    'config.sdkVersion': '1.0' }), 400, 60314);
  const unverified = await pushFactor(r, svc, identity, new tw.Device(), false);
  await restError(pushChallenge(r, svc, identity, unverified), 403, 60318);
  const f = await pushFactor(r, svc, identity, device);
  const { c } = await pushChallenge(r, svc, identity, f);
  const ctx = v2.services(svc.sid).entities(identity).challenges(c.sid);
  const info = await ctx.fetchWithHttpInfo();
  const fields = tw.header(info.headers, 'Twilio-Verify-Signature-Fields');
  await restError(ctx.update({ authPayload: tw.challengeAnswer(new tw.Device(), info.body, fields, 'approved') }), 403, 60324);
  const [h, , s] = tw.challengeAnswer(device, info.body, fields, 'approved').split('.');
  const forgedClaims = JSON.parse(Buffer.from(tw.challengeAnswer(device, info.body, fields, 'denied').split('.')[1], 'base64url'));
  await restError(ctx.update({ authPayload: `${h}.${Buffer.from(JSON.stringify(forgedClaims)).toString('base64url')}.${s}` }), 403, 60324);
  await restError(ctx.update({ authPayload: 'sig' }), 400, 60381);
  assert.equal((await ctx.fetch()).status, 'pending');
  const jwt = tw.challengeAnswer(device, info.body, fields, 'approved');
  await tw.advanceClock(301);
  await restError(ctx.update({ authPayload: jwt }), 403, 60323);
  assert.equal((await ctx.fetch()).status, 'expired');
});

test('push: challenge list filters, notifications, access tokens', async () => {
  const r = vin.stream('push-list');
  const svc = await newService(r);
  const identity = vin.identity(r);
  const device = new tw.Device();
  const f = await pushFactor(r, svc, identity, device);
  const made = [];
  for (let i = 0; i < 5; i += 1) made.push((await pushChallenge(r, svc, identity, f)).c.sid);
  await answer(svc, identity, device, made[0], 'approved');
  const cs = v2.services(svc.sid).entities(identity).challenges;
  const pending = await cs.list({ factorSid: f.sid, status: 'pending', order: 'desc', pageSize: 2 });
  assert.deepEqual(pending.map((x) => x.sid).sort(), made.slice(1).sort());
  assert.deepEqual((await cs.list({ status: 'approved' })).map((x) => x.sid), [made[0]]);
  const note = rawShape(await cs(made[1]).notifications.create({ ttl: 150 }));
  assert.ok(note.sid.startsWith('NT'));
  assert.deepEqual([note.ttl, note.challengeSid, note.identity], [150, made[1], identity]);
  const t = await v2.services(svc.sid).accessTokens.create({ identity, factorType: 'push', factorFriendlyName: vin.friendlyName(r), ttl: 300 });
  assert.ok(t.sid.startsWith('YK'));
  assert.ok(typeof t.token === 'string' && t.token.length > 0);
  assert.deepEqual([t.ttl, t.entityIdentity], [300, identity]);
  assert.equal((await v2.services(svc.sid).accessTokens(t.sid).fetch()).sid, t.sid);
});

// ---- Webhooks (§2.7, §4.5) ----------------------------------------------------------------------------------

test('webhooks: create, fetch, list, update, delete; unknown event type 60306', async () => {
  const r = vin.stream('webhooks');
  const svc = await newService(r);
  const hooks = v2.services(svc.sid).webhooks;
  const name = vin.friendlyName(r);
  const w = rawShape(await hooks.create({ friendlyName: name, eventTypes: ['factor.verified', 'challenge.approved'],
    webhookUrl: 'https://example.com/h?x=1', status: 'enabled', versionParam: 'v2' }));
  assert.ok(w.sid.startsWith('YW'));
  assert.deepEqual([w.friendlyName, [...w.eventTypes].sort(), w.status, w.version, w.webhookUrl, w.webhookMethod],
    [name, ['challenge.approved', 'factor.verified'], 'enabled', 'v2', 'https://example.com/h?x=1', 'POST']);
  assert.equal((await hooks(w.sid).fetch()).sid, w.sid);
  const up = await hooks(w.sid).update({ status: 'disabled', eventTypes: ['*'] });
  assert.deepEqual([up.status, up.eventTypes], ['disabled', ['*']]);
  assert.deepEqual((await hooks.list()).map((x) => x.sid), [w.sid]);
  await restError(hooks.create({ friendlyName: 'x', eventTypes: ['challenge.expired'], webhookUrl: 'https://example.com/h' }), 400, 60306);
  assert.equal(await hooks(w.sid).remove(), true);
  await restError(hooks(w.sid).fetch(), 404, 20404);
});

test('webhooks: signed deliveries that twilio.validateRequest accepts', async () => {
  const r = vin.stream('deliveries');
  const svc = await newService(r);
  const hooks = v2.services(svc.sid).webhooks;
  const receiver = await new sb.CallbackReceiver().start();
  const base = `http://127.0.0.1:${receiver.port}`;
  const got = [];
  try {
    await hooks.create({ friendlyName: vin.friendlyName(r), eventTypes: ['*'], webhookUrl: `${base}/verify/all?tenant=${encodeURIComponent(vin.friendlyName(r, 20))}` });
    await hooks.create({ friendlyName: 'denied only', eventTypes: ['challenge.denied'], webhookUrl: `${base}/verify/denied` });
    await hooks.create({ friendlyName: 'off', eventTypes: ['*'], webhookUrl: `${base}/off`, status: 'disabled' });
    const identity = vin.identity(r);
    const device = new tw.Device();
    const f = await pushFactor(r, svc, identity, device);
    for (const decision of ['approved', 'denied']) {
      const { c } = await pushChallenge(r, svc, identity, f);
      await answer(svc, identity, device, c.sid, decision);
    }
    assert.equal(await v2.services(svc.sid).entities(identity).factors(f.sid).remove(), true);
    while (got.length < 6) {
      const { res, err } = await settle(receiver.next());
      if (err) break;
      got.push(res);
    }
    await new Promise((done) => setTimeout(done, 500));
    while (receiver.queue.length) got.push(receiver.queue.shift());
    const byPath = {};
    for (const d of got) {
      const url = base + d.path;
      const params = querystring.parse(d.body);
      const sig = d.headers['x-twilio-signature'];
      assert.equal(d.method, 'POST');
      assert.ok(sig, JSON.stringify(d.headers));
      assert.equal(tw.twilio.validateRequest(tw.AUTH_TOKEN, sig, url, params), true, `${url} ${d.body} ${sig}`);
      assert.equal(tw.twilio.validateRequest(`${tw.AUTH_TOKEN}x`, sig, url, params), false);
      assert.ok(d.headers['i-twilio-idempotency-token'], JSON.stringify(d.headers));
      assert.deepEqual([params.account_sid, params.service_sid, params.entity_identity, params.factor_sid, params.factor_type],
        [tw.ACCOUNT_SID, svc.sid, identity, f.sid, 'push'], d.body);
      assert.ok(params.uuid, d.body);
      const path = new URL(url).pathname;
      (byPath[path] = byPath[path] || []).push(params.type);
    }
    assert.deepEqual((byPath['/verify/all'] || []).sort(), [...EVENTS].sort(), JSON.stringify(byPath));
    assert.deepEqual(byPath['/verify/denied'], ['challenge.denied'], JSON.stringify(byPath));
    assert.equal(byPath['/off'], undefined);
  } finally {
    await receiver.stop();
  }
});

test('webhooks: validateRequest oracle on the verify-v2.md §4.5 vectors', () => {
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
  assert.equal(tw.twilio.validateRequest('12345', 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', 'https://mycompany.com/myapp.php?foo=1&bar=2', params), true);
  assert.equal(tw.twilio.getExpectedTwilioSignature('12345', 'http://mycompany.com:1234/myapp.php?foo=1&bar=2', params),
    'Zmvh+3yNM1Phv2jhDCwEM3q5ebU=');
});

// ---- Pagination (§1.6) ---------------------------------------------------------------------------------------

test('pagination: list, each and page().nextPage() follow next_page_url across pages', async () => {
  const r = vin.stream('pages');
  const svc = await newService(r);
  const es = v2.services(svc.sid).entities;
  const n = r.int(17, 29);
  const ids = new Set();
  while (ids.size < n) ids.add(vin.identity(r));
  for (const identity of ids) await es.create({ identity });
  const size = r.int(2, 6);
  const want = [...ids].sort();
  assert.deepEqual((await es.list({ pageSize: size })).map((e) => e.identity).sort(), want, `n=${n} size=${size}`);
  assert.equal((await es.list({ pageSize: size, limit: size + 1 })).length, size + 1);
  const each = [];
  await new Promise((resolve, reject) => es.each({ pageSize: size, callback: (e) => each.push(e.identity), done: (err) => (err ? reject(err) : resolve()) }));
  assert.deepEqual(each.sort(), want);
  let page = await es.page({ pageSize: size });
  const seen = [];
  let pages = 0;
  while (page) {
    pages += 1;
    seen.push(...page.instances.map((e) => e.identity));
    if (page.nextPageUrl) {
      assert.ok(page.nextPageUrl.startsWith(`${tw.BASE_URL}/v2/Services/`), page.nextPageUrl);
      assert.match(page.nextPageUrl, /PageToken=/);
    }
    page = await page.nextPage();
  }
  assert.deepEqual([seen.sort(), pages], [want, Math.ceil(n / size)]);
  const made = [];
  for (let i = 0; i < 5; i += 1) made.push((await newService(r)).sid);
  const listed = (await v2.services.list({ pageSize: 2 })).map((s) => s.sid);
  assert.equal(new Set(listed).size, listed.length);
  assert.ok(made.every((sid) => listed.includes(sid)));
});

// ---- Rate limits and buckets (§2.9) ----------------------------------------------------------------------------

test('rate limits + buckets: CRUD, 60208, 60211, 20429 per value and per bucket', async () => {
  const r = vin.stream('ratelimits');
  const svc = await newService(r);
  const rls = v2.services(svc.sid).rateLimits;
  const unique = `end_user_ip_${vin.word(r, 3, 6)}`;
  const rl = await rls.create({ uniqueName: unique, description: vin.friendlyName(r) });
  assert.ok(rl.sid.startsWith('RK'));
  assert.equal(rl.uniqueName, unique);
  await restError(rls.create({ uniqueName: unique }), 400, 60208);
  assert.equal((await rls(rl.sid).update({ description: 'per ip' })).description, 'per ip');
  const buckets = rls(rl.sid).buckets;
  const minute = rawShape(await buckets.create({ max: 2, interval: 60 }));
  assert.deepEqual([minute.max, minute.interval, minute.rateLimitSid], [2, 60, rl.sid]);
  const hour = await buckets.create({ max: 3, interval: 3600 });
  await restError(buckets.create({ max: 9, interval: 60 }), 400, 60211);
  assert.deepEqual((await buckets.list()).map((b) => b.sid).sort(), [minute.sid, hour.sid].sort());
  const ip = `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(0, 255)}`;
  const send = (value = ip) => v2.services(svc.sid).verifications.create({ to: vin.number(r).e164, channel: 'sms', rateLimits: { [unique]: value } });
  await send();
  await send();
  await restError(send(), 429, 20429);
  for (let i = 0; i < 3; i += 1) {
    // a key without a Rate Limit is ignored (§2.9)
    await v2.services(svc.sid).verifications.create({ to: vin.number(r).e164, channel: 'sms', rateLimits: { no_such_limit: ip } });
  }
  await send('192.0.2.1');
  await tw.advanceClock(61);
  await send();
  await restError(send(), 429, 20429);
  assert.equal((await buckets(hour.sid).update({ max: 4 })).max, 4);
  await send();
  assert.equal(await buckets(minute.sid).remove(), true);
  assert.equal(await rls(rl.sid).remove(), true);
  await restError(rls(rl.sid).fetch(), 404, 20404);
});

// ---- Attempts and summary (§2.10) ---------------------------------------------------------------------------------

test('verification attempts: filters, fetch, summary', async () => {
  const r = vin.stream('attempts');
  const svc = await newService(r);
  const nums = vin.numbers(r, 8);
  const approved = new Set();
  for (let i = 0; i < nums.length; i += 1) {
    const to = nums[i].e164;
    await v2.services(svc.sid).verifications.create({ to, channel: i % 2 ? 'call' : 'sms' });
    if (i % 3 === 0) {
      await v2.services(svc.sid).verificationChecks.create({ to, code: await tw.deliveredCode(svc.sid, to) });
      approved.add(to);
    }
  }
  const attempts = client.verify.v2.verificationAttempts;
  const mine = await attempts.list({ verifyServiceSid: svc.sid, pageSize: 3 });
  rawShape(); // the last page
  assert.equal(mine.length, nums.length);
  for (const a of mine) {
    assert.ok(a.sid.startsWith('VL'));
    assert.equal(a.conversionStatus, approved.has(a.channelData.to) ? 'converted' : 'unconverted', a.channelData.to);
  }
  const one = await attempts.list({ verifyServiceSid: svc.sid, 'channelData.to': nums[1].e164 });
  assert.deepEqual(one.map((a) => a.channelData.to), [nums[1].e164]);
  assert.equal((await attempts.list({ verifyServiceSid: svc.sid, channel: 'call' })).length, 4);
  assert.equal((await attempts(mine[0].sid).fetch()).sid, mine[0].sid);
  const s = await client.verify.v2.verificationAttemptsSummary().fetch({ verifyServiceSid: svc.sid });
  assert.deepEqual([s.totalAttempts, s.totalConverted, s.totalUnconverted], [nums.length, approved.size, nums.length - approved.size]);
  assert.ok(Math.abs(Number(s.conversionRatePercentage) - (100 * approved.size) / nums.length) < 1e-5, s.conversionRatePercentage);
});

// ---- Lookup v2 (§6.3) ------------------------------------------------------------------------------------------------

test('lookup v2: valid numbers of 12 countries with Fields, deterministic; invalid numbers', async () => {
  const r = vin.stream('lookup');
  const FIELDS = ['validation', 'line_type_intelligence', 'caller_name', 'sms_pumping_risk'];
  const p = new Problems();
  const nums = vin.numbers(r, 40);
  for (const num of nums) {
    const fields = FIELDS.filter(() => r.random() < 0.6);
    if (!fields.length) fields.push(r.pick(FIELDS));
    const c = [num, fields];
    const { res: x, err } = await settle(client.lookups.v2.phoneNumbers(num.e164).fetch({ fields: fields.join(',') }));
    if (!p.expect(!err, c, errText(err))) continue;
    p.expect(x.valid === true && x.phoneNumber === num.e164 && x.callingCountryCode === num.cc && x.countryCode === num.iso, c,
      `got ${x.valid} ${x.phoneNumber} ${x.callingCountryCode} ${x.countryCode}`);
    p.expect(typeof x.nationalFormat === 'string' && !(x.validationErrors || []).length, c, `${x.nationalFormat} ${x.validationErrors}`);
    p.expect(x.url === `${tw.BASE_URL}/v2/PhoneNumbers/${num.e164}`, c, x.url);
    const lti = x.lineTypeIntelligence;
    p.expect(fields.includes('line_type_intelligence') ? lti && LINE_TYPES.has(lti.type) : lti == null, c, `lti ${JSON.stringify(lti)}`);
    p.expect(fields.includes('caller_name') === (x.callerName != null), c, `caller_name ${JSON.stringify(x.callerName)}`);
    p.expect(fields.includes('sms_pumping_risk') === (x.smsPumpingRisk != null), c, `sms_pumping_risk ${JSON.stringify(x.smsPumpingRisk)}`);
    if (num.cc === '1') {
      const n = num.national;
      p.expect(x.nationalFormat === `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`, c, `national format ${x.nationalFormat}`);
    }
    const again = await client.lookups.v2.phoneNumbers(num.e164).fetch({ fields: fields.join(',') });
    p.expect(isDeepStrictEqual(again.lineTypeIntelligence, lti), c, 'not deterministic');
  }
  const bad = [];
  for (const num of vin.numbers(r, 12)) { // every country: too long (yet <= 15 digits), too short
    bad.push(`${num.e164}${'0'.repeat(Math.max(15 - (num.cc + num.national).length, 3))}`, `+${num.cc}${num.national.slice(0, 2)}`);
    if (r.random() < 0.5) bad.push(`+999${num.national}`);
  }
  bad.push('+1415CALLNOW', 'notanumber');
  for (const raw of bad) {
    const { res: x, err } = await settle(client.lookups.v2.phoneNumbers(raw).fetch({ fields: 'line_type_intelligence' }));
    if (!p.expect(!err, raw, errText(err))) continue;
    const errs = x.validationErrors || [];
    p.expect(x.valid === false && errs.length && errs.every((e) => VALIDATION_ERRORS.has(e)), raw, `valid ${x.valid} errors ${errs}`);
    p.expect(x.lineTypeIntelligence == null, raw, 'packages on an invalid number');
  }
  p.finish(nums.length + bad.length);
});

// ---- Authentication and errors (§1.2, §1.7) -------------------------------------------------------------------------

test('auth: wrong token / account / API key secret 401 20003; API key SID + secret accepted', async () => {
  const r = vin.stream('auth');
  const svc = await newService(r);
  const wrongs = [tw.client(tw.ACCOUNT_SID, `${tw.AUTH_TOKEN}x`), tw.client(`AC${'f'.repeat(32)}`, tw.AUTH_TOKEN),
    tw.client(tw.API_KEY_SID, `${tw.API_KEY_SECRET}x`, { accountSid: tw.ACCOUNT_SID })];
  for (const c of wrongs) {
    const err = await restError(c.verify.v2.services(svc.sid).fetch(), 401, 20003);
    assert.equal(err.message, 'Authenticate');
    await restError(c.verify.v2.services.create({ friendlyName: 'x' }), 401, 20003);
    await restError(c.verify.v2.services.list(), 401, 20003);
    await restError(c.lookups.v2.phoneNumbers('+14159929960').fetch(), 401, 20003);
  }
  const key = tw.client(tw.API_KEY_SID, tw.API_KEY_SECRET, { accountSid: tw.ACCOUNT_SID });
  assert.equal((await key.verify.v2.services(svc.sid).fetch()).accountSid, tw.ACCOUNT_SID);
  assert.equal((await key.verify.v2.services.create({ friendlyName: 'Via Key' })).accountSid, tw.ACCOUNT_SID);
  assert.equal((await key.lookups.v2.phoneNumbers('+14159929960').fetch()).valid, true);
  const e = await restError(v2.services(svc.sid).verifications.create({ to: 'nope', channel: 'sms' }), 400, 60200);
  assert.match(e.message, /Invalid parameter/);
});

test('faults: a 5xx HTML body and 429s as twilio-node reports them; autoRetry retries only the 429s', async () => {
  const r = vin.stream('faults');
  const svc = await newService(r);
  const prefix = `/v2/Services/${svc.sid}`;
  const arm = async (params) => assert.equal((await sb.control('POST', '/sandbox/faults', { path_prefix: prefix, ...params })).status, 200);
  await arm({ kind: 'status_5xx', status: 503 });
  const { err } = await settle(v2.services(svc.sid).fetch());
  assert.ok(err instanceof RestException, String(err));
  // a non-JSON body: status only, no code, message "[HTTP 503] Failed to execute request" (§1.7)
  assert.deepEqual([err.status, err.code, err.message], [503, undefined, '[HTTP 503] Failed to execute request']);
  await arm({ kind: 'rate_limit', count: 2 });
  const total = async () => (await sb.control('GET', '/sandbox/requests')).body.total;
  const before = await total();
  const patient = tw.client(tw.ACCOUNT_SID, tw.AUTH_TOKEN, { autoRetry: true, maxRetries: 3, maxRetryDelay: 50 });
  assert.equal((await patient.verify.v2.services(svc.sid).fetch()).sid, svc.sid);
  assert.equal(await total(), before + 3); // two 429s, then the answer
  await arm({ kind: 'rate_limit' });
  await restError(v2.services(svc.sid).fetch(), 429, 20429);
});
