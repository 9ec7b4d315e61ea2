"""Sequential calls through authy-python (the official client, unmodified) for bench/run.sh.

    python py_calls.py BASE_URL API_KEY SECONDS

Calls `AuthyApiClient(api_key, api_uri=BASE_URL).apps.fetch()` (GET
/protected/json/app/details, the endpoint the C client and wrk are measured on) in a loop for
SECONDS after a short warm-up, checks every answer, and prints `calls seconds calls_per_second`.
authy-python sends each request with `requests.request(...)`, i.e. a new session and a new
connection per call (no keep-alive); for https:// set REQUESTS_CA_BUNDLE to the sandbox's CA.
"""

import sys
import time

from authy.api import AuthyApiClient


def main():
    base_url, api_key, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    api = AuthyApiClient(api_key, api_uri=base_url)

    def call():
        app = api.apps.fetch()
        if not app.ok():
            sys.exit("py_calls: unexpected answer: {0}".format(app.content))

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
