"""Conformance: the official authy-python client (PyPI `authy` 2.2.6), unmodified, against the sandbox.

Every assertion states what api.authy.com answers according to the client's README/fixtures as
compiled in shared/docs/authy-api.md (section numbers below, §N, refer to it). A failure here is
a fidelity bug of the sandbox unless a comment says otherwise.
"""

import itertools
import json
import re
import time
import unittest

from authy import AuthyFormatException
from authy.api import AuthyApiClient

import sandbox_support as sb

_numbers = itertools.count(100)


def fresh_phone():
    """A cellphone no other test uses (creation is idempotent on country code + number, §3.1)."""
    return "201-555-{0:04d}".format(next(_numbers))


def last2(phone):
    return re.sub(r"\D", "", phone)[-2:]


def last4(phone):
    return re.sub(r"\D", "", phone)[-4:]


class AuthyPythonTest(unittest.TestCase):
    def setUp(self):
        self.api = AuthyApiClient(sb.API_KEY, api_uri=sb.BASE_URL)

    def new_user(self, email=None):
        phone = fresh_phone()
        user = self.api.users.create(email or "user{0}@example.com".format(last4(phone)), phone, 1)
        self.assertTrue(user.ok(), user.content)
        return user.id, phone

    # ---- users ------------------------------------------------------------------------------

    def test_users_create_and_idempotence(self):
        phone = fresh_phone()
        user = self.api.users.create("alice@example.com", phone, 1)
        self.assertTrue(user.ok(), user.content)
        self.assertEqual(user.errors(), {})
        self.assertIsInstance(user.id, int)  # §3.1: user.id is an integer
        self.assertEqual(user["message"], "User created successfully.")
        self.assertIs(user["success"], True)
        self.assertTrue(user.response.headers["Content-Type"].startswith("application/json"))
        # Same cellphone + country code returns the same Authy ID (§3.1, py README).
        again = self.api.users.create("alice@example.com", phone, 1)
        self.assertTrue(again.ok(), again.content)
        self.assertEqual(again.id, user.id)
        # ... also with another e-mail: one cellphone, one Authy ID (§3.1; rs docs).
        other_email = self.api.users.create("alice.work@example.com", phone, 1)
        self.assertTrue(other_email.ok(), other_email.content)
        self.assertEqual(other_email.id, user.id)
        other = self.api.users.create("bob@example.com", fresh_phone(), 1)
        self.assertNotEqual(other.id, user.id)

    def test_users_create_invalid(self):
        user = self.api.users.create("not-an-email", fresh_phone(), 1)
        self.assertFalse(user.ok())
        self.assertEqual(user.response.status_code, 400)
        self.assertIsNone(user.id)
        # §2.2: field errors both in `errors` and at top level; error_code is a string.
        self.assertEqual(user.errors()["email"], "is invalid")
        self.assertEqual(user.errors()["message"], "User was not valid")
        self.assertEqual(user["email"], "is invalid")
        self.assertEqual(user["error_code"], "60027")
        self.assertIs(user["success"], False)

    def test_users_create_invalid_country_code(self):
        user = self.api.users.create("dan@example.com", fresh_phone(), "abc")
        self.assertFalse(user.ok())
        self.assertEqual(user.response.status_code, 400)
        self.assertEqual(user.errors()["country_code"], "is invalid")  # §3.1
        self.assertEqual(user["error_code"], "60027")

    def test_wrong_api_key(self):
        api = AuthyApiClient("not-the-key", api_uri=sb.BASE_URL)
        user = api.users.create("carol@example.com", fresh_phone(), 1)
        self.assertFalse(user.ok())
        self.assertEqual(user.response.status_code, 401)
        self.assertEqual(user.errors()["message"], "Invalid API key")
        self.assertEqual(user["error_code"], "60001")

    def test_users_status(self):
        authy_id, phone = self.new_user()
        status = self.api.users.status(authy_id)
        self.assertTrue(status.ok(), status.content)
        self.assertEqual(status["message"], "User status.")
        st = status["status"]
        self.assertEqual(st["authy_id"], authy_id)
        self.assertIs(st["registered"], False)
        self.assertIsInstance(st["confirmed"], bool)
        self.assertEqual(st["country_code"], 1)
        self.assertEqual(st["phone_number"], "XXX-XXX-" + last4(phone))  # §3.3 / §11.7
        self.assertIsInstance(st["devices"], list)
        self.assertIs(st["has_hard_token"], False)
        self.assertIs(st["account_disabled"], False)
        # Richest recorded shape (rb api_spec fixture, §3.3).
        self.assertIsInstance(st["email"], str)
        self.assertIsInstance(st["detailed_devices"], list)
        self.assertIsInstance(st["deleted_devices"], list)
        # After an app device registers (the handset side, via the sandbox control API).
        sb.register_device(authy_id, "android")
        st = self.api.users.status(authy_id)["status"]
        self.assertIs(st["registered"], True)
        self.assertIn("android", st["devices"])

    def test_users_status_unknown(self):
        status = self.api.users.status(987654321)
        self.assertFalse(status.ok())
        self.assertEqual(status.response.status_code, 404)
        self.assertEqual(status.errors()["message"], "User not found.")
        self.assertEqual(status["error_code"], "60026")

    def test_users_delete(self):
        authy_id, _ = self.new_user()
        deleted = self.api.users.delete(authy_id)
        self.assertTrue(deleted.ok(), deleted.content)
        self.assertEqual(deleted["message"], "User removed from application")  # §3.2, py README
        self.assertIs(deleted["success"], True)
        gone = self.api.users.delete(987654321)
        self.assertFalse(gone.ok())
        self.assertEqual(gone.response.status_code, 404)
        self.assertEqual(gone.errors()["message"], "User not found.")
        self.assertEqual(gone["error_code"], "60026")

    def test_users_delete_is_deferred(self):
        # §3.2: "Deletion is deferred: verifications keep working ~24 h" (rs docs, AuthySE
        # samples README) — a code delivered before the delete still verifies right after it.
        authy_id, _ = self.new_user()
        self.assertTrue(self.api.users.request_sms(authy_id).ok())
        code = sb.last_user_code(authy_id)
        self.assertTrue(self.api.users.delete(authy_id).ok())
        token = self.api.tokens.verify(authy_id, code)
        self.assertTrue(token.ok(), token.response.text)

    def test_unknown_url(self):
        # py does not validate the id of users.status: an empty one makes a path no route
        # matches; the API answers the generic 404 (§3.8, §11.1, node PR #13).
        status = self.api.users.status("")
        self.assertFalse(status.ok())
        self.assertEqual(status.response.status_code, 404)
        self.assertEqual(
            status.errors()["message"],
            "Requested URL was not found. Please check http://docs.authy.com/ to see the valid URLs",
        )
        self.assertIs(status["success"], False)

    def test_request_sms_sent_then_ignored(self):
        authy_id, phone = self.new_user()
        sms = self.api.users.request_sms(authy_id)
        self.assertTrue(sms.ok(), sms.content)
        self.assertFalse(sms.ignored())
        self.assertEqual(sms["message"], "SMS token was sent")
        self.assertEqual(sms["cellphone"], "+1-XXX-XXX-XX" + last2(phone))
        self.assertRegex(sb.last_user_code(authy_id), r"^\d{6,12}$")
        # The user installs the app: SMS is ignored unless forced (§3.6).
        sb.register_device(authy_id, "android")
        sms = self.api.users.request_sms(authy_id)
        self.assertTrue(sms.ok(), sms.content)
        self.assertTrue(sms.ignored())
        self.assertIs(sms["ignored"], True)
        self.assertEqual(sms["device"], "android")
        self.assertEqual(
            sms["message"],
            "Ignored: SMS is not needed for smartphones. "
            "Pass force=true if you want to actually send it anyway.",
        )
        self.assertEqual(sms["cellphone"], "+1-XXX-XXX-XX" + last2(phone))
        # py puts options in the query; Python True arrives as the text "True" (§1.4).
        forced = self.api.users.request_sms(authy_id, {"force": True})
        self.assertTrue(forced.ok(), forced.content)
        self.assertFalse(forced.ignored())
        self.assertEqual(forced["message"], "SMS token was sent")

    def test_request_sms_unknown_user(self):
        sms = self.api.users.request_sms(987654321)
        self.assertFalse(sms.ok())
        self.assertEqual(sms.response.status_code, 404)
        self.assertEqual(sms.errors()["message"], "User not found.")
        self.assertEqual(sms["error_code"], "60026")

    def test_request_call_started_then_ignored(self):
        authy_id, phone = self.new_user()
        call = self.api.users.request_call(authy_id)
        self.assertTrue(call.ok(), call.content)
        self.assertFalse(call.ignored())
        self.assertEqual(call["message"], "Call started...")
        self.assertEqual(call["cellphone"], "+1-XXX-XXX-XX" + last2(phone))
        sb.register_device(authy_id, "iphone")
        call = self.api.users.request_call(authy_id)
        self.assertTrue(call.ok(), call.content)
        self.assertTrue(call.ignored())
        self.assertEqual(call["device"], "iphone")
        # §3.7: note the double space after "using" (java fixture).
        self.assertEqual(
            call["message"],
            "Call ignored. User is using  App Tokens and this call is not necessary. "
            "Pass force=true if you still want to call users that are using the App.",
        )
        forced = self.api.users.request_call(authy_id, {"force": "true"})
        self.assertTrue(forced.ok(), forced.content)
        self.assertFalse(forced.ignored())
        self.assertEqual(forced["message"], "Call started...")

    def test_generate_qr(self):
        authy_id, _ = self.new_user()
        qr = self.api.users.generate_qr(authy_id, size=300, label="Example App")
        self.assertTrue(qr.ok(), qr.content)
        self.assertIsNone(qr.id)
        self.assertRegex(qr["qr_code"], r"^https?://")  # §3.9: a URL of the QR image
        default = self.api.users.generate_qr(authy_id)
        self.assertTrue(default.ok(), default.content)
        self.assertRegex(default["qr_code"], r"^https?://")
        missing = self.api.users.generate_qr(987654321)
        self.assertFalse(missing.ok())
        self.assertEqual(missing.response.status_code, 404)

    def test_registration_status_route(self):
        # py-only no-PII endpoint (§3.10): the response shape is in no public source, so only
        # check the route exists (not the generic 404 "Requested URL was not found") and that
        # the answer is an Authy JSON object.
        authy_id, _ = self.new_user()
        reg = self.api.users.registration_status(authy_id)
        self.assertIsInstance(reg.content, dict)
        self.assertNotIn("Requested URL was not found", str(reg.content.get("message")))

    # ---- tokens -----------------------------------------------------------------------------

    def test_verify_sms_code(self):
        authy_id, _ = self.new_user()
        self.assertTrue(self.api.users.request_sms(authy_id).ok())
        code = sb.last_user_code(authy_id)
        token = self.api.tokens.verify(authy_id, code)
        # Token.ok() needs the compact substring "token":"is valid" in the raw body (§1.5).
        self.assertTrue(token.ok(), token.response.text)
        self.assertEqual(token.errors(), {})
        self.assertEqual(token["token"], "is valid")
        self.assertEqual(token["message"], "Token is valid.")
        self.assertEqual(token["success"], "true")  # §2.1: a string on verify
        self.assertIsInstance(token["device"], dict)  # java TokensTest fixture (§3.8)
        self.assertIn("os_type", token["device"])

    def test_verify_confirms_user(self):
        # `confirmed`: the user has used a valid code before (§3.3).
        authy_id, _ = self.new_user()
        self.assertIs(self.api.users.status(authy_id)["status"]["confirmed"], False)
        self.api.users.request_sms(authy_id)
        self.assertTrue(self.api.tokens.verify(authy_id, sb.last_user_code(authy_id)).ok())
        self.assertIs(self.api.users.status(authy_id)["status"]["confirmed"], True)

    def test_verify_default_force_refuses_arbitrary_token(self):
        # py always sends force=true (§3.8): even an unconfirmed user gets no free pass.
        authy_id, _ = self.new_user()
        token = self.api.tokens.verify(authy_id, "1234567")
        self.assertFalse(token.ok())
        self.assertEqual(token.response.status_code, 401)
        self.assertEqual(token.errors()["message"], "Token is invalid")

    def test_verify_custom_action(self):
        # A code issued for a custom action only verifies with the same `action` (§3.6, §11.6).
        authy_id, _ = self.new_user()
        sms = self.api.users.request_sms(authy_id, {"action": "login", "action_message": "Log in"})
        self.assertTrue(sms.ok(), sms.content)
        code = sb.last_user_code(authy_id)
        other = self.api.tokens.verify(authy_id, code, {"force": "true", "action": "withdraw"})
        self.assertFalse(other.ok())
        self.assertEqual(other.response.status_code, 401)
        same = self.api.tokens.verify(authy_id, code, {"force": "true", "action": "login"})
        self.assertTrue(same.ok(), same.response.text)

    def test_sandbox_magic_codes(self):
        # The old public sandbox (sandbox-api.authy.com) accepted token 0000000 for any user and
        # verification code 0000 for any pending phone verification; py's own sandbox-backed
        # tests relied on that (§3.8, §3.13). The emulator keeps the convention by default.
        authy_id, _ = self.new_user()
        self.assertTrue(self.api.tokens.verify(authy_id, "0000000").ok())
        phone = fresh_phone()
        self.assertTrue(self.api.phones.verification_start(phone, 1).ok())
        self.assertTrue(self.api.phones.verification_check(phone, 1, "0000").ok())

    def test_verify_app_token(self):
        authy_id, _ = self.new_user()
        sb.register_device(authy_id)
        token = self.api.tokens.verify(authy_id, sb.app_token(authy_id))
        self.assertTrue(token.ok(), token.response.text)

    def test_verify_wrong_token(self):
        authy_id, _ = self.new_user()
        self.assertTrue(self.api.users.request_sms(authy_id).ok())
        code = sb.last_user_code(authy_id)
        wrong = str((int(code) + 1) % (10 ** len(code))).zfill(len(code))
        token = self.api.tokens.verify(authy_id, wrong)
        self.assertFalse(token.ok())
        # py sandbox test: status 401 and errors()['message'] == 'Token is invalid' (§3.8).
        self.assertEqual(token.response.status_code, 401)
        self.assertEqual(token.errors()["message"], "Token is invalid")
        self.assertEqual(token["token"], "is invalid")
        self.assertEqual(token["error_code"], "60020")
        self.assertIs(token["success"], False)

    def test_verify_unknown_user(self):
        token = self.api.tokens.verify(987654321, "1234567")
        self.assertFalse(token.ok())
        self.assertEqual(token.response.status_code, 401)  # cs live-sandbox test (§3.8)
        self.assertTrue(token.errors()["message"].startswith("User doesn't exist"))

    def test_verify_client_side_validation(self):
        # Client-side only (§5.1): no request is made; documents that nothing reaches the sandbox.
        with self.assertRaises(AuthyFormatException):
            self.api.tokens.verify(1, "12ab56")
        with self.assertRaises(AuthyFormatException):
            self.api.tokens.verify(1, "12345")

    # ---- app --------------------------------------------------------------------------------

    def test_apps_fetch(self):
        app = self.api.apps.fetch()
        self.assertTrue(app.ok(), app.content)
        self.assertEqual(app["message"], "Application information.")
        self.assertIsInstance(app["app"]["app_id"], int)
        self.assertIsInstance(app["app"]["name"], str)
        self.assertIsInstance(app["app"]["plan"], str)
        self.assertIsInstance(app["app"]["sms_enabled"], bool)
        self.assertIsInstance(app["app"]["phone_calls_enabled"], bool)  # py README

    def test_stats_fetch(self):
        stats = self.api.stats.fetch()
        self.assertTrue(stats.ok(), stats.content)
        self.assertEqual(stats["message"], "Monthly statistics.")
        for key in ("app_id", "count", "total_users"):
            self.assertIsInstance(stats[key], int, key)
        self.assertIsInstance(stats["stats"], list)
        self.assertGreaterEqual(len(stats["stats"]), 1)
        months = {
            "January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December",
        }
        for month in stats["stats"]:
            self.assertEqual(
                set(month),
                {"api_calls_count", "auths_count", "calls_count", "month", "sms_count",
                 "users_count", "year"},
            )
            self.assertIn(month["month"], months)
            self.assertIsInstance(month["year"], int)

    # ---- phones -----------------------------------------------------------------------------

    def test_phone_verification_sms(self):
        phone = fresh_phone()
        start = self.api.phones.verification_start(phone, 1, via="sms")
        self.assertTrue(start.ok(), start.content)
        self.assertIs(start["success"], True)
        self.assertRegex(start["message"], r"^Text message sent to \+1 [\d-]+\.$")
        self.assertTrue(590 <= start["seconds_to_expire"] <= 600, start["seconds_to_expire"])
        self.assertIsInstance(start["uuid"], str)
        self.assertIsInstance(start["is_cellphone"], bool)
        self.assertIn("carrier", start.content)
        code = sb.last_phone_code(1, phone)
        self.assertRegex(code, r"^\d{4}$")  # py always sends code_length (default 4)
        wrong = str((int(code) + 1) % 10000).zfill(4)
        bad = self.api.phones.verification_check(phone, 1, wrong)
        self.assertFalse(bad.ok())
        self.assertEqual(bad.response.status_code, 401)
        self.assertEqual(bad.errors()["message"], "Verification code is incorrect")
        self.assertEqual(bad["error_code"], "60022")
        good = self.api.phones.verification_check(phone, 1, code)
        self.assertTrue(good.ok(), good.content)
        self.assertEqual(good["message"], "Verification code is correct.")
        self.assertIs(good["success"], True)

    def test_phone_verification_resend_same_code(self):
        # Repeated starts within the 10-minute window resend the same code (§3.13).
        phone = fresh_phone()
        first = self.api.phones.verification_start(phone, 1)
        self.assertTrue(first.ok(), first.content)
        code = sb.last_phone_code(1, phone)
        again = self.api.phones.verification_start(phone, 1)
        self.assertTrue(again.ok(), again.content)
        self.assertEqual(sb.last_phone_code(1, phone), code)
        self.assertTrue(self.api.phones.verification_check(phone, 1, code).ok())

    def test_phone_verification_call_code_length(self):
        phone = fresh_phone()
        start = self.api.phones.verification_start(phone, 1, via="call", code_length=6)
        self.assertTrue(start.ok(), start.content)
        self.assertRegex(start["message"], r"^Call to \+1 [\d-]+ initiated$")
        code = sb.last_phone_code(1, phone)
        self.assertRegex(code, r"^\d{6}$")
        self.assertTrue(self.api.phones.verification_check(phone, 1, code).ok())

    def test_phone_verification_locale(self):
        # §3.13: with locale=es the voice start answers in Spanish (authy-java fixture:
        # "Llamada a +1 775-461-5609 fue iniciada."); py passes `locale` through.
        start = self.api.phones.verification_start("775-461-5609", 1, via="call", locale="es")
        self.assertTrue(start.ok(), start.content)
        self.assertEqual(start["message"], "Llamada a +1 775-461-5609 fue iniciada.")

    def test_phone_verification_missing_country_code(self):
        # py sends "country_code": null in its JSON body; rb spec / gist: 400 60004.
        start = self.api.phones.verification_start(fresh_phone(), None)
        self.assertFalse(start.ok())
        self.assertEqual(start.response.status_code, 400)
        self.assertEqual(start["error_code"], "60004")
        self.assertEqual(
            start.errors()["message"], "Invalid parameter: country_code - Parameter is required"
        )

    def test_phone_verification_check_without_start(self):
        phone = fresh_phone()
        check = self.api.phones.verification_check(phone, 1, "1234")
        self.assertFalse(check.ok())
        self.assertEqual(check.response.status_code, 404)
        self.assertEqual(check["error_code"], "60023")
        self.assertRegex(check.errors()["message"], r"^No pending verifications for \+1 [\d-]+ found\.$")

    def test_phone_verification_invalid_number(self):
        start = self.api.phones.verification_start("12", 1)
        self.assertFalse(start.ok())
        self.assertEqual(start.response.status_code, 400)
        self.assertEqual(start["error_code"], "60033")
        self.assertEqual(start.errors()["message"], "Phone number is invalid")

    def test_phone_verification_repeated_country_code(self):
        # A number written with its country code: the API strips it and echoes the number
        # formatted (§3.13; "+1 775-461-5609" in the Spanish call text of authy-java's fixture).
        call = self.api.phones.verification_start("+1 775-461-5609", 1, via="call", locale="es")
        self.assertTrue(call.ok(), call.content)
        self.assertEqual(call["message"], "Llamada a +1 775-461-5609 fue iniciada.")
        sms = self.api.phones.verification_start("1 (775) 461-5609", 1, via="sms")
        self.assertEqual(sms["message"], "Text message sent to +1 775-461-5609.")
        self.assertEqual(sms["uuid"], call["uuid"])  # one verification per number

    def test_phone_verification_invalid_north_american_number(self):
        # NANP area and exchange codes never start with 0 or 1: "Phone number is invalid"
        # (111-111-1111 itself is the old sandbox's test number: see the next test).
        for number in ("111-111-1112", "201-055-0123"):
            start = self.api.phones.verification_start(number, 1)
            self.assertEqual(start.response.status_code, 400, start.content)
            self.assertEqual(start["error_code"], "60033")
            self.assertEqual(start.errors()["message"], "Phone number is invalid")
        # User creation stays lenient.
        self.assertTrue(self.api.users.create("nanp@example.com", "111-111-1111", 1).ok())

    def test_old_sandbox_test_number(self):
        # authy-php's sandbox-era tests (and authy-python's README) start a verification for
        # 111-111-1111 and check code 0000: the old public sandbox accepted that number.
        start = self.api.phones.verification_start("111-111-1111", 1, via="sms")
        self.assertTrue(start.ok(), start.content)
        self.assertEqual(start["message"], "Text message sent to +1 111-111-1111.")
        check = self.api.phones.verification_check("111-111-1111", 1, "0000")
        self.assertTrue(check.ok(), check.content)

    def test_base_url_with_trailing_slash(self):
        # py concatenates api_uri + "/protected/...": a base URL ending in "/" sends
        # "//protected/json/...", which the real API served (authy-java users hit the same).
        api = AuthyApiClient(sb.API_KEY, api_uri=sb.BASE_URL + "/")
        unmatched = sb.control("GET", "/sandbox/requests")[1]["requests"].get("(unmatched)", 0)
        user = api.users.create("slash@example.com", fresh_phone(), 1)
        self.assertTrue(user.ok(), user.content)
        self.assertTrue(api.users.request_sms(user.id, {"force": True}).ok())
        self.assertTrue(api.tokens.verify(user.id, sb.last_user_code(user.id)).ok())
        self.assertTrue(api.phones.info(fresh_phone(), 1).ok())
        counts = sb.control("GET", "/sandbox/requests")[1]["requests"]
        self.assertEqual(counts.get("(unmatched)", 0), unmatched, counts)

    def test_phones_info(self):
        info = self.api.phones.info(fresh_phone(), 1)
        self.assertTrue(info.ok(), info.content)
        self.assertRegex(
            info["message"], r"^Phone number information as of \d+-\d+-\d+ \d+:\d+:\d+ UTC$"
        )
        self.assertIn(info["type"], ("voip", "landline", "cellphone", "unknown"))
        self.assertIsInstance(info["ported"], bool)
        self.assertIsInstance(info["provider"], str)

    # ---- OneTouch ---------------------------------------------------------------------------

    # Mixed case, spaces, non-ASCII and form metacharacters: all must survive the round trip and
    # the signature canonicalisation (§6.1: CGI escaping, byte-order sort).
    DETAILS = {"Username": "alice", "Location": "São Paulo & Co / 100% = sure?"}
    HIDDEN = {"ip_address": "10.1.2.3", "note": "a+b c~d*e"}
    LOGOS = [{"res": "default", "url": "https://example.com/logo.png"}]

    def send_request(self, authy_id, message="Login requested", **kw):
        resp = self.api.one_touch.send_request(
            authy_id, message, details=self.DETAILS, hidden_details=self.HIDDEN,
            logos=self.LOGOS, **kw
        )
        self.assertTrue(resp.ok(), resp.content)
        self.assertIs(resp.status(), True)
        uuid = resp.get_uuid()
        self.assertIsInstance(uuid, str)
        self.assertRegex(uuid, r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        return uuid

    def test_onetouch_send_and_status(self):
        authy_id, _ = self.new_user()
        sb.register_device(authy_id)
        uuid = self.send_request(authy_id)
        status = self.api.one_touch.get_approval_status(uuid)
        self.assertTrue(status.ok(), status.content)
        self.assertIs(status.status(), True)  # py: content['success'], not the approval status
        self.assertEqual(status.get_uuid(), uuid)
        ar = status["approval_request"]
        self.assertEqual(ar["status"], "pending")
        self.assertEqual(ar["uuid"], uuid)
        self.assertEqual(int(ar["_authy_id"]), authy_id)
        # py sends "seconds_to_expire": null when not given: the server default is 86400 (§3.15).
        self.assertEqual(ar["seconds_to_expire"], 86400)
        self.assertIsNone(ar["processed_at"])
        self.assertIsInstance(ar["notified"], bool)
        for key in ("created_at", "updated_at"):
            self.assertRegex(ar[key], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        for key in ("_app_name", "_id", "_user_email", "app_id", "user_id"):
            self.assertIsInstance(ar[key], str, key)
        self.assertIsInstance(ar["_app_serial_id"], int)
        short = self.send_request(authy_id, seconds_to_expire=120)
        self.assertEqual(
            self.api.one_touch.get_approval_status(short)["approval_request"]["seconds_to_expire"],
            120,
        )

    def test_onetouch_minimal_request(self):
        # py always sends all five keys: "details": {}, "hidden_details": {}, "logos": [] and
        # "seconds_to_expire": null (§3.15); the server accepts that.
        authy_id, _ = self.new_user()
        sb.register_device(authy_id)
        resp = self.api.one_touch.send_request(authy_id, "Hello")
        self.assertTrue(resp.ok(), resp.content)
        status = self.api.one_touch.get_approval_status(resp.get_uuid())
        self.assertEqual(status["approval_request"]["seconds_to_expire"], 86400)

    def test_onetouch_expires(self):
        authy_id, _ = self.new_user()
        sb.register_device(authy_id)
        resp = self.api.one_touch.send_request(authy_id, "Soon gone", seconds_to_expire=60)
        self.assertTrue(resp.ok(), resp.content)
        sb.advance_clock(61)
        status = self.api.one_touch.get_approval_status(resp.get_uuid())
        self.assertTrue(status.ok(), status.content)
        self.assertEqual(status["approval_request"]["status"], "expired")  # §3.16

    def test_onetouch_unknown(self):
        missing = self.api.one_touch.send_request(987654321, "hello")
        self.assertFalse(missing.ok())
        self.assertEqual(missing.response.status_code, 404)
        self.assertEqual(missing["error_code"], "60026")
        self.assertIs(missing.get_uuid(), False)
        uuid = "3f05a350-4b2c-0136-f779-12c0c2bf9eaa"
        status = self.api.one_touch.get_approval_status(uuid)
        self.assertFalse(status.ok())
        self.assertEqual(status.response.status_code, 404)
        self.assertEqual(status["error_code"], "60049")
        self.assertEqual(status["message"], "Approval request not found: " + uuid)

    def check_callback_fields(self, params, authy_id, uuid, decision):
        self.assertEqual(params["callback_action"], "approval_request_status")
        self.assertEqual(params["status"], decision)
        self.assertEqual(params["uuid"], uuid)
        self.assertEqual(str(params["authy_id"]), str(authy_id))
        self.assertIn("device_uuid", params)
        self.assertIn("signature", params)
        transaction = params["approval_request"]["transaction"]
        self.assertEqual(transaction["message"], "Login requested")
        self.assertEqual(transaction["details"], self.DETAILS)
        self.assertEqual(transaction["hidden_details"], self.HIDDEN)
        self.assertEqual(params["approval_request"]["logos"], self.LOGOS)
        self.assertIn("expiration_timestamp", params["approval_request"])
        self.assertIn("app_id", params["approval_request"])
        self.assertIn("device", params)  # §3.17: device object of the approving handset
        # §7: expiration_timestamp = created + seconds_to_expire (default 86400).
        self.assertEqual(
            int(params["approval_request"]["expiration_timestamp"])
            - int(transaction["created_at_time"]),
            86400,
        )

    def test_onetouch_post_callback_signature(self):
        authy_id, _ = self.new_user()
        sb.register_device(authy_id)
        with sb.CallbackReceiver() as receiver:
            sb.set_callback(receiver.url, "POST")
            uuid = self.send_request(authy_id)
            answer = sb.decide(uuid, "approve")
            self.assertEqual(answer["callback"]["http_status"], 200, answer)
            got = receiver.next()
        self.assertEqual(got["method"], "POST")
        self.assertEqual(got["path"], "/authy/callback")
        self.assertTrue(got["headers"]["Content-Type"].startswith("application/json"))
        params = json.loads(got["body"].decode())
        self.check_callback_fields(params, authy_id, uuid, "approved")
        signature = got["headers"]["X-Authy-Signature"]
        nonce = got["headers"]["X-Authy-Signature-Nonce"]
        self.assertRegex(nonce, r"^\d+(\.\d+)?$")
        # Real nonces are Unix timestamps (§3.17).
        self.assertLess(abs(float(nonce) - time.time()), 300)
        ot = self.api.one_touch
        self.assertTrue(ot.validate_one_touch_signature(signature, nonce, "POST", receiver.url, params))
        # The same check must fail for a tampered body, a wrong nonce or another URL.
        tampered = dict(params, status="denied")
        self.assertFalse(ot.validate_one_touch_signature(signature, nonce, "POST", receiver.url, tampered))
        self.assertFalse(ot.validate_one_touch_signature(signature, nonce + "1", "POST", receiver.url, params))
        self.assertFalse(ot.validate_one_touch_signature(signature, nonce, "POST", receiver.url + "x", params))
        status = self.api.one_touch.get_approval_status(uuid)["approval_request"]
        self.assertEqual(status["status"], "approved")
        self.assertIsNotNone(status["processed_at"])

    def test_onetouch_get_callback_signature(self):
        authy_id, _ = self.new_user()
        sb.register_device(authy_id)
        with sb.CallbackReceiver() as receiver:
            sb.set_callback(receiver.url, "GET")
            uuid = self.send_request(authy_id)
            answer = sb.decide(uuid, "deny")
            self.assertEqual(answer["callback"]["http_status"], 200, answer)
            got = receiver.next()
        self.assertEqual(got["method"], "GET")
        path, _, query = got["path"].partition("?")
        self.assertEqual(path, "/authy/callback")
        params = sb.rack_parse(query)  # what the receiving web framework hands the app
        self.check_callback_fields(params, authy_id, uuid, "denied")
        signature = got["headers"]["X-Authy-Signature"]
        nonce = got["headers"]["X-Authy-Signature-Nonce"]
        ot = self.api.one_touch
        # The URL signed is the configured one, without the query string (§6.1 step 2).
        self.assertTrue(ot.validate_one_touch_signature(signature, nonce, "GET", receiver.url, params))
        self.assertFalse(ot.validate_one_touch_signature(signature, nonce, "POST", receiver.url, params))
        tampered = dict(params, status="approved")
        self.assertFalse(ot.validate_one_touch_signature(signature, nonce, "GET", receiver.url, tampered))
        self.assertEqual(
            self.api.one_touch.get_approval_status(uuid)["approval_request"]["status"], "denied"
        )

    def test_onetouch_callback_without_logos_or_hidden_details(self):
        # §7 / §3.17: `logos` is null and `transaction.hidden_details` null when none were given;
        # py sends "logos": [] and "hidden_details": {} in that case.
        authy_id, _ = self.new_user()
        sb.register_device(authy_id)
        with sb.CallbackReceiver() as receiver:
            sb.set_callback(receiver.url, "POST")
            resp = self.api.one_touch.send_request(authy_id, "Plain", details={"a": "b"})
            self.assertTrue(resp.ok(), resp.content)
            sb.decide(resp.get_uuid(), "approve")
            got = receiver.next()
        params = json.loads(got["body"].decode())
        self.assertIsNone(params["approval_request"]["logos"])
        self.assertIsNone(params["approval_request"]["transaction"]["hidden_details"])
        self.assertTrue(
            self.api.one_touch.validate_one_touch_signature(
                got["headers"]["X-Authy-Signature"], got["headers"]["X-Authy-Signature-Nonce"],
                "POST", receiver.url, params,
            )
        )

    def test_onetouch_callback_header_names(self):
        # Over HTTP/1.1 Authy sends `X-Authy-Signature` / `X-Authy-Signature-Nonce` in this exact
        # case; authy-java's validator looks them up case-sensitively in a headers map and broke
        # only when HTTP/2 lower-cased them (authy-api.md §5.2, §6.1, authy-java #65).
        authy_id, _ = self.new_user()
        sb.register_device(authy_id)
        with sb.CallbackReceiver() as receiver:
            sb.set_callback(receiver.url, "POST")
            sb.decide(self.send_request(authy_id), "approve")
            got = receiver.next()
        self.assertIn("X-Authy-Signature", got["header_names"])
        self.assertIn("X-Authy-Signature-Nonce", got["header_names"])


if __name__ == "__main__":
    unittest.main()
