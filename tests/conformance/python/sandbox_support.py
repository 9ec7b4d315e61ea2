"""Helpers for the conformance suite: the sandbox control API and a loopback callback receiver.

Nothing here talks to the Authy API on behalf of the client under test: the official client does
that itself. These helpers only play the parts the real service would play out of band (the
user's handset, the Authy app approving a push) through the sandbox control API (DESIGN.md,
Contract 1).
"""

import http.server
import json
import os
import queue
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

BASE_URL = os.environ["AUTHY_BASE_URL"].rstrip("/")
API_KEY = os.environ["AUTHY_API_KEY"]
TIMEOUT = 5.0


def control(method, path, params=None):
    """Calls the sandbox control API; returns (http_status, parsed JSON body)."""
    url = BASE_URL + path
    data = None
    if params and method == "GET":
        url += "?" + urllib.parse.urlencode(params)
    elif params:
        data = urllib.parse.urlencode(params).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("X-Authy-API-Key", API_KEY)
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
            return resp.status, json.loads(resp.read().decode())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read().decode() or "null")


def last_user_code(authy_id):
    status, body = control("GET", "/sandbox/users/{0}/last_code".format(authy_id))
    assert status == 200, (status, body)
    return body["code"]


def app_token(authy_id):
    status, body = control("GET", "/sandbox/users/{0}/app_token".format(authy_id))
    assert status == 200, (status, body)
    return body["token"]


def register_device(authy_id, device="android"):
    status, body = control(
        "POST", "/sandbox/users/{0}/devices".format(authy_id), {"device": device}
    )
    assert status == 200, (status, body)


def last_phone_code(country_code, phone_number):
    status, body = control(
        "GET",
        "/sandbox/phones/last_code",
        {"country_code": country_code, "phone_number": phone_number},
    )
    assert status == 200, (status, body)
    return body["code"]


def set_callback(url, method):
    status, body = control(
        "POST", "/sandbox/config", {"callback_url": url, "callback_method": method}
    )
    assert status == 200, (status, body)


def decide(uuid, decision):
    status, body = control(
        "POST", "/sandbox/approval_requests/{0}/{1}".format(uuid, decision)
    )
    assert status == 200, (status, body)
    return body


class CallbackReceiver:
    """A tiny HTTP server on 127.0.0.1 recording every request it receives."""

    def __init__(self):
        received = queue.Queue()

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                received.put(
                    {
                        "method": self.command,
                        "path": self.path,
                        # case-insensitive lookup, like every web framework offers
                        "headers": self.headers,
                        # the names exactly as they came over the wire
                        "header_names": [k for k, _ in self.headers.items()],
                        "body": body,
                    }
                )
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = _record
            do_POST = _record

            def log_message(self, *args):  # keep the test output quiet
                pass

        self.received = received
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.timeout = TIMEOUT
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return "http://{0}:{1}/authy/callback".format(host, port)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(TIMEOUT)

    def next(self, timeout=TIMEOUT):
        return self.received.get(timeout=timeout)


def rack_parse(query):
    """Parses a query string into nested dicts/lists with Rack rules (`a[b]`, `a[]`, `a[][k]`).

    This is what the web framework of an application receiving a GET callback gives it."""
    result = {}
    for name, value in urllib.parse.parse_qsl(query, keep_blank_values=True):
        _rack_assign(result, name, value)
    return result


def _rack_assign(target, name, value):
    if "[" not in name:
        target[name] = value
        return
    head, rest = name.split("[", 1)
    keys = [head] + [k.rstrip("]") for k in rest.split("[")]
    node = target
    for i, key in enumerate(keys[:-1]):
        nxt = keys[i + 1]
        if nxt == "":
            # key[] or key[][sub]
            lst = node.setdefault(key, [])
            if i + 1 == len(keys) - 1:
                lst.append(value)
                return
            sub = keys[i + 2]
            if not lst or not isinstance(lst[-1], dict) or sub in lst[-1]:
                lst.append({})
            _rack_assign(lst[-1], _rebuild(keys[i + 2 :]), value)
            return
        node = node.setdefault(key, {})
    node[keys[-1]] = value


def _rebuild(keys):
    return keys[0] + "".join("[{0}]".format(k) for k in keys[1:])


def advance_clock(seconds):
    status, body = control("POST", "/sandbox/clock/advance", {"seconds": seconds})
    assert status == 200, (status, body)
    return body["now"]


def wait_until(predicate, seconds=TIMEOUT, step=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False
