#!/usr/bin/env python3
"""Write schemas/openapi.json from what the app serves at GET /api/v1/openapi.json.

Usage: .venv/bin/python scripts/export_openapi.py [--check]
--check exits 1 (writing nothing) when the committed file differs from the app's document.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET = ROOT / "schemas" / "openapi.json"


def render(document: dict) -> str:
    """The committed form: sorted keys, two-space indent, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def served_document() -> dict:
    """The OpenAPI document exactly as a running service serves it."""
    from service.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": f"sqlite:///{folder}/x.sqlite3",
                "INSTANCE_PATH": folder,
                "SCHEDULER_ENABLED": False,
                "OUTBOX_PATH": f"{folder}/outbox.jsonl",
            }
        )
        response = app.test_client().get("/api/v1/openapi.json")
        if response.status_code != 200:
            raise SystemExit(f"GET /api/v1/openapi.json answered {response.status_code}")
        return response.get_json()


def main(argv: list[str]) -> int:
    text = render(served_document())
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(
                f"{TARGET.relative_to(ROOT)} is stale: run scripts/export_openapi.py",
                file=sys.stderr,
            )
            return 1
        print(f"{TARGET.relative_to(ROOT)} is up to date.")
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"Wrote {TARGET.relative_to(ROOT)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
