"""Regenerate schemas/signing-vectors.json (run by hand; tests check the file, not this)."""

import base64
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from service.signing import body_hash, sign, string_to_sign  # noqa: E402

CASES = [
    ("GET with no body", "GET", "/api/v1/board", "", b"", "", 0),
    (
        "GET with a query",
        "GET",
        "/api/v1/opportunities",
        "status=new&q=caf%C3%A9&page=2",
        b"",
        "outreach.view",
        7,
    ),
    (
        "POST JSON body",
        "POST",
        "/api/v1/opportunities",
        "",
        b'{"source_url":"https://blog.example.org/post","anchor_text":"best tools"}',
        "outreach.view,outreach.edit",
        12,
    ),
    (
        "PATCH with unicode body",
        "PATCH",
        "/api/v1/templates/3",
        "",
        '{"subject":"Hola señor — ☕","body":"Grüße"}'.encode(),
        "outreach.templates",
        1,
    ),
    (
        "DELETE with every capability",
        "DELETE",
        "/api/v1/opportunities/42",
        "",
        b"",
        "outreach.view,outreach.edit,outreach.delete,outreach.send,outreach.templates,"
        "outreach.sequences,outreach.settings",
        99,
    ),
    (
        "lowercase method is upper-cased",
        "put",
        "/api/v1/opportunities/5/notes",
        "a=1&a=2",
        b'{"notes":"line1\\nline2"}',
        "outreach.edit",
        3,
    ),
    ("binary body", "POST", "/api/v1/opportunities", "", bytes(range(256)), "", 0),
]
SECRETS = ["s3cr3t-Example_Secret-0123456789abcdefABCDEF", "ünïcødé-secret-✓"]


def main() -> None:
    vectors = []
    for i, (name, method, path, query, body, caps, user) in enumerate(CASES):
        secret = SECRETS[i % 2 if name != "binary body" else 0]
        ts, nonce = str(1767268800 + i * 17), f"nonce_{i:02d}-AbCdEfGhIjKl"
        sts = string_to_sign(method, path, query, ts, nonce, str(user), caps, body)
        vectors.append(
            {
                "name": name,
                "secret": secret,
                "method": method,
                "path": path,
                "query": query,
                "timestamp": ts,
                "nonce": nonce,
                "user": str(user),
                "caps": caps,
                "body_base64": base64.b64encode(body).decode(),
                "body_sha256": body_hash(body),
                "string_to_sign": sts,
                "signature": sign(secret, sts),
            }
        )
    doc = {
        "description": "Signing test vectors for docs/api.md, signed requests (HMAC-SHA256, v1). "
        "Both the Python service and the PHP bridge must reproduce string_to_sign and "
        "signature exactly from the inputs; body bytes are base64-encoded.",
        "vectors": vectors,
    }
    out = Path(__file__).resolve().parents[1] / "schemas" / "signing-vectors.json"
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
