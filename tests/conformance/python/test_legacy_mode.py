"""Conformance in the sandbox's legacy mode (`--legacy-unconfirmed-accept-any`), which reproduces
the documented default of api.authy.com: until a user has completed registration (app installed
or one valid code used), verify answers 200 "valid" for ANY token unless `force=true` is sent
(authy-api.md §3.8, §11.5; rs/py/rb READMEs). Run by run.sh as the `python-legacy` suite; skipped
otherwise.
"""

import os
import unittest

from authy.api import AuthyApiClient

import sandbox_support as sb

LEGACY = os.environ.get("AUTHY_CONFORMANCE_LEGACY") == "1"


@unittest.skipUnless(LEGACY, "needs a sandbox started with --legacy-unconfirmed-accept-any")
class LegacyUnconfirmedTest(unittest.TestCase):
    def setUp(self):
        self.api = AuthyApiClient(sb.API_KEY, api_uri=sb.BASE_URL)

    def new_user(self, phone):
        user = self.api.users.create("legacy@example.com", phone, 1)
        self.assertTrue(user.ok(), user.content)
        return user.id

    def test_force_false_accepts_any_token_for_unconfirmed_user(self):
        authy_id = self.new_user("201-555-0901")
        token = self.api.tokens.verify(authy_id, "1234567", {"force": "false"})
        self.assertTrue(token.ok(), token.response.text)

    def test_py_default_force_true_still_refuses(self):
        # py sends force=true unless told otherwise (§3.8): no free pass.
        authy_id = self.new_user("201-555-0902")
        token = self.api.tokens.verify(authy_id, "1234567")
        self.assertFalse(token.ok())
        self.assertEqual(token.response.status_code, 401)
        self.assertEqual(token.errors()["message"], "Token is invalid")

    def test_confirmed_user_gets_no_free_pass(self):
        authy_id = self.new_user("201-555-0903")
        self.assertTrue(self.api.users.request_sms(authy_id).ok())
        self.assertTrue(self.api.tokens.verify(authy_id, sb.last_user_code(authy_id)).ok())
        token = self.api.tokens.verify(authy_id, "7654321", {"force": "false"})
        self.assertFalse(token.ok())
        self.assertEqual(token.response.status_code, 401)

    def test_registered_app_user_gets_no_free_pass(self):
        authy_id = self.new_user("201-555-0904")
        sb.register_device(authy_id)
        token = self.api.tokens.verify(authy_id, "7654321", {"force": "false"})
        self.assertFalse(token.ok())


if __name__ == "__main__":
    unittest.main()
