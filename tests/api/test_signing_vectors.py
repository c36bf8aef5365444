"""The shared signing vectors: string to sign and signature, and verify() accepting them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest

from service import signing

VECTORS = json.loads(
    (Path(__file__).resolve().parents[2] / "schemas" / "signing-vectors.json").read_text(
        encoding="utf-8"
    )
)["vectors"]


def _body(vector) -> bytes:
    return base64.b64decode(vector["body_base64"])


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_string_to_sign_matches_vector(vector):
    body = _body(vector)
    assert signing.body_hash(body) == vector["body_sha256"]
    sts = signing.string_to_sign(
        vector["method"],
        vector["path"],
        vector["query"],
        vector["timestamp"],
        vector["nonce"],
        vector["user"],
        vector["caps"],
        body,
    )
    assert sts == vector["string_to_sign"]
    assert not sts.endswith("\n") and len(sts.split("\n")) == 9


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_signature_matches_vector(vector):
    assert signing.sign(vector["secret"], vector["string_to_sign"]) == vector["signature"]
    # Independent recomputation: HMAC keyed with the secret's UTF-8 bytes, lowercase hex.
    mac = hmac.new(
        vector["secret"].encode("utf-8"), vector["string_to_sign"].encode("utf-8"), hashlib.sha256
    ).hexdigest()
    assert vector["signature"] == "v1=" + mac


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_verify_accepts_vector_and_rejects_other_secret(vector):
    headers = {
        "X-Outreach-Key": "ok_vector",
        "X-Outreach-Timestamp": vector["timestamp"],
        "X-Outreach-Nonce": vector["nonce"],
        "X-Outreach-User": vector["user"],
        "X-Outreach-Caps": vector["caps"],
        "X-Outreach-Signature": vector["signature"],
    }
    seen = set()

    def remember(key_id, nonce):
        if (key_id, nonce) in seen:
            return False
        seen.add((key_id, nonce))
        return True

    def verify(secret: str, now: int, remember_nonce):
        return signing.verify(
            headers,
            vector["method"],
            vector["path"],
            vector["query"],
            _body(vector),
            secret_for=lambda _k: secret,
            now=now,
            remember_nonce=remember_nonce,
        )

    proof = verify(vector["secret"], int(vector["timestamp"]) + 299, remember)
    assert proof.user_id == int(vector["user"])
    assert proof.caps == frozenset(c for c in vector["caps"].split(",") if c)
    with pytest.raises(signing.SignatureError, match="replay"):
        verify(vector["secret"], int(vector["timestamp"]), remember)
    with pytest.raises(signing.SignatureError, match="does not match"):
        verify(vector["secret"] + "x", int(vector["timestamp"]), lambda *_: True)


def test_sign_headers_reproduces_a_vector():
    v = VECTORS[2]
    headers = signing.sign_headers(
        v["secret"],
        "ok_x",
        v["method"],
        v["path"],
        v["query"],
        _body(v),
        timestamp=int(v["timestamp"]),
        nonce=v["nonce"],
        user=int(v["user"]),
        caps=v["caps"],
    )
    assert headers["X-Outreach-Signature"] == v["signature"]
