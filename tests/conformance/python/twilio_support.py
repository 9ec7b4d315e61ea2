"""Helpers for the Verify v2 / Lookup v2 conformance suite (twilio-python 9.13.0, unmodified).

They play only what the real service's other parties play: the user's handset (the code the
sandbox delivered, through the control API), the authenticator app (RFC 6238, computed here from
the binding secret the API returned), the Verify Push device (a P-256 key made here: the DER
signature over the factor SID and the ES256 JWT answer of verify-v2.md §4.4) and the customer's
webhook receiver (sandbox_support.CallbackReceiver). Everything else goes through twilio-python.

How the library is pointed at the sandbox is verify-v2.md §5.3: `base_url` attributes of the
`verify` and `lookups` domains, TWILIO_REGION / TWILIO_EDGE unset, NO_PROXY for 127.0.0.1.
"""

import base64
import hashlib
import hmac
import json
import os
import struct
from datetime import datetime, timezone

for _var in ("TWILIO_REGION", "TWILIO_EDGE"):  # they rewrite the host (127.0.0.1 -> 127.ie1.0.1)
    os.environ.pop(_var, None)
os.environ["NO_PROXY"] = "127.0.0.1,localhost"  # requests honours HTTP_PROXY for http:// URLs

from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature  # noqa: E402
from twilio.rest import Client  # noqa: E402

import sandbox_support as sb  # noqa: E402

BASE_URL = sb.BASE_URL
ACCOUNT_SID = os.environ["TWILIO_ACCOUNT_SID"]
AUTH_TOKEN = os.environ["TWILIO_AUTH_TOKEN"]
API_KEY_SID = os.environ["TWILIO_API_KEY_SID"]
API_KEY_SECRET = os.environ["TWILIO_API_KEY_SECRET"]
DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def client(username=None, password=None, account_sid=None):
    """A stock twilio-python Client whose Verify and Lookups domains point at the sandbox."""
    c = Client(username or ACCOUNT_SID, password or AUTH_TOKEN, account_sid)
    c.verify.base_url = BASE_URL
    c.lookups.base_url = BASE_URL
    return c


# ---- the sandbox clock and the handset ----------------------------------------------------------


def sandbox_now():
    """The sandbox clock (Unix seconds): it drives expiry and TOTP."""
    return sb.advance_clock(0)


def start_of_step(step):
    """Moves the sandbox clock to 1 s into a fresh TOTP step, so a code computed now is still
    current when the request arrives (skew 0 included). Returns the new sandbox time."""
    now = sandbox_now()
    return sb.advance_clock(step - now % step + 1)


def delivered_code(service_sid, to):
    """The code the sandbox delivered for the pending verification of `to` (the handset)."""
    status, body = sb.control("GET", "/sandbox/verify/code",
                              {"ServiceSid": service_sid, "To": to})
    assert status == 200, (status, body)
    return body["code"]


# ---- RFC 6238 (TOTP), our own ---------------------------------------------------------------

ALGS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


def b32decode(secret):
    s = secret.strip().replace(" ", "").upper()
    return base64.b32decode(s + "=" * (-len(s) % 8))


def totp(secret_b32, unix_time, step=30, digits=6, alg="sha1"):
    counter = int(unix_time) // step
    mac = hmac.new(b32decode(secret_b32), struct.pack(">Q", counter), ALGS[alg]).digest()
    off = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)


def outside_code(secret_b32, now, config):
    """A well-formed code that no time step inside the factor's skew window produces."""
    step, digits, alg, skew = config["time_step"], config["code_length"], config["alg"], config["skew"]
    window = {totp(secret_b32, now + d * step, step, digits, alg) for d in range(-skew, skew + 1)}
    candidate = int(totp(secret_b32, now, step, digits, alg))
    while str(candidate).zfill(digits) in window:
        candidate = (candidate + 1) % 10 ** digits
    return str(candidate).zfill(digits)


# ---- the Verify Push device (verify-v2.md §4.4) ---------------------------------------------------


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Device:
    """An EC P-256 key pair, as the Verify Push SDKs hold it."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())

    @property
    def public_key(self):
        """Binding.PublicKey: padded Base64 of the DER SubjectPublicKeyInfo."""
        der = self.key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        return base64.b64encode(der).decode()

    def sign_factor(self, factor_sid):
        """Factor verify AuthPayload: Base64 of the DER ECDSA-SHA256 signature over the SID."""
        der = self.key.sign(factor_sid.encode(), ec.ECDSA(hashes.SHA256()))
        return base64.b64encode(der).decode()

    def jwt(self, claims, header=None):
        """A compact ES256 JWS (raw R||S signature) over `claims`."""
        head = b64url(json.dumps(header or {"typ": "JWT", "alg": "ES256"}).encode())
        body = b64url(json.dumps(claims, ensure_ascii=False).encode())
        signing_input = "{0}.{1}".format(head, body).encode()
        r, s = decode_dss_signature(self.key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        return "{0}.{1}.{2}".format(head, body, b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big")))


def device_client(device, credential_sid, now):
    """The Verify Push SDK's own credentials (verify-v2.md §4.4.2): Basic user `token`, password a
    JWT signed with the factor key, `kid` = config.credential_sid, `sub` = the Account SID,
    nbf/exp on the sandbox clock. A stock Client takes them like any username/password."""
    jwt = device.jwt({"sub": ACCOUNT_SID, "exp": now + 600, "nbf": now},
                     {"cty": "twilio-pba;v=1", "kid": credential_sid, "typ": "JWT", "alg": "ES256"})
    return client("token", jwt)


def challenge_answer(device, fetched, signature_fields, status):
    """The JWT a device posts to answer a push challenge (verify-v2.md §4.4.4): every field named
    in Twilio-Verify-Signature-Fields copied from the fetched challenge, then `status`."""
    claims = {}
    for name in [f.strip() for f in signature_fields.split(",") if f.strip()]:
        claims[name] = wire_value(getattr(fetched, name))
    claims["status"] = status
    return device.jwt(claims)


def wire_value(value):
    """A field of a library instance as it was in the JSON (py parses dates into datetime)."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime(DATE_FORMAT)
    return value


def header(headers, name):
    """Case-insensitive lookup in the headers a *_with_http_info call returns."""
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return value
    return None


class FormParams(dict):
    """A webhook's form body as a web framework hands it over: one value per name, and
    `getall` (the MultiDict method RequestValidator uses) for every value of a name."""

    def __init__(self, body):
        from urllib.parse import parse_qsl

        super().__init__()
        self.pairs = parse_qsl(body.decode(), keep_blank_values=True)
        for name, value in self.pairs:
            self[name] = value

    def getall(self, name):
        return [v for k, v in self.pairs if k == name]


def hook_url(receiver, path):
    """An absolute URL on a CallbackReceiver: what the customer registers as WebhookUrl."""
    host, port = receiver.server.server_address[:2]
    return "http://{0}:{1}{2}".format(host, port, path)
