"""Regenerates the UI screenshots in docs/ (`make screenshots` = tests/ui/run.sh --screenshots):
a fresh sandbox, a small scripted flow through libauthy, then one PNG per main view.

    screenshots.py DOCS_DIR
"""

import json
import os
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from harness import KEY, Lib, Receiver, Sandbox, browser

SHOTS = [
    ("inbox", "ui-inbox.png"),
    ("approvals", "ui-approvals.png"),
    ("authenticator", "ui-authenticator.png"),
    ("users", "ui-users.png"),
    ("controls", "ui-controls.png"),
]


def main(docs):
    receiver = Receiver()
    sb = Sandbox("--callback-url", receiver.url, "--quiet")
    lib = Lib(sb.url)
    d = browser(1100, 820)
    try:
        alice = lib.create_user("alice@example.com", "201-555-0123")
        bob = lib.create_user("bob@example.com", "3005550112", country_code="57")
        lib.request_sms(alice, force="true")
        lib.start_phone_verification("1", "775-461-5609", via="call", locale="es")
        sb.control("POST", "/sandbox/users/%s/devices" % bob, {"device": "iphone"})
        sb.control("POST", "/sandbox/clock/advance", {"seconds": "20"})
        lib.request_sms(bob, force="true", action="login")
        done = lib.create_approval_request(alice, "Transfer 10 EUR to Carol?")
        sb.control("POST", "/sandbox/approval_requests/%s/deny" % done)
        lib.create_approval_request(alice, "Log in to Example?", **{
            "details[Location]": "Paris, France", "details[Browser]": "Firefox on Linux",
            "hidden_details[session]": "s-1234", "seconds_to_expire": "300"})
        # Verify v2: an SMS code, a TOTP factor and a pending push challenge.
        va = sb.twilio("POST", "/v2/Services", {"FriendlyName": "Owl Bank"})["sid"]
        sb.twilio("POST", "/v2/Services/%s/Verifications" % va, {"To": "+15017122661", "Channel": "sms"})
        entity = "/v2/Services/%s/Entities/%s" % (va, "ff483d1ff591898a9942916050d2ca3f")
        sb.twilio("POST", entity + "/Factors", {"FactorType": "totp", "FriendlyName": "Authenticator app"})
        push = sb.control("POST", "/sandbox/verify/Services/%s/Entities/%s/PushFactors"
                          % (va, "ff483d1ff591898a9942916050d2ca3f"), {"FriendlyName": "Carol's phone"})
        sb.twilio("POST", entity + "/Challenges", {
            "FactorSid": push["sid"], "Details.Message": "Approve the payment?",
            "Details.Fields": [json.dumps({"label": "Amount", "value": "42.00 EUR"}),
                               json.dumps({"label": "Payee", "value": "Example Shop"})]})
        sb.control("POST", "/sandbox/faults", {"kind": "rate_limit", "count": "2",
                                               "path_prefix": "/protected/json/sms"})
        d.get(sb.ui)
        d.execute_script("sessionStorage.setItem('authy-sandbox-api-key', arguments[0])", KEY)
        d.refresh()
        WebDriverWait(d, 10).until(lambda d: d.find_element(By.ID, "conn").text == "live")
        # One approval decided by a click, so the delivery result shows.
        d.get(sb.ui + "#approvals")
        WebDriverWait(d, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".approval button.approve"))
        d.find_element(By.CSS_SELECTOR, ".approval button.approve").click()
        WebDriverWait(d, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".r-x-authy-signature"))
        lib.create_approval_request(bob, "Confirm the new device?", **{
            "details[Device]": "Pixel 9", "seconds_to_expire": "120"})
        for view, name in SHOTS:
            d.find_element(By.CSS_SELECTOR, '#tabs a[data-view="%s"]' % view).click()
            time.sleep(0.8)
            d.execute_script("document.activeElement.blur(); document.getElementById('notice').textContent = ''")
            # The whole view, up to 1600 px high.
            height = d.execute_script("return document.documentElement.scrollHeight")
            d.set_window_size(1100, min(height + 140, 1600))
            time.sleep(0.3)
            path = os.path.join(docs, name)
            d.save_screenshot(path)
            print("wrote", path)
        d.set_window_size(390, 820)
        d.find_element(By.CSS_SELECTOR, '#tabs a[data-view="inbox"]').click()
        time.sleep(0.8)
        path = os.path.join(docs, "ui-narrow.png")
        d.save_screenshot(path)
        print("wrote", path)
    finally:
        d.quit()
        lib.close()
        sb.close()
        receiver.close()


if __name__ == "__main__":
    main(sys.argv[1])
