"""Conformance of a plan without SMS and voice calls (sandbox started with `--disable-sms
--disable-calls`): authy-python sees the errors the official suites expected from such an
application — "SMS is not enabled" (60007) and "Phone calls are not enabled on this account"
(60006), authy-api.md §3.6, §3.7, §4 — and the app details say so. Run by run.sh as the
`python-plan` suite; skipped otherwise.
"""

import os
import unittest

from authy.api import AuthyApiClient

import sandbox_support as sb

PLAN = os.environ.get("AUTHY_CONFORMANCE_PLAN") == "1"


@unittest.skipUnless(PLAN, "needs a sandbox started with --disable-sms --disable-calls")
class PlanWithoutSmsOrCallsTest(unittest.TestCase):
    def setUp(self):
        self.api = AuthyApiClient(sb.API_KEY, api_uri=sb.BASE_URL)

    def assert_refused(self, resp, code, message):
        self.assertFalse(resp.ok(), resp.content)
        self.assertEqual(resp.response.status_code, 503, resp.content)
        self.assertEqual(resp["error_code"], code)
        self.assertEqual(resp.errors()["message"], message)

    def test_app_details_say_so(self):
        app = self.api.apps.fetch()
        self.assertTrue(app.ok(), app.content)
        self.assertIs(app["app"]["sms_enabled"], False)
        self.assertIs(app["app"]["phone_calls_enabled"], False)

    def test_sms_and_call_tokens_are_refused(self):
        user = self.api.users.create("plan@example.com", "201-555-0801", 1)
        self.assertTrue(user.ok(), user.content)
        self.assert_refused(self.api.users.request_sms(user.id, {"force": True}), "60007",
                            "SMS is not enabled")
        self.assert_refused(self.api.users.request_call(user.id, {"force": True}), "60006",
                            "Phone calls are not enabled on this account")
        # Nothing was delivered.
        status, _ = sb.control("GET", "/sandbox/users/{0}/last_code".format(user.id))
        self.assertEqual(status, 404)

    def test_phone_verification_is_refused(self):
        self.assert_refused(self.api.phones.verification_start("201-555-0802", 1, via="sms"),
                            "60007", "SMS is not enabled")
        self.assert_refused(self.api.phones.verification_start("201-555-0802", 1, via="call"),
                            "60006", "Phone calls are not enabled on this account")

    def test_runtime_switch(self):
        # POST /sandbox/config turns SMS back on for this sandbox (calls stay off).
        status, body = sb.control("POST", "/sandbox/config", {"sms_enabled": "true"})
        self.assertEqual(status, 200, body)
        try:
            start = self.api.phones.verification_start("201-555-0803", 1, via="sms")
            self.assertTrue(start.ok(), start.content)
        finally:
            sb.control("POST", "/sandbox/config", {"sms_enabled": "false"})


if __name__ == "__main__":
    unittest.main()
