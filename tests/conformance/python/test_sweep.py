"""Conformance sweep: authy-python 2.2.6 over many GENERATED inputs (sweep_inputs.py).

Where test_authy_python.py checks one fixed example per feature, each test here runs a feature
over a seeded sample of phone numbers (12 countries, many ways of writing them, valid and
invalid), ids and options, so that a response shape the API gave only for some inputs cannot hide
(as `provider: null` did for ~1 in 10 numbers). Each test collects every mismatch and fails once,
naming the seed and the cases.
"""

import random
import re
import unittest

from authy.api import AuthyApiClient

import sandbox_support as sb
import sweep_inputs as gen

INFO_MESSAGE = re.compile(r"^Phone number information as of \d+-\d+-\d+ \d+:\d+:\d+ UTC$")
TYPES = ("voip", "landline", "cellphone", "unknown")


class SweepTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        print("sweep seed: {0} (CONFORMANCE_SEED reproduces it)".format(gen.SEED))

    def setUp(self):
        self.api = AuthyApiClient(sb.API_KEY, api_uri=sb.BASE_URL)
        # One generator per test, so a test's inputs do not depend on which tests ran before.
        self.rng = random.Random("{0}:{1}".format(gen.SEED, self._testMethodName))
        self.problems = []

    def expect(self, ok, case, what):
        if not ok:
            self.problems.append("{0}: {1}".format(case, what))

    def finish(self, cases):
        self.assertEqual(
            self.problems, [],
            "seed {0}: {1} of {2} cases wrong, first ones:\n{3}".format(
                gen.SEED, len(self.problems), cases, "\n".join(self.problems[:15])))

    # ---- phone verification: 250 numbers, random via / locale / code_length ------------------

    def test_sweep_phone_verification(self):
        cases = gen.phones(self.rng, 250)
        for case in cases:
            via = self.rng.choice(["sms", "call"])
            locale = self.rng.choice(gen.LOCALES + [None, None])
            length = self.rng.randint(4, 10)
            start = self.api.phones.verification_start(case.raw, case.cc, via=via, locale=locale,
                                                       code_length=length)
            if case.invalid:
                self.expect(start.response.status_code == 400 and start["error_code"] == "60033"
                            and start.errors().get("message") == "Phone number is invalid",
                            case, "start: want 400 60033, got {0} {1}".format(
                                start.response.status_code, start.content))
                check = self.api.phones.verification_check(case.raw, case.cc, "1234")
                self.expect(check.response.status_code == 400 and check["error_code"] == "60033",
                            case, "check: want 400 60033, got {0}".format(check.content))
                continue
            shown = gen.pretty(case.cc, case.national)
            if via == "sms":
                want = "Text message sent to {0}.".format(shown)
            elif locale and (locale == "es" or locale.startswith("es-")):
                want = "Llamada a {0} fue iniciada.".format(shown)
            else:
                want = "Call to {0} initiated".format(shown)
            self.expect(start.ok() and start["message"] == want, case,
                        "start {0}/{1}: want {2!r}, got {3}".format(via, locale, want,
                                                                    start.content))
            if not start.ok():
                continue
            self.expect(start["success"] is True and start["seconds_to_expire"] == 599
                        and isinstance(start["uuid"], str)
                        and isinstance(start["is_cellphone"], bool)
                        and isinstance(start["carrier"], str), case,
                        "start shape: {0}".format(start.content))
            code = sb.last_phone_code(case.cc, case.national)
            self.expect(re.fullmatch(r"\d{%d}" % length, code), case,
                        "code {0!r} is not {1} digits".format(code, length))
            if self.rng.random() < 0.5:
                wrong = str((int(code) + 1) % 10 ** length).zfill(length)
                bad = self.api.phones.verification_check(case.raw, case.cc, wrong)
                self.expect(bad.response.status_code == 401 and bad["error_code"] == "60022",
                            case, "wrong code: {0}".format(bad.content))
            good = self.api.phones.verification_check(case.raw, case.cc, code)
            self.expect(good.ok() and good["message"] == "Verification code is correct.", case,
                        "check: {0}".format(good.content))
            again = self.api.phones.verification_check(case.raw, case.cc, code)
            want = "No pending verifications for {0} found.".format(shown)
            self.expect(again.response.status_code == 404
                        and again.errors().get("message") == want, case,
                        "second check: want {0!r}, got {1}".format(want, again.content))
        self.finish(len(cases))

    # ---- phone intelligence: 300 numbers -------------------------------------------------------

    def test_sweep_phones_info(self):
        cases = gen.phones(self.rng, 300, invalid_share=0.2)
        seen = {}
        for case in cases:
            info = self.api.phones.info(case.raw, case.cc)
            if case.invalid and not case.nanp_only:
                self.expect(info.response.status_code == 400 and info["error_code"] == "60033",
                            case, "want 400 60033, got {0}".format(info.content))
                continue
            self.expect(info.ok(), case, "not ok: {0}".format(info.content))
            if not info.ok():
                continue
            c = info.content
            self.expect(INFO_MESSAGE.match(c.get("message", "")), case, "message: {0}".format(c))
            self.expect(c.get("type") in TYPES, case, "type: {0}".format(c))
            self.expect(isinstance(c.get("provider"), str) and c["provider"], case,
                        "provider is not a string: {0}".format(c))
            self.expect(isinstance(c.get("ported"), bool), case, "ported: {0}".format(c))
            self.expect(c.get("success") is True, case, "success: {0}".format(c))
            if case.national:
                # Same number written another way: same answer.
                other = self.api.phones.info(gen.present(self.rng, case.cc, case.national),
                                             case.cc).content
                self.expect(all(other.get(k) == c.get(k) for k in ("type", "provider", "ported")),
                            case, "differs when written otherwise: {0} vs {1}".format(c, other))
                seen[(case.cc, case.national)] = c
        self.assertGreaterEqual(len({v["type"] for v in seen.values()}), 3, seen)
        self.finish(len(cases))

    # ---- users, SMS / call options, verify with actions ---------------------------------------

    def test_sweep_users_sms_call_verify(self):
        valid = [c for c in gen.phones(self.rng, 80, invalid_share=0.2)
                 if not c.invalid or c.nanp_only]
        for case in valid:
            national = case.national or re.sub(r"\D", "", case.raw)
            email = "{0}@example.com".format(gen.word(self.rng))
            user = self.api.users.create(email, case.raw, int(case.cc))
            self.expect(user.ok() and isinstance(user.id, int), case,
                        "create (lenient): {0}".format(user.content))
            if not user.ok():
                continue
            if case.national:
                # One Authy id per number, however it is written (§3.1).
                again = self.api.users.create(email, gen.present(self.rng, case.cc, national),
                                              int(case.cc))
                self.expect(again.id == user.id, case,
                            "same number, new id: {0} vs {1}".format(user.id, again.content))
            via = self.rng.choice(["sms", "call"])
            options = {}
            if self.rng.random() < 0.5:
                options["force"] = self.rng.choice([True, "true", False])
            action = gen.word(self.rng) if self.rng.random() < 0.5 else None
            if action:
                options["action"] = action
                options["action_message"] = gen.text(self.rng)
            send = self.api.users.request_sms if via == "sms" else self.api.users.request_call
            resp = send(user.id, dict(options))
            want = "SMS token was sent" if via == "sms" else "Call started..."
            mask = "+{0}-XXX-XXX-XX{1}".format(case.cc, national[-2:])
            self.expect(resp.ok() and resp["message"] == want and resp["cellphone"] == mask
                        and not resp.ignored(), case,
                        "{0} {1}: {2}".format(via, options, resp.content))
            status = self.api.users.status(user.id)
            self.expect(status.ok()
                        and status["status"]["phone_number"] == "XXX-XXX-" + national[-4:]
                        and status["status"]["country_code"] == int(case.cc), case,
                        "status: {0}".format(status.content))
            code = sb.last_user_code(user.id)
            verify_options = {"action": action} if action else {}
            token = self.api.tokens.verify(user.id, code, dict(verify_options))
            self.expect(token.ok(), case, "verify {0}: {1}".format(verify_options,
                                                                   token.content))
            if action:
                # A code issued for an action verifies only with that action (§3.6).
                other = self.api.tokens.verify(user.id, code, {"action": action + "x"})
                self.expect(not other.ok() and other["error_code"] == "60020", case,
                            "other action accepted: {0}".format(other.content))
        self.finish(len(valid))

    # ---- unknown ids --------------------------------------------------------------------------

    def test_sweep_unknown_ids(self):
        ids = {gen.unknown_id(self.rng) for _ in range(25)}
        for authy_id in ids:
            for name, resp in (("status", self.api.users.status(authy_id)),
                               ("sms", self.api.users.request_sms(authy_id, {"force": True})),
                               ("call", self.api.users.request_call(authy_id))):
                self.expect(resp.response.status_code == 404 and resp["error_code"] == "60026"
                            and resp.errors().get("message") == "User not found.", authy_id,
                            "{0}: {1}".format(name, resp.content))
            token = self.api.tokens.verify(authy_id, gen._digits(self.rng, 7), {})
            self.expect(token.response.status_code == 401 and token["error_code"] == "60016",
                        authy_id, "verify: {0}".format(token.content))
        self.finish(len(ids))

    # ---- OneTouch options ---------------------------------------------------------------------

    def test_sweep_onetouch_options(self):
        user = self.api.users.create("ot@example.com", "201-555-0999", 1)
        self.assertTrue(user.ok(), user.content)
        for n in range(30):
            details = {gen.word(self.rng): gen.text(self.rng)
                       for _ in range(self.rng.randint(0, 4))}
            hidden = {gen.word(self.rng): gen.text(self.rng)
                      for _ in range(self.rng.randint(0, 3))}
            logos = [{"res": res, "url": "https://example.com/{0}.png".format(gen.word(self.rng))}
                     for res in ("default", "low", "med", "high") if self.rng.random() < 0.4]
            ttl = self.rng.choice([None, 0, 60, 300, 3600, 86400])
            message = gen.text(self.rng)
            resp = self.api.one_touch.send_request(user.id, message, seconds_to_expire=ttl,
                                                   details=details, hidden_details=hidden,
                                                   logos=logos)
            case = "request {0} (ttl {1}, {2} details, {3} logos)".format(n, ttl, len(details),
                                                                           len(logos))
            self.expect(resp.ok() and isinstance(resp.get_uuid(), str), case,
                        "create: {0}".format(resp.content))
            if not resp.ok():
                continue
            status = self.api.one_touch.get_approval_status(resp.get_uuid())
            ar = status.content.get("approval_request", {}) if status.ok() else {}
            self.expect(ar.get("status") == "pending" and ar.get("uuid") == resp.get_uuid()
                        and str(ar.get("_authy_id")) == str(user.id)
                        and ar.get("seconds_to_expire") == (86400 if ttl is None else ttl)
                        and ar.get("processed_at") is None, case,
                        "status: {0}".format(status.content))
        self.finish(30)


if __name__ == "__main__":
    unittest.main()
