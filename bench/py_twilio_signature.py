"""twilio-python's X-Twilio-Signature check on the webhook bench/c_callback.c times.

    python py_twilio_signature.py DIR [ROUNDS]

DIR holds what `c_callback twilio-dump DIR 1` wrote (twilio.token, twilio.url, twilio.body,
twilio.sig). Times `RequestValidator(token).validate(url, params, signature)` with `timeit` in
this one process; the form body is parsed into a dict (`urllib.parse.parse_qsl`, as a web
framework hands it over) BEFORE timing, so only the check itself is timed. Prints
`TWILIO-BODYBYTES microseconds_per_check result` (the median of ROUNDS timeit repeats; result is
what validate returned, True or False).
"""

import os
import statistics
import sys
import timeit
import urllib.parse

from twilio.request_validator import RequestValidator


def main():
    folder = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3

    def read(name):
        with open(os.path.join(folder, "twilio." + name), encoding="utf-8") as f:
            return f.read()

    token, url, body, sig = read("token"), read("url"), read("body"), read("sig")
    params = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
    validator = RequestValidator(token)
    result = validator.validate(url, params, sig)
    timer = timeit.Timer(lambda: validator.validate(url, params, sig))
    number, _ = timer.autorange()
    per_call = [t / number * 1e6 for t in timer.repeat(repeat=rounds, number=number)]
    print("TWILIO-{0} {1:.3f} {2}".format(len(body), statistics.median(per_call), result))


if __name__ == "__main__":
    main()
