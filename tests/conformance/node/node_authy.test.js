'use strict';
// Conformance: the official Node client `authy` (evilpacket/node-authy 1.4.0), unmodified,
// against the sandbox. It sends the key as the `api_key` QUERY parameter and its parameters as a
// FORM body even on GET (shared/docs/authy-api.md §1.2, §1.4), so this suite mostly judges the
// sandbox's auth fallback and parameter merging. Its callback is `(null, body)` on HTTP 200 and
// `(body)` otherwise (§2.4). Assertions state what api.authy.com answers (§N = authy-api.md).

const test = require('node:test');
const assert = require('node:assert/strict');
const sb = require('./support');
const authyFactory = require('authy');

const authy = authyFactory(sb.API_KEY, sb.BASE_URL);

// Runs a node-authy method (callback last) and resolves with { err, res }, bounded in time.
function call(fn, ...args) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('node-authy callback not called within 5 s')), 5000);
    fn(...args, (err, res) => { clearTimeout(t); resolve({ err, res }); });
  });
}

const phone = () => sb.freshUsPhone('202555');
const last2 = (p) => p.replace(/\D/g, '').slice(-2);
const last4 = (p) => p.replace(/\D/g, '').slice(-4);
const UNKNOWN_ID = '987654321';

async function newUser() {
  const cellphone = phone();
  const { err, res } = await call(authy.register_user.bind(authy), `n${last4(cellphone)}@example.com`, cellphone, '1');
  assert.equal(err, null, JSON.stringify(err));
  return { id: res.user.id, cellphone };
}

test('register_user: created, idempotent, api_key in query, send_install_link in query', async () => {
  const cellphone = phone();
  const first = await call(authy.register_user.bind(authy), 'dave@example.com', cellphone, '1', false);
  assert.equal(first.err, null, JSON.stringify(first.err));
  assert.equal(first.res.message, 'User created successfully.');
  assert.equal(first.res.success, true);
  assert.equal(typeof first.res.user.id, 'number');
  // 2-argument form: country defaults to "1", send_install_link_via_sms=true in the query.
  const again = await call(authy.register_user.bind(authy), 'dave@example.com', cellphone);
  assert.equal(again.err, null, JSON.stringify(again.err));
  assert.equal(again.res.user.id, first.res.user.id);
});

test('register_user: invalid email -> 400 60027 with field errors', async () => {
  const { err } = await call(authy.register_user.bind(authy), 'nope', phone(), '1');
  assert.ok(err);
  assert.equal(err.message, 'User was not valid');
  assert.equal(err.errors.email, 'is invalid');
  assert.equal(err.error_code, '60027');
  assert.equal(err.success, false);
});

test('register_user: invalid cellphone -> 400 60027 cellphone "is invalid"', async () => {
  const { err } = await call(authy.register_user.bind(authy), 'kim@example.com', 'call-me', '1');
  assert.ok(err);
  assert.equal(err.message, 'User was not valid');
  assert.equal(err.errors.cellphone, 'is invalid'); // java TestUsers fixture (§2.2)
  assert.equal(err.cellphone, 'is invalid');
  assert.equal(err.error_code, '60027');
});

test('wrong api_key (query parameter) -> 401 60001', async () => {
  const bad = authyFactory('wrong-key', sb.BASE_URL);
  const { err } = await call(bad.register_user.bind(bad), 'erin@example.com', phone(), '1');
  assert.ok(err);
  assert.equal(err.message, 'Invalid API key');
  assert.equal(err.error_code, '60001');
});

test('user_status (GET with a form body)', async () => {
  const { id, cellphone } = await newUser();
  const { err, res } = await call(authy.user_status.bind(authy), id);
  assert.equal(err, null, JSON.stringify(err));
  assert.equal(res.message, 'User status.');
  assert.equal(res.status.authy_id, id);
  assert.equal(res.status.registered, false);
  assert.equal(res.status.country_code, 1);
  assert.equal(res.status.phone_number, `XXX-XXX-${last4(cellphone)}`);
  assert.ok(Array.isArray(res.status.devices));
  const missing = await call(authy.user_status.bind(authy), 'tony'); // node sandbox test id
  assert.ok(missing.err);
  assert.equal(missing.err.message, 'User not found.');
  assert.equal(missing.err.error_code, '60026');
});

test('request_sms: sent, ignored with an app, forced', async () => {
  const { id, cellphone } = await newUser();
  const sent = await call(authy.request_sms.bind(authy), id);
  assert.equal(sent.err, null, JSON.stringify(sent.err));
  assert.equal(sent.res.message, 'SMS token was sent');
  assert.equal(sent.res.cellphone, `+1-XXX-XXX-XX${last2(cellphone)}`);
  assert.equal(sent.res.ignored, undefined);
  await sb.registerDevice(id, 'android');
  const ignored = await call(authy.request_sms.bind(authy), id);
  assert.equal(ignored.err, null, JSON.stringify(ignored.err));
  assert.equal(ignored.res.ignored, true);
  assert.equal(ignored.res.device, 'android');
  assert.equal(ignored.res.message,
    'Ignored: SMS is not needed for smartphones. Pass force=true if you want to actually send it anyway.');
  const forced = await call(authy.request_sms.bind(authy), id, true);
  assert.equal(forced.err, null, JSON.stringify(forced.err));
  assert.equal(forced.res.message, 'SMS token was sent');
  const missing = await call(authy.request_sms.bind(authy), UNKNOWN_ID);
  assert.equal(missing.err.error_code, '60026');
});

test('request_call: started, ignored with an app, forced', async () => {
  const { id, cellphone } = await newUser();
  const started = await call(authy.request_call.bind(authy), id);
  assert.equal(started.err, null, JSON.stringify(started.err));
  assert.equal(started.res.message, 'Call started...');
  assert.equal(started.res.cellphone, `+1-XXX-XXX-XX${last2(cellphone)}`);
  await sb.registerDevice(id, 'ios');
  const ignored = await call(authy.request_call.bind(authy), id);
  assert.equal(ignored.err, null, JSON.stringify(ignored.err));
  assert.equal(ignored.res.ignored, true);
  assert.equal(ignored.res.message,
    'Call ignored. User is using  App Tokens and this call is not necessary. ' +
    'Pass force=true if you still want to call users that are using the App.');
  const forced = await call(authy.request_call.bind(authy), id, true);
  assert.equal(forced.err, null, JSON.stringify(forced.err));
  assert.equal(forced.res.message, 'Call started...');
});

test('verify: SMS code valid, wrong token invalid, unknown user', async () => {
  const { id } = await newUser();
  await call(authy.request_sms.bind(authy), id);
  const code = await sb.lastUserCode(id);
  // node errors unless the body has token == "is valid" (§2.4).
  const good = await call(authy.verify.bind(authy), id, code, true);
  assert.equal(good.err, null, JSON.stringify(good.err));
  assert.equal(good.res.token, 'is valid');
  assert.equal(good.res.message, 'Token is valid.');
  const wrongCode = String((Number(code) + 1) % 10 ** code.length).padStart(code.length, '0');
  const bad = await call(authy.verify.bind(authy), id, wrongCode, true);
  assert.ok(bad.err);
  assert.equal(bad.err.message, 'Token is invalid');
  assert.equal(bad.err.token, 'is invalid');
  assert.equal(bad.err.error_code, '60020');
  const missing = await call(authy.verify.bind(authy), UNKNOWN_ID, '1234567');
  assert.ok(missing.err);
  assert.match(missing.err.message, /^User doesn't exist/);
});

test('verify: app token of a registered user (no force sent)', async () => {
  const { id } = await newUser();
  await sb.registerDevice(id);
  const { err, res } = await call(authy.verify.bind(authy), id, await sb.appToken(id));
  assert.equal(err, null, JSON.stringify(err));
  assert.equal(res.token, 'is valid');
});

test('delete_user (POST users/delete/{id})', async () => {
  const { id } = await newUser();
  const { err, res } = await call(authy.delete_user.bind(authy), id);
  assert.equal(err, null, JSON.stringify(err));
  assert.equal(res.message, 'User removed from application');
  assert.equal(res.success, true);
  const missing = await call(authy.delete_user.bind(authy), UNKNOWN_ID);
  assert.equal(missing.err.message, 'User not found.');
  assert.equal(missing.err.error_code, '60026');
});

test('phones: verification start / status / check (params in a GET form body)', async () => {
  const cellphone = phone();
  const phones = authy.phones();
  const start = await call(phones.verification_start, cellphone, '1', { via: 'sms', code_length: 6 });
  assert.equal(start.err, null, JSON.stringify(start.err));
  assert.equal(start.res.success, true);
  assert.match(start.res.message, /^Text message sent to \+1 [\d-]+\.$/);
  assert.equal(typeof start.res.uuid, 'string');
  assert.ok(start.res.seconds_to_expire > 590 && start.res.seconds_to_expire <= 600);
  const code = await sb.lastPhoneCode('1', cellphone);
  assert.match(code, /^\d{6}$/);
  const pending = await call(authy.phones().verification_status, cellphone, '1');
  assert.equal(pending.err, null, JSON.stringify(pending.err));
  assert.equal(pending.res.message, 'Phone Verification status.');
  assert.equal(pending.res.status, 'pending');
  assert.equal(typeof pending.res.seconds_to_expire, 'number');
  const wrong = String((Number(code) + 1) % 10 ** 6).padStart(6, '0');
  const bad = await call(authy.phones().verification_check, cellphone, '1', wrong);
  assert.ok(bad.err);
  assert.equal(bad.err.message, 'Verification code is incorrect');
  assert.equal(bad.err.error_code, '60022');
  const good = await call(authy.phones().verification_check, cellphone, '1', code);
  assert.equal(good.err, null, JSON.stringify(good.err));
  assert.equal(good.res.message, 'Verification code is correct.');
  const verified = await call(authy.phones().verification_status, cellphone, '1');
  assert.equal(verified.err, null, JSON.stringify(verified.err));
  assert.equal(verified.res.status, 'verified');
});

test('phones: verification by call (via given as a string), check without start', async () => {
  const cellphone = phone();
  const start = await call(authy.phones().verification_start, cellphone, '1', 'call');
  assert.equal(start.err, null, JSON.stringify(start.err));
  assert.match(start.res.message, /^Call to \+1 [\d-]+ initiated$/);
  assert.match(await sb.lastPhoneCode('1', cellphone), /^\d{4}$/); // default length 4
  const none = await call(authy.phones().verification_check, phone(), '1', '1234');
  assert.ok(none.err);
  assert.equal(none.err.error_code, '60023');
  assert.match(none.err.message, /^No pending verifications for \+1 [\d-]+ found\.$/);
});

test('phones: verification_status expires after 10 minutes (sandbox clock)', async () => {
  const cellphone = phone();
  const start = await call(authy.phones().verification_start, cellphone, '1', 'sms');
  assert.equal(start.err, null, JSON.stringify(start.err));
  await sb.control('POST', '/sandbox/clock/advance', { seconds: 601 });
  const st = await call(authy.phones().verification_status, cellphone, '1');
  assert.equal(st.err, null, JSON.stringify(st.err));
  assert.equal(st.res.status, 'expired'); // §3.13: pending / verified / expired
});

test('phones: info', async () => {
  const { err, res } = await call(authy.phones().info, phone(), '1');
  assert.equal(err, null, JSON.stringify(err));
  assert.match(res.message, /^Phone number information as of \d+-\d+-\d+ \d+:\d+:\d+ UTC$/);
  assert.ok(['voip', 'landline', 'cellphone', 'unknown'].includes(res.type));
  assert.equal(typeof res.ported, 'boolean');
  assert.ok('provider' in res);
});

test('OneTouch: send_approval_request (form body, indexed logos) and check_approval_status', async (t) => {
  const { id } = await newUser();
  await sb.registerDevice(id);
  const receiver = await new sb.CallbackReceiver().start();
  t.after(() => receiver.stop());
  await sb.setCallback(receiver.url, 'POST');
  const details = { username: 'bob', location: 'Porto & Gaia / 50% = ok' };
  const hidden = { ip_address: '10.0.0.9' };
  const logos = [
    { res: 'default', url: 'https://example.com/default.png' },
    { res: 'low', url: 'https://example.com/low.png' },
  ];
  const sent = await call(authy.send_approval_request.bind(authy), id,
    { message: 'Approve login?', details, seconds_to_expire: 120 }, hidden, logos);
  assert.equal(sent.err, null, JSON.stringify(sent.err));
  assert.equal(sent.res.success, true);
  const uuid = sent.res.approval_request.uuid;
  assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  // node's own test passes the uuid to send_approval_request to "check status" (a test bug,
  // authy-api.md §8); the real status method is check_approval_status(uuid, cb).
  const status = await call(authy.check_approval_status.bind(authy), uuid);
  assert.equal(status.err, null, JSON.stringify(status.err));
  assert.equal(status.res.approval_request.status, 'pending');
  assert.equal(status.res.approval_request.seconds_to_expire, 120);
  assert.equal(status.res.approval_request.uuid, uuid);
  // The form-encoded details/hidden_details/logos[0][res] must have been understood: the
  // callback echoes them (§3.17).
  await sb.decide(uuid, 'approve');
  const got = await receiver.next();
  const body = JSON.parse(got.body);
  assert.equal(body.status, 'approved');
  assert.deepEqual(body.approval_request.transaction.details, details);
  assert.deepEqual(body.approval_request.transaction.hidden_details, hidden);
  assert.equal(body.approval_request.transaction.message, 'Approve login?');
  assert.deepEqual(body.approval_request.logos, logos);
  const after = await call(authy.check_approval_status.bind(authy), uuid);
  assert.equal(after.res.approval_request.status, 'approved');
  const missing = await call(authy.check_approval_status.bind(authy), '3f05a350-4b2c-0136-f779-12c0c2bf9eaa');
  assert.ok(missing.err);
  assert.equal(missing.err.error_code, '60049');
  assert.equal(missing.err.message, 'Approval request not found: 3f05a350-4b2c-0136-f779-12c0c2bf9eaa');
});
