"""Sequential Verify calls through twilio-python (the official client, unmodified) for bench/run.sh.

    python py_verify.py BASE_URL ACCOUNT_SID AUTH_TOKEN SECONDS VA...

Calls `Client(sid, token).verify.v2.services(VA).fetch()` (GET /v2/Services/{VA}, the request
the C client and wrk are measured on) in a loop for SECONDS after a short warm-up, checks every
answer, and prints `calls seconds calls_per_second`. The Verify domain is pointed at the sandbox
the way tests/conformance/python/twilio_support.py does (`verify.base_url`, TWILIO_REGION and
TWILIO_EDGE unset). twilio-python keeps one requests Session (keep-alive); for https:// set
REQUESTS_CA_BUNDLE to the sandbox's CA.
"""

import os
import sys
import time

for _var in ("TWILIO_REGION", "TWILIO_EDGE"):  # they rewrite the host
    os.environ.pop(_var, None)
os.environ["NO_PROXY"] = "127.0.0.1,localhost"

from twilio.rest import Client  # noqa: E402


def main():
    base_url, sid, token, seconds, va = sys.argv[1:6]
    seconds = float(seconds)
    client = Client(sid, token)
    client.verify.base_url = base_url
    service = client.verify.v2.services(va)

    def call():
        if service.fetch().sid != va:
            sys.exit("py_verify: unexpected answer")

    warm_until = time.perf_counter() + 0.3
    while time.perf_counter() < warm_until:
        call()
    calls = 0
    start = time.perf_counter()
    end = start + seconds
    while True:
        call()
        calls += 1
        t = time.perf_counter()
        if t >= end:
            break
    print("{0} {1:.6f} {2:.1f}".format(calls, t - start, calls / (t - start)))


if __name__ == "__main__":
    main()
