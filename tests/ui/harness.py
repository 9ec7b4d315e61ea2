"""Shared by the browser suite (test_ui.py) and the screenshot script (screenshots.py):

- Lib: libauthy through its C ABI (ctypes), the way an application registers users, sends
  codes, verifies them and checks callback signatures;
- Receiver: a callback receiver on 127.0.0.1 that records what it gets and answers 200;
- Sandbox: target/release/authy-sandbox on a free 127.0.0.1 port, stopped by its own pid;
- browser(): headless Debian Chromium driven by Selenium through /usr/bin/chromedriver (nothing
  is downloaded: SE_OFFLINE is set by run.sh).
"""

import base64
import ctypes
import hashlib
import hmac
import http.server
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import urllib.parse
import urllib.request

KEY = "sandbox-ui-key-5f1e2d3c4b5a69788796a5b4"
ACCOUNT_SID = "AC" + "5a" * 16
AUTH_TOKEN = "sandbox-ui-auth-token-0123456789"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))

OK = 0


class LibError(Exception):
    def __init__(self, what, rc, message):
        super().__init__("%s: %s (%s)" % (what, rc, message))
        self.rc = rc


class Lib:
    """The few libauthy calls the suite needs, through the C ABI."""

    def __init__(self, base_url, api_key=KEY):
        so = os.path.join(TARGET, "release", "libauthy.so")
        L = ctypes.CDLL(so)
        vp, cp = ctypes.c_void_p, ctypes.c_char_p
        P = ctypes.POINTER
        L.authy_client_builder_new.argtypes = [cp, P(vp), P(vp)]
        L.authy_client_builder_set_base_url.argtypes = [vp, cp, P(vp)]
        L.authy_client_builder_build.argtypes = [vp, P(vp), P(vp)]
        L.authy_client_builder_free.argtypes = [vp]
        L.authy_client_free.argtypes = [vp]
        L.authy_params_new.restype = vp
        L.authy_params_set.argtypes = [vp, cp, cp, P(vp)]
        L.authy_params_free.argtypes = [vp]
        for name in ["authy_client_create_user"]:
            getattr(L, name).argtypes = [vp, cp, cp, vp, P(vp), P(vp)]
        for name in ["authy_client_request_sms", "authy_client_approval_request_status"]:
            getattr(L, name).argtypes = [vp, cp, vp, P(vp), P(vp)]
        L.authy_client_verify_token.argtypes = [vp, cp, cp, vp, P(vp), P(vp)]
        L.authy_client_create_approval_request.argtypes = [vp, cp, cp, vp, P(vp), P(vp)]
        L.authy_client_start_phone_verification.argtypes = [vp, cp, cp, vp, P(vp), P(vp)]
        L.authy_client_check_phone_verification.argtypes = [vp, cp, cp, cp, vp, P(vp), P(vp)]
        L.authy_callback_verify.argtypes = [cp, cp, cp, cp, cp, cp, ctypes.c_uint64, ctypes.c_uint64, P(vp)]
        for name in ["authy_response_user_id", "authy_response_approval_uuid",
                     "authy_response_approval_status", "authy_response_message"]:
            getattr(L, name).argtypes = [vp]
            getattr(L, name).restype = cp
        L.authy_response_free.argtypes = [vp]
        L.authy_error_message.argtypes = [vp]
        L.authy_error_message.restype = cp
        L.authy_error_free.argtypes = [vp]
        L.authy_result_name.argtypes = [ctypes.c_uint32]
        L.authy_result_name.restype = cp
        self.L = L
        self.key = api_key
        builder, err, client = vp(), vp(), vp()
        self._check("builder_new", L.authy_client_builder_new(api_key.encode(), ctypes.byref(builder), ctypes.byref(err)), err)
        self._check("set_base_url", L.authy_client_builder_set_base_url(builder, base_url.encode(), ctypes.byref(err)), err)
        rc = L.authy_client_builder_build(builder, ctypes.byref(client), ctypes.byref(err))
        L.authy_client_builder_free(builder)
        self._check("build", rc, err)
        self.client = client

    def close(self):
        self.L.authy_client_free(self.client)

    def _check(self, what, rc, err):
        if rc != OK:
            msg = self.L.authy_error_message(err).decode() if err.value else ""
            if err.value:
                self.L.authy_error_free(err)
            raise LibError(what, self.L.authy_result_name(rc).decode(), msg)

    def _params(self, options):
        if not options:
            return None
        p = self.L.authy_params_new()
        for k, v in options.items():
            self.L.authy_params_set(p, k.encode(), str(v).encode(), None)
        return p

    def _call(self, what, fn, *args, options=None, read=None):
        p = self._params(options)
        out, err = ctypes.c_void_p(), ctypes.c_void_p()
        rc = fn(self.client, *[a.encode() for a in args], p, ctypes.byref(out), ctypes.byref(err))
        if p:
            self.L.authy_params_free(p)
        self._check(what, rc, err)
        value = read(out) if read else None
        self.L.authy_response_free(out)
        return value

    def create_user(self, email, phone, country_code="1"):
        return self._call("create_user", self.L.authy_client_create_user, email, phone,
                          options={"country_code": country_code},
                          read=lambda r: self.L.authy_response_user_id(r).decode())

    def request_sms(self, authy_id, **options):
        self._call("request_sms", self.L.authy_client_request_sms, authy_id, options=options)

    def verify_token(self, authy_id, token):
        """True when the API accepts the token, False for TOKEN_INVALID (raises otherwise)."""
        try:
            self._call("verify_token", self.L.authy_client_verify_token, authy_id, token)
            return True
        except LibError as e:
            if e.rc == "AUTHY_RESULT_TOKEN_INVALID":
                return False
            raise

    def create_approval_request(self, authy_id, message, **options):
        return self._call("create_approval_request", self.L.authy_client_create_approval_request,
                          authy_id, message, options=options,
                          read=lambda r: self.L.authy_response_approval_uuid(r).decode())

    def approval_status(self, uuid):
        return self._call("approval_request_status", self.L.authy_client_approval_request_status,
                          uuid, read=lambda r: self.L.authy_response_approval_status(r).decode())

    def start_phone_verification(self, cc, phone, **options):
        self._call("start_phone_verification", self.L.authy_client_start_phone_verification,
                   cc, phone, options=options)

    def check_phone_verification(self, cc, phone, code):
        self._call("check_phone_verification", self.L.authy_client_check_phone_verification,
                   cc, phone, code)
        return True

    def callback_verify(self, method, url, nonce, signature, body):
        err = ctypes.c_void_p()
        rc = self.L.authy_callback_verify(self.key.encode(), method.encode(), url.encode(),
                                          nonce.encode(), signature.encode(), body.encode(),
                                          300, 0, ctypes.byref(err))
        if err.value:
            self.L.authy_error_free(err)
        return rc == OK


def twilio_signature(token, url, params):
    """X-Twilio-Signature of a form POST: base64(HMAC-SHA1(token, url + sorted key+value))."""
    data = url + "".join(k + v for k, v in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


class Receiver:
    """Records callbacks (method, path, headers, body) and answers 200 "received"."""

    def __init__(self):
        self.got = queue.Queue()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _any(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n).decode() if n else ""
                outer.got.put({"method": self.command, "path": self.path,
                               "headers": dict(self.headers.items()), "body": body})
                self.send_response(200)
                self.send_header("Content-Length", "8")
                self.end_headers()
                self.wfile.write(b"received")

            do_POST = do_GET = _any

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/authy/callback" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def next(self, timeout=10):
        return self.got.get(timeout=timeout)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Sandbox:
    """authy-sandbox on a free 127.0.0.1 port."""

    def __init__(self, *flags):
        binary = os.environ.get("AUTHY_SANDBOX_BIN", os.path.join(TARGET, "release", "authy-sandbox"))
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([binary, "--port", "0", "--api-key", KEY, "--account-sid", ACCOUNT_SID,
                                      "--auth-token", AUTH_TOKEN, *flags],
                                     stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise RuntimeError("authy-sandbox did not start")
        self.ui = self.url + "/_ui/"

    def control(self, method, path, params=None):
        """The control API, as a test harness would call it (form body, key in a header)."""
        data = urllib.parse.urlencode(params or {}).encode() if method != "GET" else None
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"X-Authy-API-Key": KEY})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def twilio(self, method, path, params=None):
        """Twilio Verify v2 (HTTP Basic with the Account SID and Auth Token, form body)."""
        data = urllib.parse.urlencode(params or {}, doseq=True).encode() if method == "POST" else None
        auth = base64.b64encode(("%s:%s" % (ACCOUNT_SID, AUTH_TOKEN)).encode()).decode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Authorization": "Basic " + auth})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def post_json(self, path, payload):
        """An API caller other than libauthy (any JSON body the API accepts)."""
        req = urllib.request.Request(self.url + path, data=json.dumps(payload).encode(), method="POST",
                                     headers={"X-Authy-API-Key": KEY, "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def browser(width=1100, height=900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="authy-ui-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
                 "--user-data-dir=" + profile, "--window-size=%d,%d" % (width, height)]:
        opts.add_argument(flag)
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=opts)
    driver.set_page_load_timeout(20)
    original_quit = driver.quit

    def quit_and_clean():
        try:
            original_quit()
        finally:
            shutil.rmtree(profile, ignore_errors=True)

    driver.quit = quit_and_clean
    return driver

