"""authy-python's OneTouch callback check on the vectors examples/bench_signature.rs uses.

    python py_signature.py VECTORS.json [ROUNDS]

Picks the largest valid POST (JSON body) and GET (query string) vectors of
tests/data/onetouch_signature_vectors.json, the same rule as examples/bench_signature.rs
(longest params), and times
`AuthyApiClient(api_key).one_touch.validate_one_touch_signature(signature, nonce, method, url,
params)` with `timeit` in this one process (one thread). authy-python takes the parameters as a
dict: the POST body is parsed with `json.loads` and the GET query string into nested dicts
(Rack style, as a web framework would hand them over) BEFORE timing, so only the check itself is
timed (generous to authy-python). Prints one line per vector:
`METHOD params_bytes microseconds_per_check result` (the median of ROUNDS timeit repeats;
result is what the check returned, True or False).
"""

import json
import re
import sys
import timeit
import urllib.parse

from authy.api import AuthyApiClient


def rack_params(query):
    """Parses a query string into nested dicts/lists the way Rack does (a[b]=1, a[][c]=2)."""
    root = {}
    for key, value in urllib.parse.parse_qsl(query, keep_blank_values=True):
        _normalize(root, key, value)
    return root


def _has_path(node, name):
    """Rack's params_hash_has_key?: does `name` ("a][b" style, brackets loose) exist in node?"""
    for part in [p for p in re.split(r"[\[\]]+", name) if p]:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _normalize(params, name, value):
    m = re.match(r"\A[\[\]]*([^\[\]]+)\]*", name)
    if not m:
        return params
    k, after = m.group(1), name[m.end():]
    if after == "":
        params[k] = value
    elif after == "[]":
        params.setdefault(k, []).append(value)
    elif after.startswith("[]"):
        child = after[2:]
        items = params.setdefault(k, [])
        if items and isinstance(items[-1], dict) and not _has_path(items[-1], child):
            _normalize(items[-1], child, value)
        else:
            items.append(_normalize({}, child, value))
    else:
        _normalize(params.setdefault(k, {}), after, value)
    return params


def load(path):
    with open(path) as f:
        vectors = [v for v in json.load(f) if v.get("valid") is True]

    def params_text(v):
        return v.get("body_json") or v.get("query_string") or ""

    picked = []
    for method in ("POST", "GET"):
        candidates = [v for v in vectors if v["method"] == method]
        picked.append(max(candidates, key=lambda v: len(params_text(v))))
    return picked, params_text


def main():
    path = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    picked, params_text = load(path)
    for v in picked:
        text = params_text(v)
        params = json.loads(text) if v["method"] == "POST" else rack_params(text)
        check = AuthyApiClient(v["api_key"]).one_touch.validate_one_touch_signature
        args = (v["expected_signature"], v["nonce"], v["method"], v["url"], params)
        result = check(*args)
        timer = timeit.Timer(lambda: check(*args))
        number, _ = timer.autorange()
        times = sorted(t / number for t in timer.repeat(repeat=rounds, number=number))
        print("{0} {1} {2:.3f} {3}".format(v["method"], len(text), times[len(times) // 2] * 1e6, result))


if __name__ == "__main__":
    main()
