"""Conformance: twilio-python 9.13.0, unmodified, against authy-sandbox's Verify v2 and Lookup v2.

The expectations are verify-v2.md's (§N below; wire captures in its Appendix A), and where the
doc and the library disagree, the library's real behaviour. Inputs are generated from
CONFORMANCE_SEED (printed once; every failure names it and the input), so a rare shape (a
country, a locale, a 3-digit sha512 TOTP, a friendly name with an apostrophe or an emoji) cannot
hide behind one fixed example.
"""

import base64
import json
import re
import time
import unittest
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, quote, unquote, urlparse

from authy.api import AuthyApiClient
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.request_validator import RequestValidator

import sandbox_support as sb
import twilio_support as tw
import verify_inputs as vin

SID = re.compile(r"^[A-Z]{2}[0-9a-f]{32}$")
EVENTS = ["factor.created", "factor.verified", "factor.deleted", "challenge.approved",
          "challenge.denied"]
LINE_TYPES = {"mobile", "landline", "fixedVoip", "nonFixedVoip", "personal", "tollFree",
              "premium", "sharedCost", "uan", "voicemail", "pager", "unknown"}
AUTHY_TO_LOOKUP = {"cellphone": "mobile", "landline": "landline"}  # Authy phones/info -> Lookup v2
VALIDATION_ERRORS = {"TOO_SHORT", "TOO_LONG", "INVALID_BUT_POSSIBLE", "INVALID_COUNTRY_CODE",
                     "INVALID_LENGTH", "NOT_A_NUMBER"}
# RFC 6238 Appendix B (and verify-v2.md §4.3 for the 6-digit column): unix time -> codes.
RFC6238_KEYS = {  # the RFC's ASCII seeds, Base32 as Verify takes them (sha1 = the OAI example)
    alg: base64.b32encode(seed).decode().rstrip("=") for alg, seed in (
        ("sha1", b"12345678901234567890"), ("sha256", b"12345678901234567890123456789012"),
        ("sha512", b"1234567890" * 6 + b"1234"))
}
RFC6238 = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


def setUpModule():
    print("verify seed: {0} (CONFORMANCE_SEED reproduces it)".format(vin.SEED))


class VerifyTest(unittest.TestCase):
    """Per test: a stock client on the sandbox, a seeded stream, a list of problems."""

    def setUp(self):
        self.client = tw.client()
        self.v2 = self.client.verify.v2
        self.rng = vin.stream(self._testMethodName)
        self.problems = []

    def expect(self, ok, case, what):
        if not ok:
            self.problems.append("{0!r}: {1}".format(case, what))
        return ok

    def finish(self, cases):
        self.assertEqual(self.problems, [], "seed {0}: {1} of {2} cases wrong, first ones:\n{3}".format(
            vin.SEED, len(self.problems), cases, "\n".join(self.problems[:15])))

    def rest_error(self, call, status, code, prefix="Unable to create record"):
        """Runs `call`, expects TwilioRestException(status, code) with the py message prefix."""
        with self.assertRaises(TwilioRestException, msg="seed {0}".format(vin.SEED)) as ctx:
            call()
        err = ctx.exception
        self.assertEqual((err.status, err.code), (status, code), "seed {0}: {1}".format(vin.SEED, err.msg))
        self.assertTrue(err.msg == prefix or err.msg.startswith(prefix + ": "), err.msg)
        return err

    def service(self, **kw):
        kw.setdefault("friendly_name", vin.service_name(self.rng))
        return self.v2.services.create(**kw)

    def shape(self, instance):
        """Every date a library parses is a datetime (py keeps the raw string when the format is
        not YYYY-MM-DDTHH:MM:SSZ), every url and link is absolute on the sandbox. Returns it."""
        for name, value in vars(instance).items():
            if name.startswith("_") or value is None:
                continue
            if name.startswith("date_") or name in ("expiration_date",):
                self.assertIsInstance(value, datetime, "seed {0}: {1}.{2} = {3!r}".format(
                    vin.SEED, type(instance).__name__, name, value))
            if name == "url":
                self.assertTrue(value.startswith(tw.BASE_URL + "/v2/"), (type(instance).__name__, value))
            if name == "links":
                for link in value.values():
                    self.assertTrue(link.startswith(tw.BASE_URL + "/v2/"), (type(instance).__name__, value))
        return instance

    def assert_date(self, value, what):
        self.assertIsInstance(value, datetime, "{0}: {1!r} is not YYYY-MM-DDTHH:MM:SSZ".format(what, value))

    def caught(self, call):
        """(result, None) or (None, TwilioRestException)."""
        try:
            return call(), None
        except TwilioRestException as err:
            return None, err


# ---- Services (§2.1) ----------------------------------------------------------------------------


class ServicesTest(VerifyTest):
    def test_service_create_fetch_update_list_delete(self):
        name = vin.service_name(self.rng)
        s = self.shape(self.v2.services.create(
            friendly_name=name, code_length=7, lookup_enabled=True, skip_sms_to_landlines=False,
            dtmf_input_required=True, tts_name="alice", psd2_enabled=False,
            do_not_share_warning_enabled=True, custom_code_enabled=True, push_include_date=False,
            totp_issuer="Acme Issuer", totp_time_step=45, totp_code_length=7, totp_skew=2,
            verify_event_subscription_enabled=False))
        self.assertRegex(s.sid, SID)
        self.assertTrue(s.sid.startswith("VA"))
        self.assertEqual(s.account_sid, tw.ACCOUNT_SID)
        self.assertEqual((s.friendly_name, s.code_length, s.lookup_enabled, s.skip_sms_to_landlines,
                          s.dtmf_input_required, s.tts_name, s.psd2_enabled,
                          s.do_not_share_warning_enabled, s.custom_code_enabled),
                         (name, 7, True, False, True, "alice", False, True, True))
        self.assertEqual(s.totp, {"issuer": "Acme Issuer", "time_step": 45, "code_length": 7, "skew": 2})
        self.assertIsInstance(s.push, dict)
        self.assertEqual(s.push.get("include_date"), False)
        self.assert_date(s.date_created, "date_created")
        self.assert_date(s.date_updated, "date_updated")
        self.assertEqual(s.url, "{0}/v2/Services/{1}".format(tw.BASE_URL, s.sid))
        for link in ("verification_checks", "verifications", "rate_limits", "entities", "webhooks",
                     "messaging_configurations", "access_tokens"):
            self.assertTrue(s.links[link].startswith(s.url + "/"), (link, s.links))
        got = self.v2.services(s.sid).fetch()
        self.assertEqual((got.sid, got.friendly_name, got.code_length, got.totp, got.date_created),
                         (s.sid, name, 7, s.totp, s.date_created))
        new_name = vin.service_name(self.rng)
        up = self.v2.services(s.sid).update(friendly_name=new_name, lookup_enabled=False, code_length=5)
        self.assertEqual((up.friendly_name, up.lookup_enabled, up.code_length, up.dtmf_input_required),
                         (new_name, False, 5, True))
        self.assertIn(s.sid, [x.sid for x in self.v2.services.list()])
        self.assertIs(self.v2.services(s.sid).delete(), True)
        self.rest_error(lambda: self.v2.services(s.sid).fetch(), 404, 20404, "Unable to fetch record")
        self.rest_error(lambda: self.v2.services(s.sid).delete(), 404, 20404, "Unable to delete record")
        self.assertNotIn(s.sid, [x.sid for x in self.v2.services.list()])

    def test_service_defaults_and_unset_totp(self):
        s = self.service()
        self.assertEqual(s.code_length, 6)
        self.assertEqual(set(s.totp), {"issuer", "time_step", "code_length", "skew"})
        self.assertFalse(s.custom_code_enabled)
        self.assertFalse(s.psd2_enabled)

    def test_service_names_and_code_lengths_sweep(self):
        for _ in range(25):
            name, length = vin.service_name(self.rng), self.rng.randint(4, 10)
            case = (name, length)
            s = self.v2.services.create(friendly_name=name, code_length=length)
            got = self.v2.services(s.sid).fetch()
            self.expect((s.friendly_name, s.code_length, got.friendly_name, got.code_length)
                        == (name, length, name, length), case,
                        "create/fetch: {0!r}/{1} {2!r}/{3}".format(s.friendly_name, s.code_length,
                                                                  got.friendly_name, got.code_length))
        self.finish(25)

    def test_service_bad_code_length_and_missing_name(self):
        for bad in (3, 11):
            err = self.rest_error(lambda: self.v2.services.create(friendly_name="Acme", code_length=bad), 400, 60200)
            self.assertIn("CodeLength", err.msg)
        self.rest_error(lambda: self.v2.services.create(friendly_name=""), 400, 60200)


# ---- Verifications and checks (§2.2, §2.3, §4.1) ---------------------------------------------------


class VerificationsTest(VerifyTest):
    def start(self, svc, to, channel, **kw):
        return self.v2.services(svc.sid).verifications.create(to=to, channel=channel, **kw)

    def check(self, svc, code, **kw):
        return self.v2.services(svc.sid).verification_checks.create(code=code, **kw)

    def test_every_channel_start_resend_check_wrong_right_then_gone(self):
        svc = self.service(code_length=self.rng.randint(4, 10))
        for channel in ("sms", "call", "whatsapp", "email"):
            to = vin.email(self.rng) if channel == "email" else vin.number(self.rng).e164
            case = (channel, to)
            v = self.shape(self.start(svc, to, channel, locale=self.rng.choice(vin.LOCALES)))
            self.assertRegex(v.sid, SID, case)
            self.assertTrue(v.sid.startswith("VE"), case)
            self.assertEqual((v.service_sid, v.account_sid, v.to, v.channel, v.status, v.valid),
                             (svc.sid, tw.ACCOUNT_SID, to, channel, "pending", False), case)
            self.assertEqual((v.lookup, v.amount, v.payee, v.sna), ({}, None, None, None), case)
            self.assert_date(v.date_created, "date_created")
            self.assertEqual(v.url, "{0}/v2/Services/{1}/Verifications/{2}".format(tw.BASE_URL, svc.sid, v.sid))
            self.assertEqual(len(v.send_code_attempts), 1, case)
            self.assertTrue(v.send_code_attempts[0]["attempt_sid"].startswith("VL"), v.send_code_attempts)
            code = tw.delivered_code(svc.sid, to)
            self.assertRegex(code, r"^\d{%d}$" % svc.code_length, case)
            again = self.start(svc, to, channel)  # resend: same verification, same code
            self.assertEqual((again.sid, len(again.send_code_attempts)), (v.sid, 2), case)
            for attempt in again.send_code_attempts:
                self.assertRegex(attempt["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", attempt)
                self.assertEqual(attempt["channel"].lower(), channel, attempt)
            self.assertNotEqual(*[a["attempt_sid"] for a in again.send_code_attempts])
            self.assertEqual(tw.delivered_code(svc.sid, to), code, case)
            self.assertEqual(self.v2.services(svc.sid).verifications(v.sid).fetch().status, "pending")
            wrong = self.check(svc, str((int(code) + 1) % 10 ** len(code)).zfill(len(code)), to=to)
            self.assertEqual((wrong.sid, wrong.status, wrong.valid), (v.sid, "pending", False), case)
            right = self.shape(self.check(svc, code, to=to))
            self.assertEqual((right.sid, right.status, right.valid, right.to, right.channel),
                             (v.sid, "approved", True, to, channel), case)
            # [] in the OAI example; the library's docstring says null unless the channel was sna
            self.assertIn(right.sna_attempts_error_codes, ([], None), case)
            self.assert_date(right.date_updated, "check date_updated")
            # approved = soft-deleted: checks and fetches now answer 404 20404
            self.rest_error(lambda: self.check(svc, code, to=to), 404, 20404)
            self.rest_error(lambda: self.v2.services(svc.sid).verifications(v.sid).fetch(), 404, 20404,
                            "Unable to fetch record")

    def test_check_by_verification_sid(self):
        svc = self.service()
        to = vin.number(self.rng).e164
        v = self.start(svc, to, "sms")
        code = tw.delivered_code(svc.sid, to)
        self.assertEqual(self.check(svc, "0" * 6 if code != "0" * 6 else "1" * 6, verification_sid=v.sid).status, "pending")
        c = self.check(svc, code, verification_sid=v.sid)
        self.assertEqual((c.sid, c.status, c.valid), (v.sid, "approved", True))
        self.rest_error(lambda: self.check(svc, code, verification_sid=v.sid), 404, 20404)

    def test_cancel_and_approve(self):
        svc = self.service()
        to = vin.number(self.rng).e164
        v = self.start(svc, to, "sms")
        code = tw.delivered_code(svc.sid, to)
        c = self.v2.services(svc.sid).verifications(v.sid).update(status="canceled")
        self.assertEqual((c.sid, c.status, c.valid), (v.sid, "canceled", False))
        self.rest_error(lambda: self.check(svc, code, to=to), 404, 20404)
        self.rest_error(lambda: self.v2.services(svc.sid).verifications(v.sid).update(status="canceled"),
                        404, 20404, "Unable to update record")
        fresh = self.start(svc, to, "call")
        self.assertNotEqual(fresh.sid, v.sid)
        a = self.v2.services(svc.sid).verifications(fresh.sid).update(status="approved")
        self.assertEqual((a.status, a.valid), ("approved", True))
        self.rest_error(lambda: self.check(svc, tw.delivered_code(svc.sid, to), to=to), 404, 20404)

    def test_five_sends_then_60203(self):
        svc = self.service()
        to = vin.number(self.rng).e164
        sids = {self.start(svc, to, self.rng.choice(vin.PHONE_CHANNELS)).sid for _ in range(5)}
        self.assertEqual(len(sids), 1)
        err = self.rest_error(lambda: self.start(svc, to, "sms"), 429, 60203)
        self.assertEqual(err.uri, "/Services/{0}/Verifications".format(svc.sid))
        # another number is not affected
        self.start(svc, vin.number(self.rng).e164, "sms")

    def test_five_wrong_checks_then_60202(self):
        svc = self.service()
        to = vin.number(self.rng).e164
        v = self.start(svc, to, "sms")
        code = tw.delivered_code(svc.sid, to)
        wrong = str((int(code) + 7) % 10 ** len(code)).zfill(len(code))
        for i in range(5):
            c = self.check(svc, wrong, to=to)
            self.assertEqual((c.status, c.valid), ("pending", False), "wrong check {0}".format(i + 1))
        self.rest_error(lambda: self.check(svc, code, to=to), 429, 60202)
        fresh = self.start(svc, to, "sms")
        self.assertNotEqual(fresh.sid, v.sid)

    def test_expiry_after_ten_minutes(self):
        svc = self.service()
        to = vin.number(self.rng).e164
        v = self.start(svc, to, "sms")
        code = tw.delivered_code(svc.sid, to)
        sb.advance_clock(590)
        self.assertEqual(self.v2.services(svc.sid).verifications(v.sid).fetch().status, "pending")
        sb.advance_clock(15)
        self.rest_error(lambda: self.check(svc, code, to=to), 404, 20404)
        self.assertNotEqual(self.start(svc, to, "sms").sid, v.sid)

    def test_custom_code_psd2_and_lookup(self):
        svc = self.service(custom_code_enabled=True, psd2_enabled=True, lookup_enabled=True)
        num = vin.number(self.rng)
        custom = "".join(self.rng.choice("0123456789") for _ in range(self.rng.randint(4, 10)))
        v = self.start(svc, num.e164, "sms", custom_code=custom, amount="€39.99", payee="Acme Inc.")
        self.assertEqual((v.amount, v.payee), ("€39.99", "Acme Inc."))
        self.assertIsInstance(v.lookup, dict)
        self.assertIsInstance(v.lookup.get("carrier"), dict, v.lookup)
        self.assertEqual(tw.delivered_code(svc.sid, num.e164), custom)
        c = self.check(svc, custom, to=num.e164, amount="€39.99", payee="Acme Inc.")
        self.assertEqual((c.status, c.valid, c.amount, c.payee), ("approved", True, "€39.99", "Acme Inc."))

    def test_sna_and_auto(self):
        svc = self.service()
        to = vin.number(self.rng).e164
        v = self.start(svc, to, "sna")
        self.assertEqual(v.channel, "sna")
        self.assertIsInstance(v.sna, dict)
        self.assertTrue(v.sna.get("url", "").startswith(tw.BASE_URL + "/"), v.sna)
        # the device opens the carrier URL (§4.1; the sandbox's stub is a control route) ...
        status, body = sb.control("GET", v.sna["url"][len(tw.BASE_URL):])
        self.assertEqual(status, 200, body)
        # ... then the backend checks with To alone
        c = self.v2.services(svc.sid).verification_checks.create(to=to)
        self.assertEqual((c.sid, c.status, c.valid, c.channel), (v.sid, "approved", True, "sna"))
        auto = self.start(svc, vin.number(self.rng).e164, "auto")
        self.assertIn(auto.channel, ("sna", "sms"))

    def test_every_optional_parameter_as_py_sends_it(self):
        # Appendix A.1's first Verification create, field for field (TemplateSid aside).
        svc = self.service(custom_code_enabled=True, psd2_enabled=True)
        to = vin.number(self.rng).e164
        v = self.start(svc, to, "sms", custom_friendly_name=vin.friendly_name(self.rng, 30),
                       send_digits="ww1", locale="en", custom_code="867530", amount="€39.99",
                       payee="Acme Inc.", rate_limits={"my_rate_limit_key": "abc"},
                       channel_configuration={"from": "a@b.com", "from_name": "Bar",
                                              "substitutions": {"username": "x"}},
                       app_hash="AAAAAAAAAAA", template_custom_substitutions='{"AppName":"MyApp"}',
                       device_ip="1.2.3.4", enable_sna_client_token=True, risk_check="enable",
                       tags='{"tenant_id":"1"}')
        self.assertEqual((v.status, v.to), ("pending", to))
        self.assertEqual(tw.delivered_code(svc.sid, to), "867530")

    def test_invalid_to_channel_code_and_service(self):
        svc = self.service()
        for _ in range(20):
            kind, to = vin.invalid_to(self.rng)
            channel = "email" if kind == "words" and self.rng.random() < 0.5 else "sms"
            _, err = self.caught(lambda: self.start(svc, to, channel))
            self.expect(err is not None and (err.status, err.code) == (400, 60200) and "To" in err.msg,
                        (kind, to, channel), "want 400 60200 naming To, got {0}".format(
                            err and (err.status, err.code, err.msg)))
        self.finish(20)
        for channel in ("fax", "pigeon", "SMSS"):
            err = self.rest_error(lambda: self.start(svc, vin.number(self.rng).e164, channel), 400, 60200)
            self.assertIn("Channel", err.msg)
        to = vin.number(self.rng).e164
        self.start(svc, to, "sms")
        for bad in ("123", "12345678901"):
            self.rest_error(lambda: self.check(svc, bad, to=to), 400, 60200)
        unknown = "VA" + "".join(self.rng.choice("0123456789abcdef") for _ in range(32))
        err = self.rest_error(
            lambda: self.v2.services(unknown).verifications.create(to=to, channel="sms"), 404, 20404)
        self.assertEqual(err.uri, "/Services/{0}/Verifications".format(unknown))
        self.assertEqual(err.method, "POST")
        self.rest_error(lambda: self.v2.services(unknown).fetch(), 404, 20404, "Unable to fetch record")

    def test_no_pending_verification_check(self):
        svc = self.service()
        self.rest_error(lambda: self.check(svc, "123456", to=vin.number(self.rng).e164), 404, 20404)

    def test_sweep_numbers_countries_locales_channels(self):
        services = [self.service(code_length=n) for n in range(4, 11)]
        cases = [(n.e164, n) for n in vin.numbers(self.rng, 60)] + \
                [(vin.email(self.rng), "email") for _ in range(12)]
        for to, what in cases:
            svc = self.rng.choice(services)
            channel = "email" if what == "email" else self.rng.choice(vin.PHONE_CHANNELS)
            opts = {}
            if self.rng.random() < 0.7:
                opts["locale"] = self.rng.choice(vin.LOCALES)
            if self.rng.random() < 0.5:
                opts["custom_friendly_name"] = vin.friendly_name(self.rng, 30)
            case = (what, to, channel, svc.code_length, opts)
            v, err = self.caught(lambda: self.start(svc, to, channel, **opts))
            if not self.expect(err is None and v.status == "pending" and v.to == to and v.channel == channel,
                               case, "start: {0}".format(err and err.msg or (v.status, v.to, v.channel))):
                continue
            code = tw.delivered_code(svc.sid, to)
            self.expect(re.fullmatch(r"\d{%d}" % svc.code_length, code), case, "code {0!r}".format(code))
            wrong = (code[:-1] + str((int(code[-1]) + 1) % 10)) if code else "0000"
            c, err = self.caught(lambda: self.check(svc, wrong, to=to))
            self.expect(err is None and (c.status, c.valid) == ("pending", False), case,
                        "wrong check: {0}".format(err and err.msg or c.status))
            c, err = self.caught(lambda: self.check(svc, code, to=to))
            self.expect(err is None and (c.status, c.valid, c.sid) == ("approved", True, v.sid), case,
                        "right check: {0}".format(err and err.msg or (c.status, c.sid)))
        self.finish(len(cases))


# ---- Entities, TOTP factors and challenges (§2.4-§2.6, §4.3) ------------------------------------------


class TotpTest(VerifyTest):
    def test_rfc6238_vectors_of_our_own_totp(self):
        for t, sha1, sha256, sha512 in RFC6238:
            self.assertEqual(tw.totp(RFC6238_KEYS["sha1"], t, 30, 8, "sha1"), sha1)
            self.assertEqual(tw.totp(RFC6238_KEYS["sha256"], t, 30, 8, "sha256"), sha256)
            self.assertEqual(tw.totp(RFC6238_KEYS["sha512"], t, 30, 8, "sha512"), sha512)
            self.assertEqual(tw.totp(RFC6238_KEYS["sha1"], t, 30, 6, "sha1"), sha1[2:])
        self.assertEqual(tw.totp(RFC6238_KEYS["sha1"], 59, 30, 3, "sha1"), "082")
        self.assertEqual(tw.totp(RFC6238_KEYS["sha1"], 59, 60, 6, "sha1"), "755224")

    def test_entity_create_fetch_list_delete(self):
        svc = self.service()
        ids = [vin.identity(self.rng) for _ in range(12)]
        for identity in ids:
            e = self.shape(self.v2.services(svc.sid).entities.create(identity=identity))
            self.assertTrue(e.sid.startswith("YE"), e.sid)
            self.assertEqual((e.identity, e.service_sid, e.account_sid), (identity, svc.sid, tw.ACCOUNT_SID))
            self.assertEqual(e.url, "{0}/v2/Services/{1}/Entities/{2}".format(tw.BASE_URL, svc.sid, identity))
            self.assertEqual(set(e.links), {"factors", "new_factors", "challenges"})
            self.assertEqual(self.v2.services(svc.sid).entities(identity).fetch().sid, e.sid)
        self.assertEqual(sorted(x.identity for x in self.v2.services(svc.sid).entities.list()), sorted(ids))
        self.assertIs(self.v2.services(svc.sid).entities(ids[0]).delete(), True)
        self.rest_error(lambda: self.v2.services(svc.sid).entities(ids[0]).fetch(), 404, 20404,
                        "Unable to fetch record")

    def test_invalid_identity(self):
        svc = self.service()
        for bad in ("short12", "has space in it", "a--double-dash", "x" * 65):
            self.rest_error(lambda: self.v2.services(svc.sid).entities.create(identity=bad), 400, 60306)

    def enrol(self, svc, identity, config, secret=None, name=None):
        kw = {"config_alg": config["alg"], "config_code_length": config["code_length"],
              "config_time_step": config["time_step"], "config_skew": config["skew"]}
        if secret:
            kw["binding_secret"] = secret
        return self.v2.services(svc.sid).entities(identity).new_factors.create(
            friendly_name=name or vin.friendly_name(self.rng), factor_type="totp", **kw)

    def check_uri(self, f, issuer, config, case):
        uri = urlparse(f.binding["uri"])
        q = {k: v[0] for k, v in parse_qs(uri.query).items()}
        self.expect(uri.scheme == "otpauth" and uri.netloc == "totp" and not uri.fragment
                    and unquote(uri.path) == "/{0}:{1}".format(issuer, f.friendly_name), case,
                    "uri label {0}".format(f.binding["uri"]))
        self.expect(q.get("secret") == f.binding["secret"] and q.get("issuer") == issuer
                    and q.get("algorithm") == config["alg"].upper()
                    and q.get("digits") == str(config["code_length"])
                    and q.get("period") == str(config["time_step"]), case, "uri query {0}".format(q))

    def test_totp_factors_sweep_enrol_verify_challenge(self):
        issuer = vin.service_name(self.rng)
        svc = self.service(totp_issuer=issuer)
        n = 18
        for i in range(n):
            config = vin.totp_config(self.rng)
            if i < 3:  # every algorithm at least once, at the edges of the ranges
                config.update(alg=vin.ALGS[i], code_length=[3, 8, 6][i], time_step=[20, 60, 30][i])
            identity = vin.identity(self.rng)
            given = vin.secret(self.rng) if self.rng.random() < 0.5 else None
            name = vin.friendly_name(self.rng)
            case = (identity, name, config, given)
            f, err = self.caught(lambda: self.enrol(svc, identity, config, given, name))
            if not self.expect(err is None, case, "create: {0}".format(err and err.msg)):
                continue
            self.expect(f.sid.startswith("YF") and f.status == "unverified" and f.factor_type == "totp"
                        and f.friendly_name == name and f.identity == identity, case,
                        "create: {0} {1} {2!r}".format(f.sid, f.status, f.friendly_name))
            self.expect(f.config == {"alg": config["alg"], "code_length": config["code_length"],
                                     "time_step": config["time_step"], "skew": config["skew"]},
                        case, "config {0}".format(f.config))
            secret = (f.binding or {}).get("secret")
            if not self.expect(isinstance(secret, str) and (given is None or secret == given), case,
                               "binding {0}".format(f.binding)):
                continue
            self.check_uri(f, issuer, config, case)
            step, digits, alg = config["time_step"], config["code_length"], config["alg"]
            now = tw.start_of_step(step)
            code = tw.totp(secret, now, step, digits, alg)
            wrong = tw.outside_code(secret, now, config)
            ctx = self.v2.services(svc.sid).entities(identity).factors(f.sid)
            r = ctx.update(auth_payload=wrong)
            self.expect(r.status == "unverified", case, "wrong code {0} -> {1}".format(wrong, r.status))
            r = ctx.update(auth_payload=code)
            self.expect(r.status == "verified", case, "code {0} at {1} -> {2}".format(code, now, r.status))
            got = self.shape(ctx.fetch())
            # binding only in the create answer (§2.5); py's FactorInstance has no such attribute
            self.expect(getattr(got, "binding", None) is None and got.status == "verified", case,
                        "fetch: binding {0} status {1}".format(getattr(got, "binding", None), got.status))
            # a challenge answered in one call, one right at creation and one later
            now = tw.start_of_step(step)
            code = tw.totp(secret, now, step, digits, alg)
            challenges = self.v2.services(svc.sid).entities(identity).challenges
            c = self.shape(challenges.create(factor_sid=f.sid, auth_payload=code))
            self.expect(c.status == "approved" and c.factor_type == "totp" and c.sid.startswith("YC"),
                        case, "challenge with code: {0}".format(c.status))
            w = challenges.create(factor_sid=f.sid, auth_payload=tw.outside_code(secret, now, config))
            self.expect(w.status == "pending", case, "challenge with wrong code: {0}".format(w.status))
            r = challenges(w.sid).update(auth_payload=code)
            self.expect(r.status == "approved", case, "challenge update with code: {0}".format(r.status))
        self.finish(n)

    def test_rfc6238_vectors_through_the_sandbox(self):
        svc = self.service()
        identity = vin.identity(self.rng)
        start = tw.sandbox_now()
        try:
            # vectors at least 10 s before the end of their 30 s step (skew 0 here)
            for t, sha1, sha256, sha512 in [v for v in RFC6238 if 0 < v[0] < 10 ** 10 and v[0] % 30 <= 20]:
                for alg, code in (("sha1", sha1), ("sha256", sha256), ("sha512", sha512)):
                    f = self.enrol(svc, identity, {"alg": alg, "code_length": 8, "time_step": 30, "skew": 0},
                                   RFC6238_KEYS[alg])
                    sb.advance_clock(t - tw.sandbox_now())
                    r = self.v2.services(svc.sid).entities(identity).factors(f.sid).update(auth_payload=code)
                    self.assertEqual(r.status, "verified", (t, alg, code))
        finally:
            sb.advance_clock(start - tw.sandbox_now())

    def test_skew_window_edges(self):
        svc = self.service()
        identity = vin.identity(self.rng)
        for skew in (0, 1, 2):
            config = {"alg": "sha1", "code_length": 6, "time_step": 30, "skew": skew}
            f = self.enrol(svc, identity, config)
            secret = f.binding["secret"]
            now = tw.start_of_step(30)
            ctx = self.v2.services(svc.sid).entities(identity).factors(f.sid)
            outside = [tw.totp(secret, now - (skew + 1) * 30), tw.totp(secret, now + (skew + 1) * 30)]
            inside = tw.totp(secret, now - skew * 30)
            for code in outside:
                if code != inside:
                    self.assertEqual(ctx.update(auth_payload=code).status, "unverified", (skew, code))
            self.assertEqual(ctx.update(auth_payload=inside).status, "verified", skew)
            now = tw.start_of_step(30)
            challenges = self.v2.services(svc.sid).entities(identity).challenges
            self.assertEqual(challenges.create(factor_sid=f.sid, auth_payload=tw.totp(secret, now + skew * 30)).status,
                             "approved", skew)

    def test_factor_config_update(self):
        svc = self.service()
        identity = vin.identity(self.rng)
        old = {"alg": "sha1", "code_length": 6, "time_step": 30, "skew": 1}
        f = self.enrol(svc, identity, old)
        secret = f.binding["secret"]
        ctx = self.v2.services(svc.sid).entities(identity).factors(f.sid)
        self.assertEqual(ctx.update(auth_payload=tw.totp(secret, tw.start_of_step(30))).status, "verified")
        for _ in range(4):
            new = vin.totp_config(self.rng)
            up = ctx.update(config_alg=new["alg"], config_code_length=new["code_length"],
                            config_time_step=new["time_step"], config_skew=new["skew"])
            self.assertEqual(up.config, new, (old, new))
            now = tw.start_of_step(new["time_step"])
            code = tw.totp(secret, now, new["time_step"], new["code_length"], new["alg"])
            c = self.v2.services(svc.sid).entities(identity).challenges.create(factor_sid=f.sid, auth_payload=code)
            self.assertEqual(c.status, "approved", (vin.SEED, new, code))
            old = new

    def test_service_totp_defaults_apply(self):
        svc = self.service(totp_issuer="Def Issuer", totp_time_step=45, totp_code_length=7, totp_skew=0)
        identity = vin.identity(self.rng)
        f = self.v2.services(svc.sid).entities(identity).new_factors.create(
            friendly_name="John's phone", factor_type="totp")
        self.assertEqual(f.config, {"alg": "sha1", "code_length": 7, "time_step": 45, "skew": 0})
        self.check_uri(f, "Def Issuer", {"alg": "sha1", "code_length": 7, "time_step": 45}, "service defaults")
        self.finish(1)
        # the entity was created by the factor create
        self.assertEqual(self.v2.services(svc.sid).entities(identity).fetch().identity, identity)

    def test_factor_five_wrong_codes_then_60310(self):
        svc = self.service()
        identity = vin.identity(self.rng)
        f = self.enrol(svc, identity, {"alg": "sha1", "code_length": 6, "time_step": 30, "skew": 0})
        ctx = self.v2.services(svc.sid).entities(identity).factors(f.sid)
        now = tw.start_of_step(30)
        good = tw.totp(f.binding["secret"], now)
        wrong = str((int(good) + 1) % 10 ** 6).zfill(6)
        for i in range(5):
            self.assertEqual(ctx.update(auth_payload=wrong).status, "unverified", i)
        self.rest_error(lambda: ctx.update(auth_payload=good), 429, 60310, "Unable to update record")

    def test_challenge_five_wrong_codes_then_60308_and_unverified_60318(self):
        svc = self.service()
        identity = vin.identity(self.rng)
        f = self.enrol(svc, identity, {"alg": "sha256", "code_length": 6, "time_step": 30, "skew": 1})
        challenges = self.v2.services(svc.sid).entities(identity).challenges
        self.rest_error(lambda: challenges.create(factor_sid=f.sid, auth_payload="123456"), 403, 60318)
        ctx = self.v2.services(svc.sid).entities(identity).factors(f.sid)
        secret = f.binding["secret"]
        now = tw.start_of_step(30)
        self.assertEqual(ctx.update(auth_payload=tw.totp(secret, now, alg="sha256")).status, "verified")
        c = challenges.create(factor_sid=f.sid)
        self.assertEqual(c.status, "pending")
        good = tw.totp(secret, now, alg="sha256")
        wrong = str((int(good) + 5) % 10 ** 6).zfill(6)
        for i in range(5):
            self.assertEqual(challenges(c.sid).update(auth_payload=wrong).status, "pending", i)
        self.rest_error(lambda: challenges(c.sid).update(auth_payload=good), 429, 60308, "Unable to update record")

    def test_factor_list_and_delete(self):
        svc = self.service()
        identity = vin.identity(self.rng)
        sids = [self.enrol(svc, identity, vin.totp_config(self.rng)).sid for _ in range(4)]
        factors = self.v2.services(svc.sid).entities(identity).factors
        self.assertEqual(sorted(f.sid for f in factors.list(page_size=3)), sorted(sids))
        self.assertIs(factors(sids[0]).delete(), True)
        self.rest_error(lambda: factors(sids[0]).fetch(), 404, 20404, "Unable to fetch record")
        self.assertEqual(len(factors.list()), 3)
        name = vin.friendly_name(self.rng)
        self.assertEqual(factors(sids[1]).update(friendly_name=name).friendly_name, name)
        self.assertEqual(factors(sids[1]).fetch().friendly_name, name)
        self.assertIs(self.v2.services(svc.sid).entities(identity).delete(), True)
        self.rest_error(lambda: factors(sids[1]).fetch(), 404, 20404, "Unable to fetch record")


# ---- Push (§2.5, §2.6, §4.4) ----------------------------------------------------------------------------


class PushHelpers:
    """What the Verify Push device and the customer's backend do around the library."""

    def push_factor(self, svc, identity, device, verify=True):
        platform = self.rng.choice(["fcm", "apn", "none"])
        kw = {}
        if platform != "none":
            kw["config_notification_token"] = "".join(self.rng.choice("0123456789abcdef") for _ in range(64))
        f = self.v2.services(svc.sid).entities(identity).new_factors.create(
            friendly_name=vin.friendly_name(self.rng), factor_type="push", binding_alg="ES256",
            binding_public_key=device.public_key, config_app_id="com.example.app",
            config_notification_platform=platform, config_sdk_version="0.9.0",
            metadata={"os": "Android"}, **kw)
        self.shape(f)
        self.assertEqual((f.factor_type, f.status, f.metadata), ("push", "unverified", {"os": "Android"}))
        self.assertIsInstance(f.config.get("credential_sid"), str, f.config)
        if verify:
            r = self.v2.services(svc.sid).entities(identity).factors(f.sid).update(
                auth_payload=device.sign_factor(f.sid))
            self.assertEqual(r.status, "verified")
        return f

    def push_challenge(self, svc, identity, factor, **kw):
        message, fields, hidden = vin.details(self.rng)
        c = self.v2.services(svc.sid).entities(identity).challenges.create(
            factor_sid=factor.sid, details_message=message, details_fields=fields,
            hidden_details=hidden or None, **kw)
        return self.shape(c), message, fields, hidden

    def answer(self, svc, identity, device, sid, status, **kw):
        """What the device does: fetch, read Twilio-Verify-Signature-Fields, sign, post."""
        ctx = self.v2.services(svc.sid).entities(identity).challenges(sid)
        info = ctx.fetch_with_http_info()
        fields = tw.header(info.headers, "Twilio-Verify-Signature-Fields")
        self.assertTrue(fields, "no Twilio-Verify-Signature-Fields on a pending push challenge")
        return ctx.update(auth_payload=tw.challenge_answer(device, info.data, fields, status), **kw)


class PushTest(PushHelpers, VerifyTest):

    def test_push_factor_challenges_approved_and_denied_sweep(self):
        svc = self.service()
        n = 8
        for i in range(n):
            identity, device = vin.identity(self.rng), tw.Device()
            f = self.push_factor(svc, identity, device)
            for decision in ("approved", "denied"):
                c, message, fields, hidden = self.push_challenge(svc, identity, f)
                case = (i, decision, message, fields, hidden)
                self.expect(c.status == "pending" and c.factor_type == "push" and c.factor_sid == f.sid
                            and c.identity == identity and c.responded_reason in ("none", None), case,
                            "create: {0} {1}".format(c.status, c.factor_type))
                self.expect(c.details.get("message") == message and (c.details.get("fields") or []) == fields,
                            case, "details {0}".format(c.details))
                self.expect((c.hidden_details or {}) == hidden, case, "hidden {0}".format(c.hidden_details))
                self.expect(c.expiration_date - c.date_created == timedelta(minutes=5), case,
                            "expiry {0} - {1}".format(c.expiration_date, c.date_created))
                meta = {vin.word(self.rng): vin.friendly_name(self.rng, 30)} if decision == "approved" else None
                r, err = self.caught(lambda: self.answer(svc, identity, device, c.sid, decision, metadata=meta))
                if not self.expect(err is None and r.status == decision, case,
                                   "answer: {0}".format(err and err.msg or r.status)):
                    continue
                self.expect(r.metadata == meta, case, "metadata {0} (sent {1})".format(r.metadata, meta))
                got = self.shape(self.v2.services(svc.sid).entities(identity).challenges(c.sid).fetch())
                self.expect(got.status == decision and isinstance(got.date_responded, datetime), case,
                            "fetch after answer: {0} {1}".format(got.status, got.date_responded))
                ctx = self.v2.services(svc.sid).entities(identity).challenges(c.sid)
                _, err = self.caught(lambda: ctx.update(auth_payload=device.jwt({"status": decision})))
                self.expect(err is not None and (err.status, err.code) == (403, 60322), case,
                            "second answer: {0}".format(err and (err.status, err.code)))
        self.finish(2 * n)

    def test_details_at_their_length_limits(self):
        svc = self.service()
        identity, device = vin.identity(self.rng), tw.Device()
        f = self.push_factor(svc, identity, device)
        for _ in range(3):
            message, fields, hidden = vin.details_at_limits(self.rng)
            case = (message, fields, hidden)
            c, err = self.caught(lambda: self.v2.services(svc.sid).entities(identity).challenges.create(
                factor_sid=f.sid, details_message=message, details_fields=fields, hidden_details=hidden))
            if not self.expect(err is None, case, "create: {0}".format(err and err.msg)):
                continue
            self.expect((c.details["message"], c.details["fields"], c.hidden_details) == (message, fields, hidden),
                        case, "echo {0} {1}".format(c.details, c.hidden_details))
            # (not answered here: a JWT over details this size exceeds AuthPayload's 5456 characters)
        g, err = self.caught(lambda: self.v2.services(svc.sid).entities(identity).new_factors.create(
            friendly_name=vin.long_text(self.rng, 64), factor_type="totp"))
        self.expect(err is None and len(g.friendly_name) == 64, "64-character factor name",
                    "create: {0}".format(err and err.msg))
        self.finish(4)

    def test_device_authentication_as_the_sdks_do(self):
        svc = self.service()
        identity, device = vin.identity(self.rng), tw.Device()
        token = self.v2.services(svc.sid).access_tokens.create(identity=identity, factor_type="push").token
        enrolling = tw.client("token", token)  # the app enrols with the backend's AccessToken
        f = enrolling.verify.v2.services(svc.sid).entities(identity).new_factors.create(
            friendly_name=vin.friendly_name(self.rng), factor_type="push", binding_alg="ES256",
            binding_public_key=device.public_key, config_app_id="com.example.app",
            config_notification_platform="none", config_sdk_version="0.9.0")
        self.assertEqual(f.status, "unverified")
        phone = tw.device_client(device, f.config["credential_sid"], tw.sandbox_now()).verify.v2 \
            .services(svc.sid).entities(identity)
        self.assertEqual(phone.factors(f.sid).update(auth_payload=device.sign_factor(f.sid)).status, "verified")
        c, *_ = self.push_challenge(svc, identity, f)
        self.assertIn(c.sid, [x.sid for x in phone.challenges.list(status="pending")])
        info = phone.challenges(c.sid).fetch_with_http_info()
        fields = tw.header(info.headers, "Twilio-Verify-Signature-Fields")
        answer = tw.challenge_answer(device, info.data, fields, "approved")
        self.assertEqual(phone.challenges(c.sid).update(auth_payload=answer).status, "approved")
        self.assertEqual(phone.challenges(c.sid).fetch().status, "approved")
        # someone else's key, or the AccessToken outside factor creation, opens nothing
        stranger = tw.device_client(tw.Device(), f.config["credential_sid"], tw.sandbox_now())
        self.rest_error(lambda: stranger.verify.v2.services(svc.sid).entities(identity).factors(f.sid).fetch(),
                        401, 20003, "Unable to fetch record")
        self.rest_error(lambda: enrolling.verify.v2.services(svc.sid).entities(identity).factors(f.sid).fetch(),
                        401, 20003, "Unable to fetch record")
        self.rest_error(lambda: tw.client("token", token).verify.v2.services(svc.sid).entities(
            vin.identity(self.rng)).new_factors.create(
                friendly_name="x", factor_type="push", binding_alg="ES256", binding_public_key=device.public_key,
                config_app_id="com.example.app", config_notification_platform="none", config_sdk_version="0.9.0"),
            401, 20003)

    def test_bad_answers(self):
        svc = self.service()
        identity, device = vin.identity(self.rng), tw.Device()
        f = self.push_factor(svc, identity, device)
        c, *_ = self.push_challenge(svc, identity, f)
        ctx = self.v2.services(svc.sid).entities(identity).challenges(c.sid)
        info = ctx.fetch_with_http_info()
        self.assertEqual(info.status_code, 200)
        fields = tw.header(info.headers, "Twilio-Verify-Signature-Fields")
        other = tw.Device()
        self.rest_error(lambda: ctx.update(auth_payload=tw.challenge_answer(other, info.data, fields, "approved")),
                        403, 60324, "Unable to update record")
        tampered = tw.challenge_answer(device, info.data, fields, "approved")
        head, body, sig = tampered.split(".")
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        claims["status"] = "denied"  # signed as approved, claims changed afterwards
        forged = "{0}.{1}.{2}".format(head, tw.b64url(json.dumps(claims).encode()), sig)
        self.rest_error(lambda: ctx.update(auth_payload=forged), 403, 60324, "Unable to update record")
        self.rest_error(lambda: ctx.update(auth_payload=device.jwt({"status": "approved"})), 403, 60324,
                        "Unable to update record")
        self.rest_error(lambda: ctx.update(auth_payload="sig"), 400, 60381, "Unable to update record")
        self.assertEqual(ctx.fetch().status, "pending")
        self.assertEqual(self.answer(svc, identity, device, c.sid, "approved").status, "approved")

    def test_expiry_default_custom_and_60323(self):
        svc = self.service()
        identity, device = vin.identity(self.rng), tw.Device()
        f = self.push_factor(svc, identity, device)
        now = datetime.fromtimestamp(tw.sandbox_now(), timezone.utc).replace(microsecond=0)
        custom, *_ = self.push_challenge(svc, identity, f, expiration_date=now + timedelta(minutes=10))
        self.assertEqual(custom.expiration_date, now + timedelta(minutes=10))
        c, *_ = self.push_challenge(svc, identity, f)
        ctx = self.v2.services(svc.sid).entities(identity).challenges(c.sid)
        info = ctx.fetch_with_http_info()
        jwt = tw.challenge_answer(device, info.data, tw.header(info.headers, "Twilio-Verify-Signature-Fields"),
                                  "approved")
        sb.advance_clock(301)
        self.rest_error(lambda: ctx.update(auth_payload=jwt), 403, 60323, "Unable to update record")
        self.assertEqual(ctx.fetch().status, "expired")
        self.assertEqual(self.v2.services(svc.sid).entities(identity).challenges(custom.sid).fetch().status, "pending")

    def test_factor_errors(self):
        svc = self.service()
        identity, device = vin.identity(self.rng), tw.Device()
        self.rest_error(lambda: self.v2.services(svc.sid).entities(identity).new_factors.create(
            friendly_name="bad key", factor_type="push", binding_alg="ES256", binding_public_key="dGVzdF9rZXk=",
            config_app_id="com.example.app", config_notification_platform="none", config_sdk_version="1.0"),
            400, 60314)
        f = self.push_factor(svc, identity, device, verify=False)
        self.rest_error(lambda: self.push_challenge(svc, identity, f), 403, 60318)
        ctx = self.v2.services(svc.sid).entities(identity).factors(f.sid)
        r, err = self.caught(lambda: ctx.update(auth_payload=tw.Device().sign_factor(f.sid)))
        # §2.5: 403 60311 recommended; 200 `unverified` is what real TOTP answers (unconfirmed)
        self.assertTrue((err is not None and (err.status, err.code) == (403, 60311))
                        or (err is None and r.status == "unverified"), err and err.msg)
        self.assertEqual(ctx.update(auth_payload=device.sign_factor(f.sid)).status, "verified")

    def test_list_filters_notifications_and_access_tokens(self):
        svc = self.service()
        identity, device = vin.identity(self.rng), tw.Device()
        f = self.push_factor(svc, identity, device)
        made = [self.push_challenge(svc, identity, f)[0].sid for _ in range(5)]
        self.answer(svc, identity, device, made[0], "denied")
        challenges = self.v2.services(svc.sid).entities(identity).challenges
        pending = challenges.list(factor_sid=f.sid, status="pending", order="desc", page_size=2)
        self.assertEqual(sorted(c.sid for c in pending), sorted(made[1:]))
        self.assertEqual([c.sid for c in challenges.list(status="denied")], [made[0]])
        n = self.shape(challenges(made[1]).notifications.create(ttl=150))
        self.assertTrue(n.sid.startswith("NT"), n.sid)
        self.assertEqual((n.ttl, n.challenge_sid, n.identity), (150, made[1], identity))
        t = self.shape(self.v2.services(svc.sid).access_tokens.create(
            identity=identity, factor_type="push", factor_friendly_name=vin.friendly_name(self.rng), ttl=120))
        self.assertTrue(t.sid.startswith("YK"), t.sid)
        self.assertTrue(isinstance(t.token, str) and t.token)
        self.assertEqual((t.ttl, t.entity_identity, t.factor_type), (120, identity, "push"))
        self.assertEqual(self.v2.services(svc.sid).access_tokens(t.sid).fetch().sid, t.sid)


# ---- Webhooks and their signatures (§2.7, §4.5) ------------------------------------------------------------


class WebhooksTest(PushHelpers, VerifyTest):
    def test_webhook_create_fetch_list_update_delete(self):
        svc = self.service()
        hooks = self.v2.services(svc.sid).webhooks
        name = vin.friendly_name(self.rng)
        w = self.shape(hooks.create(friendly_name=name, event_types=["factor.verified", "challenge.approved"],
                                    webhook_url="https://example.com/h?x=1", status="enabled",
                                    resource_version="v2"))
        self.assertTrue(w.sid.startswith("YW"), w.sid)
        self.assertEqual((w.friendly_name, sorted(w.event_types), w.status, w.version, w.webhook_url,
                          w.webhook_method), (name, ["challenge.approved", "factor.verified"], "enabled",
                                              "v2", "https://example.com/h?x=1", "POST"))
        self.assertEqual(hooks(w.sid).fetch().sid, w.sid)
        up = hooks(w.sid).update(status="disabled", event_types=["*"])
        self.assertEqual((up.status, up.event_types), ("disabled", ["*"]))
        self.assertEqual([x.sid for x in hooks.list()], [w.sid])
        self.rest_error(lambda: hooks.create(friendly_name="x", event_types=["challenge.expired"],
                                             webhook_url="https://example.com/h"), 400, 60306)
        self.assertIs(hooks(w.sid).delete(), True)
        self.rest_error(lambda: hooks(w.sid).fetch(), 404, 20404, "Unable to fetch record")

    def test_signed_deliveries_accepted_by_request_validator(self):
        svc = self.service()
        hooks = self.v2.services(svc.sid).webhooks
        with sb.CallbackReceiver() as receiver:
            # a query with percent-encoded UTF-8, spaces and an encoded '&': signed as configured
            tenant = quote(vin.friendly_name(self.rng, 20), safe="")
            all_url = tw.hook_url(receiver, "/verify/all?tenant={0}&n={1}".format(tenant, self.rng.randint(1, 99)))
            denied_url = tw.hook_url(receiver, "/verify/denied")
            hooks.create(friendly_name=vin.friendly_name(self.rng), event_types=["*"], webhook_url=all_url)
            hooks.create(friendly_name="only denied", event_types=["challenge.denied"], webhook_url=denied_url)
            off = hooks.create(friendly_name="off", event_types=["*"], webhook_url=tw.hook_url(receiver, "/off"),
                               status="disabled")
            identity, device = vin.identity(self.rng), tw.Device()
            f = self.push_factor(svc, identity, device)
            challenge_sids = []
            for decision in ("approved", "denied"):
                c, *_ = self.push_challenge(svc, identity, f)
                challenge_sids.append(c.sid)
                self.answer(svc, identity, device, c.sid, decision)
            self.assertIs(self.v2.services(svc.sid).entities(identity).factors(f.sid).delete(), True)
            got = []
            deadline = time.monotonic() + 10
            while len(got) < 6 and time.monotonic() < deadline:
                try:
                    got.append(receiver.next(timeout=max(0.1, deadline - time.monotonic())))
                except Exception:  # queue.Empty
                    break
            time.sleep(0.5)
            while not receiver.received.empty():
                got.append(receiver.received.get_nowait())
        self.assertEqual(off.status, "disabled")
        validator, wrong = RequestValidator(tw.AUTH_TOKEN), RequestValidator(tw.AUTH_TOKEN + "x")
        by_path = {}
        for d in got:
            url = tw.hook_url(receiver, d["path"])
            params = tw.FormParams(d["body"])
            sig = d["headers"].get("X-Twilio-Signature")
            self.assertEqual(d["method"], "POST", d)
            self.assertTrue(sig, d)
            self.assertTrue(validator.validate(url, params, sig), (url, dict(params), sig))
            self.assertFalse(wrong.validate(url, params, sig))
            self.assertTrue(d["headers"].get("I-Twilio-Idempotency-Token"), d["headers"])
            self.assertEqual((params.get("account_sid"), params.get("service_sid"), params.get("entity_identity"),
                              params.get("factor_sid"), params.get("factor_type")),
                             (tw.ACCOUNT_SID, svc.sid, identity, f.sid, "push"), dict(params))
            self.assertTrue(params.get("uuid"), dict(params))
            if params["type"].startswith("challenge."):
                self.assertIn(params.get("challenge_sid"), challenge_sids, dict(params))
            by_path.setdefault(urlparse(url).path, []).append(params["type"])
        self.assertEqual(sorted(by_path.get("/verify/all", [])), sorted(EVENTS), by_path)
        self.assertEqual(by_path.get("/verify/denied"), ["challenge.denied"], by_path)
        self.assertNotIn("/off", by_path)

    def test_validator_vectors(self):
        # verify-v2.md §4.5 (py-repo tests/unit/test_request_validator.py): our receiver's oracle.
        params = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234",
                  "From": "+14158675309", "To": "+18005551212"}
        v = RequestValidator("12345")
        self.assertTrue(v.validate("https://mycompany.com/myapp.php?foo=1&bar=2", params,
                                   "RSOYDt4T1cUTdK1PDd93/VVr8B8="))
        self.assertTrue(v.validate("http://mycompany.com:1234/myapp.php?foo=1&bar=2", params,
                                   "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="))


# ---- Pagination (§1.6) ------------------------------------------------------------------------------------


class PaginationTest(VerifyTest):
    def test_list_stream_page_follow_next_page_url(self):
        svc = self.service()
        entities = self.v2.services(svc.sid).entities
        n = self.rng.randint(17, 29)
        ids = {vin.identity(self.rng) for _ in range(n)}
        for identity in ids:
            entities.create(identity=identity)
        size = self.rng.randint(2, 6)
        case = (n, size)
        self.assertEqual(sorted(e.identity for e in entities.list(page_size=size)), sorted(ids), case)
        self.assertEqual(sorted(e.identity for e in entities.stream(page_size=size)), sorted(ids), case)
        self.assertEqual(len(entities.list(page_size=size, limit=size + 1)), size + 1, case)
        page, seen, pages = entities.page(page_size=size), [], 0
        while page is not None:
            pages += 1
            seen += [e.identity for e in page]
            if pages > 1:
                self.assertTrue((page.previous_page_url or "").startswith(tw.BASE_URL + "/v2/Services/"),
                                page.previous_page_url)
            url = page.next_page_url
            if url is not None:
                self.assertTrue(url.startswith(tw.BASE_URL + "/v2/Services/"), url)
                self.assertIn("PageToken=", url)
            page = page.next_page()
        self.assertEqual((sorted(seen), pages), (sorted(ids), -(-n // size)), case)

    def test_pages_stay_on_the_loopback_name_the_client_used(self):
        local = tw.BASE_URL.replace("://127.0.0.1:", "://localhost:")
        c = tw.client()
        c.verify.base_url = local
        svc = c.verify.v2.services.create(friendly_name=vin.service_name(self.rng))
        self.assertTrue(svc.url.startswith(local + "/v2/"), svc.url)
        ids = {vin.identity(self.rng) for _ in range(7)}
        for identity in ids:
            c.verify.v2.services(svc.sid).entities.create(identity=identity)
        page = c.verify.v2.services(svc.sid).entities.page(page_size=3)
        self.assertTrue(page.next_page_url.startswith(local + "/v2/"), page.next_page_url)
        self.assertEqual({e.identity for e in c.verify.v2.services(svc.sid).entities.list(page_size=3)}, ids)

    def test_services_and_webhooks_across_pages(self):
        made = [self.service().sid for _ in range(7)]
        listed = [s.sid for s in self.v2.services.list(page_size=2)]
        self.assertEqual(len(listed), len(set(listed)))
        self.assertTrue(set(made) <= set(listed))
        svc = self.service()
        hooks = self.v2.services(svc.sid).webhooks
        sids = {hooks.create(friendly_name="h{0}".format(i), event_types=["*"],
                             webhook_url="https://example.com/{0}".format(i)).sid for i in range(5)}
        self.assertEqual({w.sid for w in hooks.list(page_size=2)}, sids)


# ---- Rate limits and buckets (§2.9) -----------------------------------------------------------------------


class RateLimitsTest(VerifyTest):
    def test_rate_limits_buckets_crud_and_20429(self):
        svc = self.service()
        rls = self.v2.services(svc.sid).rate_limits
        unique = "end_user_ip_" + vin.word(self.rng, 3, 6)
        rl = self.shape(rls.create(unique_name=unique, description=vin.friendly_name(self.rng)))
        self.assertTrue(rl.sid.startswith("RK"), rl.sid)
        self.assertEqual((rl.unique_name, rl.service_sid), (unique, svc.sid))
        self.assertTrue(rl.links["buckets"].startswith(rl.url + "/"), rl.links)
        self.rest_error(lambda: rls.create(unique_name=unique), 400, 60208)
        self.assertEqual(rls(rl.sid).update(description="per ip").description, "per ip")
        self.assertEqual(rls(rl.sid).fetch().unique_name, unique)
        self.assertEqual([r.sid for r in rls.list()], [rl.sid])
        buckets = rls(rl.sid).buckets
        minute = self.shape(buckets.create(max=2, interval=60))
        self.assertTrue(minute.sid.startswith("BL"), minute.sid)
        self.assertEqual((minute.max, minute.interval, minute.rate_limit_sid), (2, 60, rl.sid))
        hour = buckets.create(max=3, interval=3600)
        self.rest_error(lambda: buckets.create(max=9, interval=60), 400, 60211)
        self.assertEqual(sorted(b.sid for b in buckets.list()), sorted([minute.sid, hour.sid]))
        ip = "10.{0}.{1}.{2}".format(*(self.rng.randint(0, 255) for _ in range(3)))

        def send(value=ip):
            return self.v2.services(svc.sid).verifications.create(
                to=vin.number(self.rng).e164, channel="sms", rate_limits={unique: value})

        for _ in range(3):  # a key without a Rate Limit is ignored (§2.9)
            self.v2.services(svc.sid).verifications.create(
                to=vin.number(self.rng).e164, channel="sms", rate_limits={"no_such_limit": ip})
        send()
        send()
        self.rest_error(send, 429, 20429)                # the minute bucket is full
        send("192.0.2.1")                                # another value has its own count
        sb.advance_clock(61)
        send()                                           # minute bucket free; hour bucket 3 of 3
        self.rest_error(send, 429, 20429)                # the hour bucket is full
        self.assertEqual(buckets(hour.sid).update(max=4).max, 4)
        send()
        self.assertIs(buckets(minute.sid).delete(), True)
        self.rest_error(lambda: buckets(minute.sid).fetch(), 404, 20404, "Unable to fetch record")
        self.assertIs(rls(rl.sid).delete(), True)
        self.rest_error(lambda: rls(rl.sid).fetch(), 404, 20404, "Unable to fetch record")


# ---- Attempts and summary (§2.10) -------------------------------------------------------------------------


class AttemptsTest(VerifyTest):
    def test_attempts_filters_and_summary(self):
        svc = self.service()
        nums = vin.numbers(self.rng, 9)
        approved, channels = set(), {}
        for i, num in enumerate(nums):
            channel = ["sms", "call", "whatsapp"][i % 3]
            channels[num.e164] = channel
            self.v2.services(svc.sid).verifications.create(to=num.e164, channel=channel)
            if i % 2 == 0:
                code = tw.delivered_code(svc.sid, num.e164)
                self.v2.services(svc.sid).verification_checks.create(to=num.e164, code=code)
                approved.add(num.e164)
        attempts = self.client.verify.v2.verification_attempts
        mine = attempts.list(verify_service_sid=svc.sid, page_size=4)
        self.assertEqual(len(mine), len(nums))
        for a in mine:
            to = self.shape(a).channel_data["to"]
            self.assertTrue(a.sid.startswith("VL"), a.sid)
            self.assertEqual((a.service_sid, a.channel), (svc.sid, channels[to]))
            self.assertEqual(a.conversion_status, "converted" if to in approved else "unconverted", to)
            self.assertTrue(a.verification_sid.startswith("VE"))
            self.assert_date(a.date_created, "attempt date_created")
        one = nums[0].e164
        self.assertEqual([a.channel_data["to"] for a in attempts.list(verify_service_sid=svc.sid,
                                                                      channel_data_to=one)], [one])
        self.assertEqual(len(attempts.list(verify_service_sid=svc.sid, channel="call")), 3)
        self.assertEqual(len(attempts.list(verify_service_sid=svc.sid, status="converted")), len(approved))
        self.assertEqual(attempts(mine[0].sid).fetch().sid, mine[0].sid)
        later = datetime.fromtimestamp(tw.sandbox_now(), timezone.utc) + timedelta(hours=1)
        self.assertEqual(attempts.list(verify_service_sid=svc.sid, date_created_after=later), [])
        self.assertEqual(len(attempts.list(verify_service_sid=svc.sid, date_created_before=later)), len(nums))
        s = self.client.verify.v2.verification_attempts_summary().fetch(verify_service_sid=svc.sid)
        self.assertEqual((s.total_attempts, s.total_converted, s.total_unconverted),
                         (len(nums), len(approved), len(nums) - len(approved)))
        self.assertAlmostEqual(float(s.conversion_rate_percentage), 100.0 * len(approved) / len(nums), places=5)


# ---- Lookup v2 (§6.3) --------------------------------------------------------------------------------------


class LookupTest(VerifyTest):
    FIELDS = ["validation", "line_type_intelligence", "caller_name", "sms_pumping_risk"]
    OTHER = ["sim_swap", "call_forwarding", "line_status", "identity_match", "reassigned_number",
             "phone_number_quality_score", "pre_fill"]

    def setUp(self):
        super().setUp()
        self.authy = AuthyApiClient(sb.API_KEY, api_uri=sb.BASE_URL)

    def test_valid_numbers_sweep(self):
        nums = vin.numbers(self.rng, 48)
        for num in nums:
            fields = sorted(self.rng.sample(self.FIELDS, self.rng.randint(1, 4)))
            case = (num, fields)
            p, err = self.caught(lambda: self.shape(
                self.client.lookups.v2.phone_numbers(num.e164).fetch(fields=",".join(fields))))
            if not self.expect(err is None, case, "error {0}".format(err and err.msg)):
                continue
            self.expect((p.valid, p.phone_number, p.calling_country_code, p.country_code)
                        == (True, num.e164, num.cc, num.iso), case,
                        "got {0}".format((p.valid, p.phone_number, p.calling_country_code, p.country_code)))
            self.expect(not p.validation_errors and isinstance(p.national_format, str), case,
                        "errors {0} national {1!r}".format(p.validation_errors, p.national_format))
            self.expect(p.url == "{0}/v2/PhoneNumbers/{1}".format(tw.BASE_URL, num.e164), case, p.url)
            lti = p.line_type_intelligence
            if "line_type_intelligence" in fields:
                self.expect(isinstance(lti, dict) and lti.get("type") in LINE_TYPES, case, "lti {0}".format(lti))
            else:
                self.expect(lti is None, case, "lti not asked for: {0}".format(lti))
            self.expect(("caller_name" in fields) == (p.caller_name is not None), case,
                        "caller_name {0}".format(p.caller_name))
            self.expect(("sms_pumping_risk" in fields) == (p.sms_pumping_risk is not None), case,
                        "sms_pumping_risk {0}".format(p.sms_pumping_risk))
            self.expect(all(getattr(p, o) is None for o in self.OTHER), case, "unrequested packages")
            if num.cc == "1":  # the documented NANP national format, "(415) 992-9960"
                n = num.national
                want = "({0}) {1}-{2}".format(n[:3], n[3:6], n[6:])
                self.expect(p.national_format == want, case, "national_format {0!r}".format(p.national_format))
            if isinstance(lti, dict):  # one number, one answer: Lookup agrees with Authy phones/info
                info = self.authy.phones.info(num.national, num.cc)
                kind = info["type"] if info.ok() else None
                self.expect(info.ok() and lti.get("carrier_name") == info["provider"]
                            and AUTHY_TO_LOOKUP.get(kind, lti.get("type")) == lti.get("type"), case,
                            "authy phones/info {0} vs lookup {1}".format(info.content, lti))
            again = self.client.lookups.v2.phone_numbers(num.e164).fetch(fields=",".join(fields))
            self.expect(again.line_type_intelligence == lti and again.national_format == p.national_format,
                        case, "not deterministic")
        self.finish(len(nums))

    def test_national_format_with_country_code(self):
        for num in vin.numbers(self.rng, 12):
            p = self.client.lookups.v2.phone_numbers(num.national).fetch(country_code=num.iso)
            self.expect((p.valid, p.phone_number, p.country_code) == (True, num.e164, num.iso), num,
                        "got {0}".format((p.valid, p.phone_number, p.country_code)))
        self.finish(12)

    def test_invalid_numbers(self):
        cases = []
        for num in vin.numbers(self.rng, 12):  # every country: too long (yet <= 15 digits), too short
            digits = len(num.cc + num.national)
            cases += [num.e164 + "0" * max(15 - digits, 3), "+" + num.cc + num.national[:2]]
            if self.rng.random() < 0.5:
                cases.append("+999" + num.national)
        cases += ["+1415CALLNOW", "notanumber"]
        for raw in cases:
            p, err = self.caught(lambda: self.client.lookups.v2.phone_numbers(raw).fetch(
                fields="line_type_intelligence"))
            if not self.expect(err is None, raw, "error {0}".format(err and err.msg)):
                continue
            errs = p.validation_errors or []
            self.expect(p.valid is False and errs and set(errs) <= VALIDATION_ERRORS, raw,
                        "valid {0} errors {1}".format(p.valid, errs))
            self.expect(p.line_type_intelligence is None and p.caller_name is None, raw, "packages on invalid")
        self.finish(len(cases))


# ---- Authentication and error fields (§1.2, §1.7) ---------------------------------------------------------


class AuthTest(VerifyTest):
    def test_wrong_token_wrong_account_and_api_key_pairs(self):
        svc = self.service()
        wrongs = [tw.client(tw.ACCOUNT_SID, tw.AUTH_TOKEN + "x"),
                  tw.client("AC" + "f" * 32, tw.AUTH_TOKEN),
                  tw.client(tw.API_KEY_SID, tw.API_KEY_SECRET + "x", tw.ACCOUNT_SID)]
        for c in wrongs:
            err = self.rest_error(lambda: c.verify.v2.services(svc.sid).fetch(), 401, 20003, "Unable to fetch record")
            self.assertEqual(err.msg, "Unable to fetch record: Authenticate")
            self.rest_error(lambda: c.verify.v2.services.create(friendly_name="x"), 401, 20003)
            self.rest_error(lambda: c.lookups.v2.phone_numbers("+14159929960").fetch(), 401, 20003,
                            "Unable to fetch record")
            with self.assertRaises(TwilioException):
                c.verify.v2.services.list()
        key = tw.client(tw.API_KEY_SID, tw.API_KEY_SECRET, tw.ACCOUNT_SID)
        self.assertEqual(key.verify.v2.services(svc.sid).fetch().account_sid, tw.ACCOUNT_SID)
        made = key.verify.v2.services.create(friendly_name="Via Key")
        self.assertEqual(made.account_sid, tw.ACCOUNT_SID)
        self.assertTrue(key.lookups.v2.phone_numbers("+14159929960").fetch().valid)

    def test_date_header_and_reset(self):
        svc = self.service()
        info = self.v2.services(svc.sid).fetch_with_http_info()
        self.assertEqual(info.status_code, 200)
        self.assertRegex(tw.header(info.headers, "Date") or "", r"^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$")
        to = vin.number(self.rng).e164
        self.v2.services(svc.sid).verifications.create(to=to, channel="sms")
        status, body = sb.control("POST", "/sandbox/reset")
        self.assertEqual(status, 200, body)
        self.rest_error(lambda: self.v2.services(svc.sid).fetch(), 404, 20404, "Unable to fetch record")
        self.assertNotIn(svc.sid, [s.sid for s in self.v2.services.list()])

    def test_faults_as_py_reports_them(self):
        svc = self.service()
        prefix = "/v2/Services/" + svc.sid
        self.assertEqual(sb.control("POST", "/sandbox/faults", {"kind": "status_5xx", "status": 503,
                                                                 "path_prefix": prefix})[0], 200)
        err = self.rest_error(lambda: self.v2.services(svc.sid).fetch(), 503, 503, "Unable to fetch record")
        self.assertEqual(err.msg, "Unable to fetch record")  # a non-JSON body: no message to add (§1.7)
        self.assertEqual(sb.control("POST", "/sandbox/faults", {"kind": "rate_limit", "path_prefix": prefix})[0], 200)
        err = self.rest_error(lambda: self.v2.services(svc.sid).fetch(), 429, 20429, "Unable to fetch record")
        self.assertEqual(err.msg, "Unable to fetch record: Too many requests")
        self.assertEqual(self.v2.services(svc.sid).fetch().sid, svc.sid)  # one fault each

    def test_error_fields(self):
        svc = self.service()
        err = self.rest_error(lambda: self.v2.services(svc.sid).verifications.create(to="nope", channel="sms"),
                              400, 60200)
        self.assertEqual((err.method, err.uri), ("POST", "/Services/{0}/Verifications".format(svc.sid)))
        self.assertIn("Invalid parameter", err.msg)


if __name__ == "__main__":
    unittest.main()
