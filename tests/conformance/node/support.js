'use strict';
// Helpers for the conformance suites: the sandbox control API (DESIGN.md, Contract 1) and a
// loopback callback receiver. They play the parts the real service plays out of band (the
// user's handset, the Authy app answering a push); the client under test does everything else.

const http = require('node:http');
const querystring = require('node:querystring');

const BASE_URL = process.env.AUTHY_BASE_URL.replace(/\/+$/, '');
const API_KEY = process.env.AUTHY_API_KEY;
const TIMEOUT_MS = 5000;

function control(method, path, params) {
  let url = BASE_URL + path;
  let body = null;
  if (params && method === 'GET') url += '?' + querystring.stringify(params);
  else if (params) body = querystring.stringify(params);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method,
      timeout: TIMEOUT_MS,
      headers: Object.assign(
        { 'X-Authy-API-Key': API_KEY },
        body === null ? {} : {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
        },
      ),
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let json = null;
        try { json = JSON.parse(text); } catch (e) { json = text; }
        resolve({ status: res.statusCode, body: json });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`control ${method} ${path} timed out`)));
    req.on('error', reject);
    if (body !== null) req.write(body);
    req.end();
  });
}

async function ok(method, path, params) {
  const r = await control(method, path, params);
  if (r.status !== 200) throw new Error(`${method} ${path} -> ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const lastUserCode = async (id) => (await ok('GET', `/sandbox/users/${id}/last_code`)).code;
const appToken = async (id) => (await ok('GET', `/sandbox/users/${id}/app_token`)).token;
const registerDevice = (id, device = 'android') =>
  ok('POST', `/sandbox/users/${id}/devices`, { device });
const lastPhoneCode = async (cc, phone) =>
  (await ok('GET', '/sandbox/phones/last_code', { country_code: cc, phone_number: phone })).code;
const setCallback = (url, method) =>
  ok('POST', '/sandbox/config', { callback_url: url, callback_method: method });
const decide = (uuid, decision) => ok('POST', `/sandbox/approval_requests/${uuid}/${decision}`);

// Records every request it gets; `next()` resolves with the next one (bounded wait).
class CallbackReceiver {
  constructor() {
    this.queue = [];
    this.waiters = [];
    this.server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const entry = {
          method: req.method,
          path: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        };
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
        const w = this.waiters.shift();
        if (w) w(entry); else this.queue.push(entry);
      });
    });
  }

  start() {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => {
      this.port = this.server.address().port;
      this.url = `http://127.0.0.1:${this.port}/authy/callback`;
      resolve(this);
    }));
  }

  next() {
    if (this.queue.length) return Promise.resolve(this.queue.shift());
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no callback received within 5 s')), TIMEOUT_MS);
      this.waiters.push((e) => { clearTimeout(t); resolve(e); });
    });
  }

  stop() {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// Distinct valid numbers per test (user creation is idempotent on country code + number).
let counter = 0;
function freshUsPhone(base) {
  counter += 1;
  return `${base}${String(counter).padStart(4, '0')}`;
}

module.exports = {
  BASE_URL, API_KEY, control, lastUserCode, appToken, registerDevice, lastPhoneCode,
  setCallback, decide, CallbackReceiver, freshUsPhone,
};
