"""The sandbox's browser UI (/_ui/) in headless Chromium: a user registered through libauthy gets
an SMS whose code appears on the page without a reload and verifies; a OneTouch request
approved by a click sends a signed callback to a receiver; hostile request values render as
text; an authenticator code read off the page verifies; the clock advanced from the page
expires a code. Run by tests/ui/run.sh; prints one line per check and `ui: N passed, M failed`.
"""

import json
import sys
import time
import urllib.parse
import traceback

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from harness import AUTH_TOKEN, KEY, Lib, Receiver, Sandbox, browser, twilio_signature

IDENTITY = "ff483d1ff591898a9942916050d2ca3f"

CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


def wait(driver, cond, what, timeout=10):
    try:
        # The page re-renders lists on every change: a vanished element means "not yet".
        return WebDriverWait(driver, timeout, poll_frequency=0.1,
                             ignored_exceptions=[StaleElementReferenceException, IndexError]
                             ).until(lambda d: cond(d))
    except TimeoutException:
        raise AssertionError("timed out waiting for " + what)


def css(d, selector):
    return d.find_elements(By.CSS_SELECTOR, selector)


def goto(d, view):
    link = css(d, '#tabs a[data-view="%s"]' % view)[0]
    link.click()
    wait(d, lambda d: d.find_element(By.ID, "view-" + view).is_displayed(), view + " view")


class Ctx:
    pass


@check
def page_asks_for_the_key_once_and_keeps_it_out_of_urls(c):
    d = c.d
    d.get(c.sb.ui)
    wait(d, lambda d: d.find_element(By.ID, "login").is_displayed(), "the key form")
    assert not d.find_element(By.ID, "views").is_displayed()
    d.find_element(By.ID, "api-key").send_keys("wrong-key")
    d.find_element(By.ID, "api-key").send_keys(Keys.ENTER)
    wait(d, lambda d: "refused" in d.find_element(By.ID, "login-error").text, "a refusal")
    d.find_element(By.ID, "api-key").send_keys(KEY + Keys.ENTER)
    wait(d, lambda d: d.find_element(By.ID, "views").is_displayed(), "the views")
    assert KEY not in d.current_url
    assert d.execute_script("return sessionStorage.getItem('authy-sandbox-api-key')") == KEY
    # A reload keeps the key (same tab): no second prompt.
    d.refresh()
    wait(d, lambda d: d.find_element(By.ID, "views").is_displayed(), "the views after a reload")
    assert not d.find_element(By.ID, "login").is_displayed()
    wait(d, lambda d: d.find_element(By.ID, "conn").text == "live", "the live indicator")


@check
def sms_code_appears_without_a_reload_and_verifies(c):
    d = c.d
    goto(d, "inbox")
    d.execute_script("window.__sameDocument = 'yes'")
    c.authy_id = c.lib.create_user("alice@example.com", "201-555-0123")
    c.lib.request_sms(c.authy_id, force="true")
    card = wait(d, lambda d: css(d, "#inbox-list .message"), "the SMS in the inbox")[0]
    assert d.execute_script("return window.__sameDocument") == "yes", "the page was reloaded"
    code = card.find_element(By.CSS_SELECTOR, ".code").text
    assert len(code) == 7 and code.isdigit(), code
    assert code in card.find_element(By.CSS_SELECTOR, ".text").text
    assert card.find_element(By.CSS_SELECTOR, ".to-full").text == "+1 201-555-0123"
    assert card.find_element(By.CSS_SELECTOR, ".to-masked").text == "+1-XXX-XXX-XX23"
    assert "SMS" in card.text
    assert c.lib.verify_token(c.authy_id, code), "the code read off the page verifies"
    c.sms_code = code


@check
def phone_verification_code_shows_with_its_locale_and_verifies(c):
    d = c.d
    c.lib.start_phone_verification("1", "775-461-5609", via="sms", locale="es", code_length="6")
    card = wait(d, lambda d: [e for e in css(d, "#inbox-list .message")
                              if "Phone verification" in e.text], "the verification code")[0]
    assert css(d, "#inbox-list .message")[0] == card, "newest first"
    code = card.find_element(By.CSS_SELECTOR, ".code").text
    assert len(code) == 6, code
    assert card.find_element(By.CSS_SELECTOR, ".locale").text == "es"
    assert card.find_element(By.CSS_SELECTOR, ".text").text.startswith("Su código")
    assert c.lib.check_phone_verification("1", "775-461-5609", code)


@check
def verify_code_appears_by_channel_and_checks(c):
    d = c.d
    va = c.sb.twilio("POST", "/v2/Services", {"FriendlyName": "Owl Bank"})["sid"]
    to = "+15017122661"
    ve = c.sb.twilio("POST", "/v2/Services/%s/Verifications" % va, {"To": to, "Channel": "whatsapp"})
    card = wait(d, lambda d: [e for e in css(d, "#inbox-list .message") if "Verify" in e.text],
                "the Verify code")[0]
    assert "WhatsApp" in card.text
    assert card.find_element(By.CSS_SELECTOR, ".to-full").text == to
    assert "Owl Bank" in card.find_element(By.CSS_SELECTOR, ".text").text
    code = card.find_element(By.CSS_SELECTOR, ".code").text
    # The filter shows Verify codes only.
    Select(d.find_element(By.ID, "inbox-service")).select_by_value("verify")
    wait(d, lambda d: len(css(d, "#inbox-list .message")) == 1, "the Verify filter")
    Select(d.find_element(By.ID, "inbox-service")).select_by_value("")
    wait(d, lambda d: len(css(d, "#inbox-list .message")) == 3, "everything again")
    r = c.sb.twilio("POST", "/v2/Services/%s/VerificationCheck" % va, {"To": to, "Code": code})
    assert r["status"] == "approved" and r["sid"] == ve["sid"], r


@check
def approve_by_click_sends_a_signed_callback(c):
    d = c.d
    uuid = c.lib.create_approval_request(c.authy_id, "Log in to Example?", **{
        "details[Location]": "Paris, France", "hidden_details[session]": "s-1",
        "seconds_to_expire": "300"})
    goto(d, "approvals")
    sel = '.approval[data-uuid="%s"]' % uuid
    card = wait(d, lambda d: css(d, sel), "the pending request")[0]
    assert "Log in to Example?" in card.text and "Paris, France" in card.text
    assert "expires in" in card.text
    card.find_element(By.CSS_SELECTOR, "button.approve").click()
    got = c.receiver.next()
    result = wait(d, lambda d: css(d, sel + " .r-receiver-answered"), "the delivery result")[0]
    wait(d, lambda d: "HTTP 200" in result.text, "HTTP 200 on the page")
    shown_sig = css(d, sel + " .r-x-authy-signature")[0].text
    assert got["method"] == "POST" and got["path"] == "/authy/callback", got
    assert got["headers"]["X-Authy-Signature"] == shown_sig
    assert c.lib.callback_verify("POST", c.receiver.url, got["headers"]["X-Authy-Signature-Nonce"],
                                 got["headers"]["X-Authy-Signature"], got["body"]), "signature checks"
    assert '"status":"approved"' in got["body"]
    assert c.lib.approval_status(uuid) == "approved"


@check
def deny_by_click(c):
    d = c.d
    uuid = c.lib.create_approval_request(c.authy_id, "Transfer 10 EUR?")
    sel = '.approval[data-uuid="%s"]' % uuid
    card = wait(d, lambda d: css(d, sel + " button.deny"), "the deny button")[0]
    card.click()
    c.receiver.next()
    wait(d, lambda d: "denied" in css(d, sel)[0].text, "the denied status")
    assert c.lib.approval_status(uuid) == "denied"


@check
def deny_a_verify_push_challenge_by_click(c):
    d = c.d
    va = c.sb.twilio("POST", "/v2/Services", {"FriendlyName": "Owl Bank Push"})["sid"]
    hook_url = c.receiver.url.replace("/authy/callback", "/verify/webhook")
    c.sb.twilio("POST", "/v2/Services/%s/Webhooks" % va, {
        "FriendlyName": "ui", "WebhookUrl": hook_url,
        "EventTypes": ["challenge.approved", "challenge.denied"]})
    entity = "/v2/Services/%s/Entities/%s" % (va, IDENTITY)
    factor = c.sb.control("POST", "/sandbox/verify/Services/%s/Entities/%s/PushFactors" % (va, IDENTITY),
                          {"FriendlyName": "Alice's phone"})
    ch = c.sb.twilio("POST", entity + "/Challenges", {
        "FactorSid": factor["sid"], "Details.Message": "Approve the transfer?",
        "Details.Fields": json.dumps({"label": "Amount", "value": "<i>10 EUR</i>"}),
        "HiddenDetails": json.dumps({"ip": "<script>window.__pwned=5</script>"})})
    goto(d, "approvals")
    sel = '.push[data-sid="%s"]' % ch["sid"]
    card = wait(d, lambda d: css(d, sel + " button.deny"), "the push challenge")[0]
    text = css(d, sel)[0].text
    assert "Approve the transfer?" in text and "<i>10 EUR</i>" in text and "Alice's phone" in text, text
    card.click()
    got = c.receiver.next()
    assert got["path"] == "/verify/webhook", got
    params = urllib.parse.parse_qsl(got["body"], keep_blank_values=True)
    assert dict(params)["challenge_sid"] == ch["sid"]
    assert got["headers"]["X-Twilio-Signature"] == twilio_signature(AUTH_TOKEN, hook_url, params)
    shown = wait(d, lambda d: css(d, sel + " .r-x-twilio-signature"), "the webhook on the page")[0]
    assert shown.text == got["headers"]["X-Twilio-Signature"]
    assert "HTTP 200" in css(d, sel + " .r-receiver-answered")[0].text
    assert c.sb.twilio("GET", entity + "/Challenges/" + ch["sid"])["status"] == "denied"
    assert d.execute_script("return window.__pwned") is None


@check
def verify_totp_code_from_the_page_verifies_the_factor(c):
    d = c.d
    va = c.sb.twilio("POST", "/v2/Services", {"FriendlyName": "Owl Bank TOTP"})["sid"]
    entity = "/v2/Services/%s/Entities/%s" % (va, IDENTITY)
    f = c.sb.twilio("POST", entity + "/Factors", {"FactorType": "totp", "FriendlyName": "Authenticator"})
    goto(d, "authenticator")
    sel = '.verify-totp[data-factor="%s"]' % f["sid"]
    card = wait(d, lambda d: css(d, sel), "the TOTP factor")[0]
    left = int(card.find_element(By.CSS_SELECTOR, ".token-left").text)
    if left < 3:
        time.sleep(left + 1)
    code = css(d, sel + " .code")[0].text
    r = c.sb.twilio("POST", entity + "/Factors/" + f["sid"], {"AuthPayload": code})
    assert r["status"] == "verified", r
    wait(d, lambda d: "verified" in css(d, sel)[0].text, "the verified status on the page")
    goto(d, "users")
    row = wait(d, lambda d: css(d, '#entity-rows tr'), "the entity rows")
    assert any(IDENTITY in r.text for r in row)


@check
def hostile_values_render_as_text(c):
    d = c.d
    script = "<script>window.__pwned = 1</script>"
    img = "<img src=x onerror=\"window.__pwned=2\">"
    long = "W" * 5000
    r = c.sb.post_json("/onetouch/json/users/%s/approval_requests" % c.authy_id, {
        "message": "Quote \" ' and " + img,
        "details": {img: script, "Long": long, "Quotes": "\"'`"},
        "hidden_details": {"x": script},
        "logos": [{"res": "default", "url": "javascript:window.__pwned=3"},
                  {"res": "low", "url": "data:image/svg+xml,<svg onload='window.__pwned=4'/>"}],
    })
    uuid = r["approval_request"]["uuid"]
    goto(d, "approvals")
    sel = '.approval[data-uuid="%s"]' % uuid
    card = wait(d, lambda d: css(d, sel), "the hostile request")[0]
    time.sleep(0.5)
    assert d.execute_script("return window.__pwned") is None, "no script ran"
    assert script in card.text, "the script tag shows as text: " + card.text[:400]
    assert img in card.text
    assert card.find_elements(By.CSS_SELECTOR, "img") == [], "no image from javascript:/data: URLs"
    assert "logo not shown" in card.text
    assert len(d.find_elements(By.TAG_NAME, "script")) == 1
    # The long value wraps inside the page instead of widening it.
    assert d.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    # The request itself still works: deny it.
    card.find_element(By.CSS_SELECTOR, "button.deny").click()
    c.receiver.next()


@check
def authenticator_code_from_the_page_verifies(c):
    d = c.d
    goto(d, "users")
    row = wait(d, lambda d: css(d, 'tr[data-user="%s"]' % c.authy_id), "the user row")[0]
    assert "alice@example.com" in row.text and "confirmed" in row.text
    row.find_element(By.CSS_SELECTOR, "button.add-device").click()
    wait(d, lambda d: "android" in css(d, 'tr[data-user="%s"] .devices' % c.authy_id)[0].text,
         "the new device")
    goto(d, "authenticator")
    card = wait(d, lambda d: css(d, '.totp[data-user="%s"]' % c.authy_id), "the app code")[0]
    left = int(card.find_element(By.CSS_SELECTOR, ".token-left").text)
    if left < 3:  # about to roll over: read the next one
        time.sleep(left + 1)
        card = css(d, '.totp[data-user="%s"]' % c.authy_id)[0]
    code = card.find_element(By.CSS_SELECTOR, ".code").text
    assert len(code) == 7 and code.isdigit(), code
    assert c.lib.verify_token(c.authy_id, code), "the authenticator code verifies"


@check
def advancing_the_clock_expires_a_code_and_rolls_the_app_code(c):
    d = c.d
    before = css(d, '.totp[data-user="%s"] .code' % c.authy_id)[0].text
    goto(d, "controls")
    field = d.find_element(By.ID, "clock-seconds")
    field.clear()
    field.send_keys("601" + Keys.ENTER)
    wait(d, lambda d: "Sandbox clock is now" in d.find_element(By.ID, "notice").text, "the clock notice")
    goto(d, "inbox")
    sms = [e for e in css(d, "#inbox-list .message") if c.sms_code in e.text][0]
    wait(d, lambda d: "expired" in sms.get_attribute("class"), "the SMS code marked expired")
    assert "expired" in sms.find_element(By.CSS_SELECTOR, ".countdown").text
    assert not c.lib.verify_token(c.authy_id, c.sms_code), "the expired code is refused"
    goto(d, "authenticator")
    wait(d, lambda d: css(d, '.totp[data-user="%s"] .code' % c.authy_id)[0].text != before,
         "a new app code")


@check
def remove_device_and_faults_and_counters_from_controls(c):
    d = c.d
    goto(d, "users")
    css(d, 'tr[data-user="%s"] button.remove-devices' % c.authy_id)[0].click()
    wait(d, lambda d: css(d, 'tr[data-user="%s"] .devices' % c.authy_id)[0].text == "none", "no device")
    goto(d, "controls")
    d.find_element(By.ID, "fault-count").clear()
    d.find_element(By.ID, "fault-count").send_keys("2")
    d.find_element(By.CSS_SELECTOR, "#fault-form button[type=submit]").click()
    wait(d, lambda d: "status_5xx × 2" in d.find_element(By.ID, "fault-list").text, "the armed fault")
    assert len(c.sb.control("GET", "/sandbox/faults")["faults"]) == 1
    d.find_element(By.ID, "fault-clear").click()
    wait(d, lambda d: "No fault armed" in d.find_element(By.ID, "fault-list").text, "disarmed")
    rows = d.find_element(By.ID, "req-rows").text
    assert "POST /protected/json/users/new" in rows, rows
    total = c.sb.control("GET", "/sandbox/requests")["total"]
    wait(d, lambda d: d.find_element(By.ID, "req-total").text == str(total), "the request total")


CONTRAST_JS = """
const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
const lum = ([r, g, b]) => {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
const background = (e) => {
  for (; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
  }
  return [255, 255, 255];
};
const bad = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const e = n.parentElement;
  if (!n.textContent.trim() || !e.offsetParent && e !== document.body) continue;
  const style = getComputedStyle(e);
  if (style.visibility === 'hidden') continue;
  const fg = lum(rgb(style.color).slice(0, 3)), bg = lum(background(e));
  const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  if (ratio < 4.5) bad.push(ratio.toFixed(2) + ' ' + e.tagName + '.' + e.className + ': ' + n.textContent.trim().slice(0, 30));
}
return bad;
"""


@check
def keyboard_labels_contrast_and_narrow_window(c):
    d = c.d
    unlabeled = d.execute_script("""
      return [...document.querySelectorAll('input, select')].filter(e =>
        !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.id);""")
    assert unlabeled == [], unlabeled
    # WCAG AA: every visible text of every view at 4.5:1 or more against its background.
    low = []
    for view in ["inbox", "approvals", "authenticator", "users", "controls"]:
        goto(d, view)
        low += d.execute_script(CONTRAST_JS)
    assert low == [], low[:5]
    # Keyboard only: focus the Users tab, press Enter.
    d.execute_script("document.querySelector('#tabs a[data-view=users]').focus()")
    d.switch_to.active_element.send_keys(Keys.ENTER)
    wait(d, lambda d: d.find_element(By.ID, "view-users").is_displayed(), "users via keyboard")
    d.set_window_size(380, 800)
    for view in ["inbox", "approvals", "controls"]:
        goto(d, view)
        wide = d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 1, "%s is %dpx wider than a 380px window" % (view, wide)
    d.set_window_size(1100, 900)


@check
def security_headers(c):
    import urllib.request
    with urllib.request.urlopen(c.sb.ui, timeout=10) as r:
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, csp
        assert "unsafe-inline" not in csp
        assert r.headers["X-Content-Type-Options"] == "nosniff"


def main():
    c = Ctx()
    c.receiver = Receiver()
    c.sb = Sandbox("--callback-url", c.receiver.url, "--quiet")
    c.lib = Lib(c.sb.url)
    c.d = browser()
    passed = failed = 0
    try:
        for fn in CHECKS:
            t = time.time()
            try:
                fn(c)
                passed += 1
                print("ok   %-70s %.1fs" % (fn.__name__, time.time() - t), flush=True)
            except Exception:
                failed += 1
                print("FAIL %s" % fn.__name__, flush=True)
                traceback.print_exc()
    finally:
        c.d.quit()
        c.lib.close()
        c.sb.close()
        c.receiver.close()
    print("ui: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
