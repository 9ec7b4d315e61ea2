// authy-sandbox UI. Reads and acts only through the control API (/sandbox/...). Everything that
// came from an API caller is put in the page with textContent or as an attribute value checked
// here (logo URLs: http/https only); nothing is ever parsed as HTML.
"use strict";

const KEY_STORE = "authy-sandbox-api-key";
const state = {
  key: sessionStorage.getItem(KEY_STORE) || "",
  generation: 0,
  // Sandbox clock: the server's `now` and the local time it was read at.
  serverNow: 0,
  readAt: 0,
  offset: 0,
  results: new Map(), // approval uuid -> the control API's answer to approve/deny
  pushResults: new Map(), // challenge sid -> {status, signed, deliveries, waiting}
  running: false,
  refreshTimer: null,
  users: [],
};

const $ = (id) => document.getElementById(id);

// el("p", {class: "x", dataset: {id: 1}}, "text", child) builds DOM; strings become text nodes.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k === "onclick") node.addEventListener("click", v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// Replaces the children of `container` with one node per item, reusing the node of an item
// whose key and data are unchanged (so focus, selection and references survive refreshes).
const nodeData = new WeakMap();
function renderList(container, items, keyOf, build, sigOf) {
  const old = new Map();
  for (const n of container.children) old.set(n.dataset.key, n);
  const nodes = items.map((item) => {
    const key = String(keyOf(item));
    const sig = JSON.stringify(sigOf ? sigOf(item) : item);
    const prev = old.get(key);
    if (prev && nodeData.get(prev) === sig) return prev;
    const node = build(item);
    node.dataset.key = key;
    nodeData.set(node, sig);
    return node;
  });
  nodes.forEach((n, i) => {
    if (container.children[i] !== n) container.insertBefore(n, container.children[i] || null);
  });
  while (container.children.length > nodes.length) container.removeChild(container.lastChild);
}

function sandboxNow() {
  return state.serverNow + Math.floor((Date.now() - state.readAt) / 1000);
}

function noteNow(now) {
  if (typeof now === "number") {
    state.serverNow = now;
    state.readAt = Date.now();
  }
}

function fmtTime(unix) {
  return new Date(unix * 1000).toISOString().replace("T", " ").replace(".000Z", " UTC");
}

function fmtLeft(seconds) {
  if (seconds <= 0) return "expired";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = String(m).padStart(h ? 2 : 1, "0") + ":" + String(s).padStart(2, "0");
  return (h ? h + ":" : "") + mm;
}

function notice(text, isError) {
  const n = $("notice");
  n.textContent = text;
  n.classList.toggle("error", !!isError);
}

class AuthError extends Error {}

async function api(method, path, params) {
  const init = { method, headers: { "X-Authy-API-Key": state.key } };
  let url = "/sandbox/" + path;
  if (params && method === "GET") {
    url += "?" + new URLSearchParams(params).toString();
  } else if (params) {
    init.headers["Content-Type"] = "application/x-www-form-urlencoded";
    init.body = new URLSearchParams(params).toString();
  }
  const resp = await fetch(url, init);
  let body = null;
  try {
    body = await resp.json();
  } catch (_) {
    body = null;
  }
  if (resp.status === 401) throw new AuthError("the API key was refused");
  if (!resp.ok) {
    const msg = body && body.message ? body.message : "HTTP " + resp.status;
    throw new Error(msg);
  }
  if (body) noteNow(body.now);
  return body;
}

// ---- key ------------------------------------------------------------------------------------
function showLogin(message) {
  state.running = false;
  $("login").hidden = false;
  $("tabs").hidden = true;
  $("views").hidden = true;
  $("login-error").textContent = message || "";
  $("conn").textContent = "waiting for the API key";
  $("api-key").focus();
}

async function start() {
  try {
    await api("GET", "config");
  } catch (e) {
    if (e instanceof AuthError) {
      sessionStorage.removeItem(KEY_STORE);
      showLogin(state.key ? "That key was refused." : "");
      return;
    }
    $("conn").textContent = "sandbox unreachable: " + e.message;
    setTimeout(start, 2000);
    return;
  }
  sessionStorage.setItem(KEY_STORE, state.key);
  $("login").hidden = true;
  $("tabs").hidden = false;
  $("views").hidden = false;
  showView();
  state.running = true;
  await refreshAll();
  watch();
}

// ---- views ----------------------------------------------------------------------------------
const VIEWS = ["inbox", "approvals", "authenticator", "users", "controls"];

function showView() {
  const wanted = location.hash.replace("#", "");
  const view = VIEWS.includes(wanted) ? wanted : "inbox";
  for (const v of VIEWS) {
    $("view-" + v).hidden = v !== view;
  }
  for (const a of document.querySelectorAll("#tabs a")) {
    if (a.dataset.view === view) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

function countdownText(node, left) {
  return node.classList.contains("token-left") ? String(Math.max(left, 0)) : fmtLeft(left);
}

function countdown(expiresAt, cls) {
  const node = el("span", { class: "countdown " + (cls || ""), dataset: { expires: expiresAt } });
  node.textContent = countdownText(node, expiresAt - sandboxNow());
  return node;
}

function copyButton(code, label) {
  return el("button", {
    type: "button", class: "copy", "aria-label": "Copy " + label,
    onclick: async (ev) => {
      const btn = ev.currentTarget;
      try {
        await navigator.clipboard.writeText(code);
        btn.textContent = "Copied";
      } catch (_) {
        // Clipboard API unavailable (http page, permissions): select the code instead.
        const range = document.createRange();
        range.selectNodeContents(btn.previousElementSibling);
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        btn.textContent = "Selected: press Ctrl+C";
      }
      setTimeout(() => { btn.textContent = "Copy"; }, 1500);
    },
  }, "Copy");
}

const CHANNEL = { sms: "SMS", call: "Voice call", email: "E-mail", whatsapp: "WhatsApp" };
const SERVICE = { authy: "Authy token", phone_verification: "Phone verification", verify: "Verify" };

async function refreshInbox() {
  const service = $("inbox-service").value;
  const body = await api("GET", "inbox", service ? { service } : null);
  renderList($("inbox-list"), body.messages, (m) => m.id, (m) => {
    const channel = CHANNEL[m.channel] || m.channel;
    return el("li", { class: "card message", dataset: { id: m.id, channel: m.channel } },
      el("div", { class: "meta" },
        el("span", { class: "tag" }, channel),
        el("span", { class: "tag alt" }, SERVICE[m.service] || m.service),
        el("time", { datetime: new Date(m.sent_at * 1000).toISOString() }, fmtTime(m.sent_at)),
        el("span", {}, "expires in ", countdown(m.expires_at))),
      el("p", { class: "to" }, "To ", el("strong", { class: "to-full" }, m.to),
        m.to_masked !== m.to ? [" (the API showed ", el("span", { class: "to-masked" }, m.to_masked), ")"] : null,
        m.locale ? [" · locale ", el("span", { class: "locale" }, m.locale)] : null,
        m.reference && m.reference.action ? [" · action ", el("span", { class: "action" }, text(m.reference.action)),
          " (verifies only with this action)"] : null),
      el("p", { class: "text" }, m.text),
      el("p", { class: "code-line" },
        el("output", { class: "code", "aria-label": "code" }, m.code),
        copyButton(m.code, "code " + m.code)));
  });
  $("inbox-empty").hidden = body.messages.length > 0;
  // The badge counts the codes that still verify.
  const live = body.messages.filter((m) => !m.expired).length;
  $("badge-inbox").textContent = live ? String(live) : "";
  $("badge-inbox").title = live + " code(s) still valid";
}

function safeImageUrl(raw) {
  try {
    const u = new URL(String(raw));
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch (_) {
    return null;
  }
}

function detailList(obj, cls) {
  const entries = Object.entries(obj || {});
  if (!entries.length) return null;
  return el("dl", { class: cls }, entries.map(([k, v]) => [el("dt", {}, k), el("dd", {}, String(v))]));
}

function logos(list) {
  if (!list || !list.length) return null;
  return el("div", { class: "logos" }, list.map((l) => {
    const url = safeImageUrl(l.url);
    if (url) {
      return el("img", { src: url, alt: "logo (" + l.res + ")", referrerpolicy: "no-referrer", loading: "lazy" });
    }
    return el("span", { class: "bad-logo" }, "logo not shown (not an http(s) URL): ", String(l.url));
  }));
}

function resultBox(result) {
  if (!result) return null;
  const cb = result.callback;
  const rows = [["Status", result.status]];
  if (!cb) {
    rows.push(["Callback", "none (no callback URL configured)"]);
  } else {
    rows.push(["Callback", cb.method + " " + cb.url]);
    rows.push(["Receiver answered", cb.http_status !== null ? "HTTP " + cb.http_status : "error: " + cb.error]);
    rows.push(["X-Authy-Signature-Nonce", cb.nonce]);
    rows.push(["X-Authy-Signature", cb.signature]);
  }
  return el("dl", { class: "result", role: "status" },
    rows.map(([k, v]) => [el("dt", {}, k), el("dd", { class: "r-" + k.toLowerCase().replace(/[^a-z]+/g, "-") }, String(v))]));
}

function approvalCard(a, pending) {
  const who = "user " + a.authy_id + (a.user_email ? " (" + a.user_email + ")" : "");
  const hidden = detailList(a.hidden_details, "details hidden-details");
  return el("li", { class: "card approval " + a.status, dataset: { uuid: a.uuid, status: a.status } },
    el("div", { class: "meta" },
      el("span", { class: "tag" }, "OneTouch"),
      el("span", { class: "tag alt status" }, a.status),
      el("span", {}, who),
      el("time", {}, fmtTime(a.created_at)),
      pending && a.expires_at ? el("span", {}, "expires in ", countdown(a.expires_at, "approval-expiry")) : null,
      pending && !a.expires_at ? el("span", {}, "never expires") : null),
    logos(a.logos),
    el("p", { class: "push-message" }, a.message),
    detailList(a.details, "details"),
    hidden ? el("details", {}, el("summary", {}, "Hidden details (not shown to the user)"), hidden) : null,
    pending ? el("p", { class: "actions" },
      el("button", { type: "button", class: "approve", onclick: () => decide(a.uuid, "approve") }, "Approve"),
      el("button", { type: "button", class: "deny danger", onclick: () => decide(a.uuid, "deny") }, "Deny")) : null,
    resultBox(state.results.get(a.uuid)),
    el("p", { class: "uuid" }, "uuid ", el("code", {}, a.uuid)));
}

async function decide(uuid, verb) {
  try {
    const result = await api("POST", "approval_requests/" + encodeURIComponent(uuid) + "/" + verb);
    state.results.set(uuid, result);
    const cb = result.callback;
    notice("Request " + result.status + (cb ? "; callback answered " + (cb.http_status !== null ? "HTTP " + cb.http_status : cb.error) : "; no callback URL") + ".");
  } catch (e) {
    handleError(e);
  }
  await refreshApprovals();
}

async function refreshApprovals() {
  const body = await api("GET", "approval_requests");
  const pending = body.approval_requests.filter((a) => a.status === "pending");
  const done = body.approval_requests.filter((a) => a.status !== "pending");
  // Keep a request the user just decided at the top, with its delivery result.
  const result = (a) => [a, state.results.get(a.uuid) || null];
  const card = (a) => approvalCard(a, a.status === "pending");
  renderList($("approval-list"), pending.concat(done.filter((a) => state.results.has(a.uuid))),
    (a) => a.uuid, card, result);
  renderList($("approval-recent"), done.filter((a) => !state.results.has(a.uuid)), (a) => a.uuid, card, result);
  $("approval-empty").hidden = pending.length > 0;
  $("badge-approvals").dataset.onetouch = String(pending.length);
}

async function refreshUsers() {
  const body = await api("GET", "users");
  state.users = body.users;
  // Authenticator.
  const auth = $("auth-list");
  const withDevices = body.users.filter((u) => u.devices.length);
  const period = (u) => Math.floor((body.now + u.app_token.seconds_remaining) / u.app_token.period);
  renderList(auth, withDevices, (u) => u.id, (u) => {
    const t = u.app_token;
    const endsAt = sandboxNow() + t.seconds_remaining;
    return el("li", { class: "card totp", dataset: { user: u.id } },
      el("div", { class: "meta" },
        el("span", { class: "tag" }, "Authy app"),
        el("span", {}, "user " + u.id + " · " + u.email),
        el("span", {}, u.devices.map((d) => d.os_type + " #" + d.id).join(", "))),
      el("p", { class: "code-line" },
        el("output", { class: "code", "aria-label": "current code" }, t.token),
        copyButton(t.token, "code " + t.token)),
      el("p", {}, "next code in ", countdown(endsAt, "token-left"), " s",
        el("progress", { max: t.period, value: t.seconds_remaining, "aria-label": "time left", dataset: { expires: endsAt } })));
  }, (u) => [u.id, u.email, u.devices, u.app_token.token, period(u)]);
  $("auth-empty").hidden = auth.children.length > 0;
  // Users table.
  renderList($("user-rows"), body.users, (u) => u.id, (u) => {
    const select = el("select", { id: "os-" + u.id, "aria-label": "Device type for user " + u.id },
      ["android", "iphone", "authy_chrome", "authy_desktop"].map((o) => el("option", {}, o)));
    return el("tr", { dataset: { user: u.id } },
      el("td", {}, String(u.id)),
      el("td", {}, u.email),
      el("td", { class: "nowrap" }, u.phone, el("br"), el("small", {}, u.masked_cellphone)),
      el("td", {}, u.confirmed ? "confirmed" : "not confirmed"),
      el("td", { class: "devices" }, u.devices.length ? u.devices.map((d) => d.os_type + " #" + d.id).join(", ") : "none"),
      el("td", {}, el("div", { class: "actions" }, select,
        el("button", { type: "button", class: "add-device", onclick: () => addDevice(u.id, select.value) }, "Add app device"),
        u.devices.length ? el("button", { type: "button", class: "remove-devices danger", onclick: () => removeDevices(u.id) }, "Remove app devices") : null)));
  }, (u) => [u.id, u.email, u.phone, u.confirmed, u.devices]);
  $("users-empty").hidden = body.users.length > 0;
}

async function addDevice(id, os) {
  try {
    const r = await api("POST", "users/" + encodeURIComponent(id) + "/devices", { device: os });
    notice("Added " + r.device.os_type + " device #" + r.device.id + " to user " + id + ".");
  } catch (e) {
    handleError(e);
  }
  await refreshUsers();
}

async function removeDevices(id) {
  try {
    const r = await api("DELETE", "users/" + encodeURIComponent(id) + "/devices");
    notice("Removed " + r.removed + " device(s) of user " + id + ".");
  } catch (e) {
    handleError(e);
  }
  await refreshUsers();
}

async function refreshControls() {
  const [cfg, faults, reqs, cbs, hooks] = await Promise.all([
    api("GET", "config"), api("GET", "faults"), api("GET", "requests"), api("GET", "callbacks"),
    api("GET", "verify/Webhooks/Deliveries"),
  ]);
  state.offset = cfg.clock_offset;
  // Do not overwrite a field the user is typing in.
  const fill = (id, apply) => { if (document.activeElement !== $(id)) apply($(id)); };
  fill("cfg-url", (n) => { n.value = cfg.callback_url || ""; });
  fill("cfg-method", (n) => { n.value = cfg.callback_method; });
  fill("cfg-sms", (n) => { n.checked = cfg.sms_enabled; });
  fill("cfg-calls", (n) => { n.checked = cfg.phone_calls_enabled; });
  const fl = clear($("fault-list"));
  for (const f of faults.faults) {
    fl.append(el("li", { class: "fault" }, f.kind + " × " + f.remaining + (f.path_prefix ? " on " + f.path_prefix : " on any path")));
  }
  if (!faults.faults.length) fl.append(el("li", { class: "empty" }, "No fault armed."));
  const rr = clear($("req-rows"));
  for (const [route, n] of Object.entries(reqs.requests)) {
    rr.append(el("tr", {}, el("td", {}, el("code", {}, route)), el("td", { class: "num" }, String(n))));
  }
  $("req-total").textContent = String(reqs.total);
  const cl = clear($("callback-list"));
  for (const c of cbs.callbacks.slice(-20).reverse()) {
    cl.append(el("li", { class: "card callback" },
      el("p", {}, el("strong", {}, c.method), " ", el("code", { class: "wrap" }, c.url)),
      el("p", {}, c.http_status !== null ? "answered HTTP " + c.http_status : "failed: " + c.error),
      el("p", { class: "wrap" }, "X-Authy-Signature: ", el("code", {}, String((c.headers || {})["X-Authy-Signature"] || "")))));
  }
  const hl = clear($("webhook-list"));
  for (const h of hooks.deliveries.slice(-20).reverse()) {
    hl.append(el("li", { class: "card callback" },
      el("p", {}, el("strong", {}, "POST"), " ", el("code", { class: "wrap" }, h.url), " · ", text(h.type),
        h.attempt > 1 ? " (attempt " + h.attempt + ")" : ""),
      el("p", {}, h.http_status !== null ? "answered HTTP " + h.http_status : "failed: " + h.error),
      el("p", { class: "wrap" }, "X-Twilio-Signature: ", el("code", {}, text(h.signature)))));
  }
  $("callback-empty").hidden = cbs.callbacks.length > 0;
  $("webhook-empty").hidden = hooks.deliveries.length > 0;
}

// ---- Verify v2 (TOTP and push) -------------------------------------------------------------
function text(v) {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function fieldList(fields) {
  if (!fields || !fields.length) return null;
  return el("dl", { class: "details" }, fields.map((f) => [el("dt", {}, text(f.label)), el("dd", {}, text(f.value))]));
}

function challengePath(c) {
  return "verify/Services/" + encodeURIComponent(c.service_sid) + "/Entities/" +
    encodeURIComponent(c.identity) + "/Challenges/" + encodeURIComponent(c.sid);
}

function pushResultBox(r) {
  if (!r) return null;
  const rows = [["Status", r.status], ["Answer signed by the device key", r.signed ? "yes" : "no (the key is the test's own)"]];
  if (!r.deliveries.length) {
    rows.push(["Webhook", r.waiting ? "waiting for the delivery…" : "none sent (no webhook subscribed to challenge events)"]);
  }
  for (const d of r.deliveries) {
    rows.push(["Webhook " + d.type, "POST " + d.url]);
    rows.push(["Receiver answered", d.http_status !== null ? "HTTP " + d.http_status : "error: " + d.error]);
    rows.push(["X-Twilio-Signature", d.signature]);
  }
  return el("dl", { class: "result", role: "status" },
    rows.map(([k, v]) => [el("dt", {}, k), el("dd", { class: "r-" + k.toLowerCase().replace(/[^a-z]+/g, "-") }, String(v))]));
}

function pushCard(c) {
  const pending = c.status === "pending";
  const details = c.details || {};
  const hidden = c.hidden_details && typeof c.hidden_details === "object" ? detailList(
    Object.fromEntries(Object.entries(c.hidden_details).map(([k, v]) => [k, text(v)])), "details hidden-details") : null;
  return el("li", { class: "card push " + c.status, dataset: { sid: c.sid, status: c.status } },
    el("div", { class: "meta" },
      el("span", { class: "tag" }, "Verify push"),
      el("span", { class: "tag alt status" }, c.status),
      el("span", {}, "entity " + c.identity + (c.factor_friendly_name ? " · " + c.factor_friendly_name : "")),
      c.service_friendly_name ? el("span", {}, text(c.service_friendly_name)) : null,
      el("time", {}, c.date_created.replace("T", " ").replace("Z", " UTC")),
      pending ? el("span", {}, "expires in ", countdown(c.expires_at, "approval-expiry")) : null),
    el("p", { class: "push-message" }, text(details.message || "")),
    fieldList(details.fields),
    hidden ? el("details", {}, el("summary", {}, "Hidden details (not shown to the user)"), hidden) : null,
    pending ? el("p", { class: "actions" },
      el("button", { type: "button", class: "approve", onclick: () => answerPush(c, "Approve") }, "Approve"),
      el("button", { type: "button", class: "deny danger", onclick: () => answerPush(c, "Deny") }, "Deny")) : null,
    pushResultBox(state.pushResults.get(c.sid)),
    el("p", { class: "uuid" }, "challenge ", el("code", {}, c.sid)));
}

async function answerPush(c, verb) {
  let r;
  try {
    r = await api("POST", challengePath(c) + "/" + verb);
  } catch (e) {
    handleError(e);
    await refreshVerify();
    return;
  }
  const result = { status: r.challenge.status, signed: r.signed, deliveries: [], waiting: true };
  state.pushResults.set(c.sid, result);
  notice("Challenge " + result.status + ".");
  await refreshVerify();
  // Webhooks go out in the background: look for this challenge's deliveries for a few seconds.
  for (let i = 0; i < 20; i++) {
    const log = await api("GET", "verify/Webhooks/Deliveries");
    result.deliveries = log.deliveries.filter((d) => d.params && d.params.challenge_sid === c.sid &&
      String(d.type).startsWith("challenge."));
    if (result.deliveries.length && !log.in_flight) break;
    await new Promise((ok) => setTimeout(ok, 300));
  }
  result.waiting = false;
  await refreshVerify();
}

async function refreshVerify() {
  const [ch, ents] = await Promise.all([
    api("GET", "verify/Challenges", { FactorType: "push" }), api("GET", "verify/Entities"),
  ]);
  const pending = ch.challenges.filter((c) => c.status === "pending");
  const done = ch.challenges.filter((c) => c.status !== "pending");
  const sig = (c) => [c, state.pushResults.get(c.sid) || null];
  renderList($("push-list"), pending.concat(done.filter((c) => state.pushResults.has(c.sid))), (c) => c.sid, pushCard, sig);
  renderList($("push-recent"), done.filter((c) => !state.pushResults.has(c.sid)), (c) => c.sid, pushCard, sig);
  $("push-empty").hidden = pending.length > 0;
  const approvals = Number($("badge-approvals").dataset.onetouch || 0) + pending.length;
  $("badge-approvals").textContent = approvals ? String(approvals) : "";
  // TOTP factors (Authenticator).
  const totps = [];
  for (const e of ents.entities) {
    for (const f of e.factors) if (f.totp) totps.push({ e, f });
  }
  const step = (t) => Math.floor((ents.now + t.f.totp.seconds_remaining) / t.f.totp.time_step);
  renderList($("totp-list"), totps, (t) => t.f.sid, (t) => {
    const endsAt = sandboxNow() + t.f.totp.seconds_remaining;
    return el("li", { class: "card totp verify-totp", dataset: { factor: t.f.sid } },
      el("div", { class: "meta" },
        el("span", { class: "tag" }, "Verify TOTP"),
        el("span", {}, "entity " + t.e.identity + " · " + t.f.friendly_name),
        t.e.service_friendly_name ? el("span", {}, text(t.e.service_friendly_name)) : null,
        el("span", { class: "tag alt" }, t.f.status)),
      el("p", { class: "code-line" },
        el("output", { class: "code", "aria-label": "current code" }, t.f.totp.code),
        copyButton(t.f.totp.code, "code " + t.f.totp.code)),
      el("p", {}, "next code in ", countdown(endsAt, "token-left"), " s",
        el("progress", { max: t.f.totp.time_step, value: t.f.totp.seconds_remaining, "aria-label": "time left", dataset: { expires: endsAt } })));
  }, (t) => [t.f.sid, t.f.friendly_name, t.f.status, t.f.totp.code, step(t)]);
  $("totp-empty").hidden = totps.length > 0;
  // Entities (Users).
  renderList($("entity-rows"), ents.entities, (e) => e.sid, (e) => el("tr", { dataset: { entity: e.identity } },
    el("td", { class: "wrap" }, e.service_friendly_name ? text(e.service_friendly_name) : "", el("br"), el("small", {}, e.service_sid)),
    el("td", { class: "wrap" }, e.identity),
    el("td", { class: "factors" }, e.factors.length ? e.factors.map((f) =>
      el("div", {}, f.factor_type + " “" + f.friendly_name + "” " + f.status)) : "none"),
    el("td", {}, el("div", { class: "actions" },
      el("button", { type: "button", class: "add-push", onclick: () => addPush(e) }, "Add push device")))), (e) => e);
  $("entities-empty").hidden = ents.entities.length > 0;
}

async function addPush(e) {
  try {
    const f = await api("POST", "verify/Services/" + encodeURIComponent(e.service_sid) + "/Entities/" +
      encodeURIComponent(e.identity) + "/PushFactors", { FriendlyName: "Sandbox device" });
    notice("Added push factor " + f.sid + " (its key is held by the sandbox) to " + e.identity + ".");
  } catch (err) {
    handleError(err);
  }
  await refreshVerify();
}

async function refreshAll() {
  try {
    await refreshApprovals();
    await Promise.all([refreshInbox(), refreshUsers(), refreshControls(), refreshVerify()]);
    $("conn").textContent = "live";
    $("conn").classList.remove("error");
  } catch (e) {
    handleError(e);
  }
  tick();
}

function handleError(e) {
  if (e instanceof AuthError) {
    sessionStorage.removeItem(KEY_STORE);
    state.key = "";
    showLogin("The sandbox refused the key (restarted with another one?).");
    return;
  }
  notice("Error: " + e.message, true);
}

function scheduleRefresh() {
  if (state.refreshTimer) return;
  state.refreshTimer = setTimeout(async () => {
    state.refreshTimer = null;
    await refreshAll();
  }, 150);
}

// Long-polls GET /sandbox/changes: returns as soon as any request may have changed the state.
async function watch() {
  while (state.running) {
    try {
      const r = await api("GET", "changes", { since: state.generation, wait: 25 });
      if (r.generation !== state.generation) {
        state.generation = r.generation;
        scheduleRefresh();
      }
      $("conn").textContent = "live";
      $("conn").classList.remove("error");
    } catch (e) {
      if (e instanceof AuthError) return handleError(e);
      $("conn").textContent = "sandbox unreachable, retrying…";
      $("conn").classList.add("error");
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

// Once a second: the clock and every countdown; a code or request that just ran out refreshes.
function tick() {
  const now = sandboxNow();
  if (state.serverNow) {
    $("clock").textContent = fmtTime(now);
    $("offset").textContent = state.offset ? "(real time " + (state.offset > 0 ? "+" : "") + state.offset + " s)" : "";
  }
  let ranOut = false;
  for (const c of document.querySelectorAll(".countdown")) {
    const left = Number(c.dataset.expires) - now;
    const text = countdownText(c, left);
    if (c.textContent !== text) c.textContent = text;
    if (left <= 0 && !c.classList.contains("over")) {
      c.classList.add("over");
      const card = c.closest(".card");
      if (card) card.classList.add("expired");
      if (c.classList.contains("token-left") || c.classList.contains("approval-expiry")) ranOut = true;
    }
  }
  for (const p of document.querySelectorAll("progress[data-expires]")) {
    p.value = Math.max(Number(p.dataset.expires) - now, 0);
  }
  if (ranOut) scheduleRefresh();
}

// ---- wiring ---------------------------------------------------------------------------------
function onSubmit(id, handler) {
  $(id).addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await handler();
    } catch (e) {
      handleError(e);
    }
  });
}

async function advance(seconds) {
  const r = await api("POST", "clock/advance", { seconds: String(seconds) });
  notice("Sandbox clock is now " + fmtTime(r.now) + ".");
  await refreshAll();
}

document.addEventListener("DOMContentLoaded", () => {
  window.addEventListener("hashchange", showView);
  $("login-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    state.key = $("api-key").value;
    $("api-key").value = "";
    start();
  });
  $("forget-key").addEventListener("click", () => {
    sessionStorage.removeItem(KEY_STORE);
    state.key = "";
    showLogin("");
  });
  $("inbox-service").addEventListener("change", () => refreshInbox().catch(handleError));
  onSubmit("clock-form", () => advance(Number($("clock-seconds").value)));
  for (const b of document.querySelectorAll("[data-advance]")) {
    b.addEventListener("click", () => advance(Number(b.dataset.advance)).catch(handleError));
  }
  onSubmit("fault-form", async () => {
    const params = {
      kind: $("fault-kind").value, count: $("fault-count").value, path_prefix: $("fault-prefix").value,
      status: $("fault-status").value, latency_ms: $("fault-latency").value, retry_after: $("fault-retry").value,
    };
    const r = await api("POST", "faults", params);
    notice("Armed " + params.kind + " for " + r.armed + " request(s).");
    await refreshControls();
  });
  $("fault-clear").addEventListener("click", async () => {
    try {
      await api("DELETE", "faults");
      notice("All faults disarmed.");
      await refreshControls();
    } catch (e) {
      handleError(e);
    }
  });
  onSubmit("config-form", async () => {
    await api("POST", "config", {
      callback_url: $("cfg-url").value, callback_method: $("cfg-method").value,
      sms_enabled: String($("cfg-sms").checked), phone_calls_enabled: String($("cfg-calls").checked),
    });
    notice("Configuration saved.");
    await refreshControls();
  });
  $("reset").addEventListener("click", async () => {
    if (!window.confirm("Reset the sandbox? Every user, code and request is forgotten.")) return;
    try {
      await api("POST", "reset");
      state.results.clear();
      state.pushResults.clear();
      notice("The sandbox was reset.");
      await refreshAll();
    } catch (e) {
      handleError(e);
    }
  });
  setInterval(tick, 1000);
  if (state.key) start();
  else showLogin("");
});
