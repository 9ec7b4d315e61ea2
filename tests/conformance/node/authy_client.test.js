'use strict';
// Conformance: `authy-client` (seegno/authy-client 1.1.4), unmodified, against the sandbox.
// It sends JSON bodies (even a JSON body on GET for user status) with the key in the
// X-Authy-API-Key header, and ASSERTS the shape of every successful response (exact messages,
// required keys and types) — any AssertionFailedError here is a fidelity bug of the sandbox
// unless a comment says otherwise. Expected values: shared/docs/authy-api.md (§N).

const test = require('node:test');
const assert = require('node:assert/strict');
const sb = require('./support');
const { Client } = require('authy-client');

const client = new Client({ key: sb.API_KEY }, { host: sb.BASE_URL, timeout: 5000 });

const phone = () => sb.freshUsPhone('203555');
const last2 = (p) => p.replace(/\D/g, '').slice(-2);
const last4 = (p) => p.replace(/\D/g, '').slice(-4);
const UNKNOWN_ID = 987654321;

// Surfaces seegno's response assertion details (which key/message the sandbox got wrong).
async function run(promise) {
  try {
    return await promise;
  } catch (e) {
    if (e && e.name === 'AssertionFailedError') {
      throw new Error(`authy-client response assertion failed: ${JSON.stringify(e.errors)} ` +
        `for body ${JSON.stringify(e.data)}`);
    }
    throw e;
  }
}

// Resolves with the HttpError a call is expected to fail with.
async function httpError(promise) {
  try {
    const res = await promise;
    assert.fail(`expected an HTTP error, got ${JSON.stringify(res)}`);
  } catch (e) {
    if (e.name !== 'HttpError') throw e;
    return e;
  }
}

async function newUser() {
  const cellphone = phone();
  const res = await run(client.registerUser({ countryCode: 'US', email: `s${last4(cellphone)}@example.com`, phone: cellphone }));
  return { id: res.user.id, cellphone };
}

test('registerUser (JSON body, ISO country code) and idempotence', async () => {
  const cellphone = phone();
  const res = await run(client.registerUser({ countryCode: 'US', email: 'frank@example.com', phone: cellphone }));
  assert.equal(res.message, 'User created successfully.');
  assert.equal(typeof res.user.id, 'number');
  const again = await run(client.registerUser({ countryCode: '1', email: 'frank@example.com', phone: cellphone }));
  assert.equal(again.user.id, res.user.id);
  // Portugal: the client converts PT -> calling code 351.
  const pt = await run(client.registerUser({ countryCode: 'PT', email: 'gil@example.com', phone: '912345001' }));
  assert.notEqual(pt.user.id, res.user.id);
});

test('wrong API key (header) -> 401 60001', async () => {
  // seegno validates emails and numbers itself, so a server-side 60027 is not reachable
  // through it; the error path is checked with a wrong key instead (§1.2, §3.1).
  const bad = new Client({ key: 'wrong-key' }, { host: sb.BASE_URL, timeout: 5000 });
  const e = await httpError(bad.registerUser({ countryCode: 'US', email: 'h@example.com', phone: phone() }));
  assert.equal(e.code, 401);
  assert.equal(e.body.error_code, '60001');
  assert.equal(e.message, 'Invalid API key');
});

test('getUserStatus (GET with a JSON body)', async () => {
  const { id, cellphone } = await newUser();
  const res = await run(client.getUserStatus({ authyId: id }, { ip: '192.0.2.10' }));
  assert.equal(res.status.authy_id, id);
  assert.equal(res.status.phone_number, `XXX-XXX-${last4(cellphone)}`);
  assert.equal(res.status.registered, false);
  await sb.registerDevice(id, 'iphone');
  const after = await run(client.getUserStatus({ authyId: id }));
  assert.equal(after.status.registered, true);
  assert.deepEqual(after.status.devices, ['iphone']);
  const e = await httpError(client.getUserStatus({ authyId: UNKNOWN_ID }));
  assert.equal(e.code, 404);
  assert.equal(e.body.error_code, '60026');
  assert.equal(e.message, 'User not found.');
});

test('requestSms: sent, ignored, forced, with action', async () => {
  const { id, cellphone } = await newUser();
  const sent = await run(client.requestSms({ authyId: id }));
  assert.equal(sent.message, 'SMS token was sent');
  assert.equal(sent.cellphone, `+1-XXX-XXX-XX${last2(cellphone)}`);
  await sb.registerDevice(id, 'android');
  const ignored = await run(client.requestSms({ authyId: id }));
  assert.equal(ignored.ignored, true);
  assert.equal(ignored.device, 'android');
  assert.equal(ignored.message,
    'Ignored: SMS is not needed for smartphones. Pass force=true if you want to actually send it anyway.');
  const forced = await run(client.requestSms({ authyId: id }, { force: true, action: 'login', message: 'Log in' }));
  assert.equal(forced.message, 'SMS token was sent');
  // A code issued for an action verifies only with that action (§11.6); seegno's verifyToken
  // cannot pass `action`, so only check that the handset saw the action.
  const r = await sb.control('GET', `/sandbox/users/${id}/last_code`);
  assert.equal(r.body.action, 'login');
  const e = await httpError(client.requestSms({ authyId: UNKNOWN_ID }));
  assert.equal(e.code, 404);
  assert.equal(e.body.error_code, '60026');
});

test('requestCall: started, ignored, forced', async () => {
  const { id, cellphone } = await newUser();
  const started = await run(client.requestCall({ authyId: id }));
  assert.equal(started.message, 'Call started...');
  assert.equal(started.cellphone, `+1-XXX-XXX-XX${last2(cellphone)}`);
  await sb.registerDevice(id, 'android');
  const ignored = await run(client.requestCall({ authyId: id }));
  assert.equal(ignored.ignored, true);
  assert.equal(ignored.message,
    'Call ignored. User is using  App Tokens and this call is not necessary. ' +
    'Pass force=true if you still want to call users that are using the App.');
  const forced = await run(client.requestCall({ authyId: id }, { force: true }));
  assert.equal(forced.message, 'Call started...');
});

test('verifyToken: valid SMS code, wrong token, unknown user', async () => {
  const { id } = await newUser();
  await run(client.requestSms({ authyId: id }));
  const code = await sb.lastUserCode(id);
  // seegno accepts 6-8 digit tokens only (§5.1); the sandbox's codes are 7 digits.
  assert.match(code, /^\d{6,8}$/);
  const ok = await run(client.verifyToken({ authyId: id, token: code }, { force: true }));
  assert.equal(ok.token, 'is valid');
  assert.equal(ok.message, 'Token is valid.');
  const wrong = String((Number(code) + 1) % 10 ** code.length).padStart(code.length, '0');
  const e = await httpError(client.verifyToken({ authyId: id, token: wrong }, { force: true }));
  assert.equal(e.code, 401);
  assert.equal(e.message, 'Token is invalid');
  assert.equal(e.body.error_code, '60020');
  const u = await httpError(client.verifyToken({ authyId: UNKNOWN_ID, token: '1234567' }, { force: true }));
  assert.equal(u.code, 401);
  assert.match(u.message, /^User doesn't exist/);
});

test('verifyToken: app token of a registered user', async () => {
  const { id } = await newUser();
  await sb.registerDevice(id);
  const ok = await run(client.verifyToken({ authyId: id, token: await sb.appToken(id) }));
  assert.equal(ok.token, 'is valid');
});

test('deleteUser (POST users/{id}/remove, JSON body)', async () => {
  const { id } = await newUser();
  const res = await run(client.deleteUser({ authyId: id }, { ip: '192.0.2.10' }));
  assert.equal(res.success, true);
  assert.equal(res.message, 'User removed from application');
  const e = await httpError(client.deleteUser({ authyId: UNKNOWN_ID }));
  assert.equal(e.code, 404);
  assert.equal(e.body.error_code, '60026');
});

test('registerActivity', async () => {
  const { id } = await newUser();
  for (const type of ['password_reset', 'banned', 'unbanned', 'cookie_login']) {
    const res = await run(client.registerActivity({ authyId: id, data: { reason: 'test' }, type }, { ip: '192.0.2.10' }));
    assert.equal(res.message, 'Activity was created.');
  }
  const e = await httpError(client.registerActivity({ authyId: UNKNOWN_ID, type: 'banned' }, { ip: '192.0.2.10' }));
  assert.equal(e.code, 404);
  assert.equal(e.body.error_code, '60026');
});

test('getApplicationDetails', async () => {
  const res = await run(client.getApplicationDetails({ ip: '192.0.2.10' }));
  assert.equal(res.message, 'Application information.');
  assert.equal(typeof res.app.app_id, 'number');
});

test('getApplicationStatistics', async () => {
  const res = await run(client.getApplicationStatistics());
  assert.equal(res.message, 'Monthly statistics.');
  assert.ok(res.stats.length >= 1);
});

test('startPhoneVerification / verifyPhone', async () => {
  const cellphone = phone();
  const res = await run(client.startPhoneVerification({ countryCode: 'US', phone: cellphone, via: 'sms' }, { locale: 'en' }));
  assert.match(res.message, /^Text message sent to \+1 [\d-]+\.$/);
  // seegno validates codeLength but never sends it (§3.13): the default length 4 applies.
  const code = await sb.lastPhoneCode('1', cellphone);
  assert.match(code, /^\d{4}$/);
  const wrong = String((Number(code) + 1) % 10000).padStart(4, '0');
  const e = await httpError(client.verifyPhone({ countryCode: 'US', phone: cellphone, token: wrong }));
  assert.equal(e.code, 401);
  assert.equal(e.body.error_code, '60022');
  assert.equal(e.message, 'Verification code is incorrect');
  const ok = await run(client.verifyPhone({ countryCode: 'US', phone: cellphone, token: code }));
  assert.equal(ok.message, 'Verification code is correct.');
  const call = await run(client.startPhoneVerification({ countryCode: 'US', phone: phone(), via: 'call' }));
  assert.match(call.message, /^Call to \+1 [\d-]+ initiated$/);
  const none = await httpError(client.verifyPhone({ countryCode: 'US', phone: phone(), token: '1234' }));
  assert.equal(none.code, 404);
  assert.equal(none.body.error_code, '60023');
});

test('getPhoneInformation', async () => {
  // seegno asserts `provider` is a string; every real answer on record has one (§3.14). The
  // sweep suite (sweep.test.js) runs this over hundreds of generated numbers.
  const res = await run(client.getPhoneInformation({ countryCode: 'US', phone: phone() }, { ip: '192.0.2.10' }));
  assert.ok(['voip', 'landline', 'cellphone', 'unknown'].includes(res.type));
  assert.equal(typeof res.provider, 'string');
  // The number written with its country code: same answer (the API strips it).
  const cellphone = phone();
  const a = await run(client.getPhoneInformation({ countryCode: '1', phone: cellphone }));
  const b = await run(client.getPhoneInformation({ countryCode: 'US', phone: `+1 ${cellphone}` }));
  assert.deepEqual([a.type, a.provider, a.ported], [b.type, b.provider, b.ported]);
});

test('OneTouch: createApprovalRequest / getApprovalRequest', async () => {
  const { id } = await newUser();
  await sb.registerDevice(id);
  const created = await run(client.createApprovalRequest({
    authyId: id,
    details: { hidden: { ip: '192.0.2.1' }, visible: { username: 'ivy', location: 'Faro' } },
    logos: [{ res: 'default', url: 'https://example.com/d.png' }, { res: 'high', url: 'https://example.com/h.png' }],
    message: 'Login requested',
  }, { ttl: 300 }));
  const uuid = created.approval_request.uuid;
  const status = await run(client.getApprovalRequest({ id: uuid }));
  assert.equal(status.approval_request.status, 'pending');
  assert.equal(status.approval_request.uuid, uuid);
  assert.equal(Number(status.approval_request._authy_id), id);
  assert.equal(status.approval_request.seconds_to_expire, 300);
  assert.equal(status.approval_request.processed_at, null);
  await sb.decide(uuid, 'deny');
  const denied = await run(client.getApprovalRequest({ id: uuid }));
  assert.equal(denied.approval_request.status, 'denied');
  assert.match(denied.approval_request.processed_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  // ttl 0 = never expires (seegno README, §3.15).
  const forever = await run(client.createApprovalRequest({ authyId: id, message: 'm' }, { ttl: 0 }));
  const f = await run(client.getApprovalRequest({ id: forever.approval_request.uuid }));
  assert.equal(f.approval_request.status, 'pending');
  // Expiry by the (sandbox) clock: seegno accepts `expired` (§3.16).
  const short = await run(client.createApprovalRequest({ authyId: id, message: 'brief' }, { ttl: 30 }));
  await sb.control('POST', '/sandbox/clock/advance', { seconds: 31 });
  const expired = await run(client.getApprovalRequest({ id: short.approval_request.uuid }));
  assert.equal(expired.approval_request.status, 'expired');
  const e = await httpError(client.getApprovalRequest({ id: '3f05a350-4b2c-0136-f779-12c0c2bf9eaa' }));
  assert.equal(e.code, 404);
  assert.equal(e.body.error_code, '60049');
  const u = await httpError(client.createApprovalRequest({ authyId: UNKNOWN_ID, message: 'm' }));
  assert.equal(u.code, 404);
  assert.equal(u.body.error_code, '60026');
});

test('OneTouch: verifyCallback on a real signed POST callback from the sandbox', async (t) => {
  const { id } = await newUser();
  await sb.registerDevice(id);
  const receiver = await new sb.CallbackReceiver().start();
  t.after(() => receiver.stop());
  await sb.setCallback(receiver.url, 'POST');
  const created = await run(client.createApprovalRequest({
    authyId: id,
    // Lower-case detail keys: seegno sorts keys with localeCompare, the server in byte order
    // (§6.3) — mixed-case keys would expose that client bug, not a sandbox one.
    details: { hidden: { ip: '192.0.2.1' }, visible: { username: 'jo', location: 'Braga & São Paulo / 100% = ok?' } },
    logos: [{ res: 'default', url: 'https://example.com/d.png' }],
    message: 'Login requested',
  }));
  const uuid = created.approval_request.uuid;
  await sb.decide(uuid, 'approve');
  const got = await receiver.next();
  assert.equal(got.method, 'POST');
  assert.match(got.headers['content-type'], /^application\/json/);
  const body = JSON.parse(got.body);
  assert.equal(body.callback_action, 'approval_request_status');
  assert.equal(body.status, 'approved');
  assert.equal(body.uuid, uuid);
  assert.equal(String(body.authy_id), String(id));
  // seegno requires `device_uuid` to be a string although real callbacks also carry integers
  // (java vectors, §3.17/§6.3); both render the same in the signed string, so coerce it.
  const request = {
    body: Object.assign({}, body, { device_uuid: String(body.device_uuid) }),
    headers: got.headers,
    method: got.method,
    protocol: 'http',
    url: got.path,
  };
  const verified = await client.verifyCallback(request);
  assert.equal(verified, request);
  // A tampered body must be rejected.
  const tampered = Object.assign({}, request, { body: Object.assign({}, request.body, { status: 'denied' }) });
  await assert.rejects(client.verifyCallback(tampered), (e) => e.name === 'ValidationFailedError');
});
