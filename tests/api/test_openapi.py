"""schemas/openapi.json must equal what the service serves (docs/api.md: kept equal)."""

from __future__ import annotations

import json
from pathlib import Path

COMMITTED = Path(__file__).resolve().parents[2] / "schemas" / "openapi.json"
FIX = (
    "schemas/openapi.json is stale: run `.venv/bin/python scripts/export_openapi.py` and commit it"
)


def _diff(committed: dict, served: dict) -> list[str]:
    """Paths and schemas that differ, to point at what changed."""
    out = []
    for section, a, b in (
        ("paths", committed.get("paths", {}), served.get("paths", {})),
        (
            "schemas",
            committed.get("components", {}).get("schemas", {}),
            served.get("components", {}).get("schemas", {}),
        ),
    ):
        for name in sorted(set(a) | set(b)):
            if a.get(name) != b.get(name):
                out.append(f"{section}: {name}")
    return out


def test_openapi_document_is_served_unsigned(raw):
    r = raw.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json
    assert doc["info"]["title"] == "AlmaSEO Outreach" and doc["info"]["version"] == "v1"
    for path in (
        "/api/v1/board",
        "/api/v1/opportunities",
        "/api/v1/opportunities/{opportunity_id}",
        "/api/v1/opportunities/{opportunity_id}/move",
        "/api/v1/opportunities/{opportunity_id}/notes",
        "/api/v1/templates",
        "/api/v1/templates/{template_id}",
        "/api/v1/templates/preview",
        "/api/v1/site",
    ):
        assert path in doc["paths"], path


def test_committed_openapi_matches_the_app(raw):
    served = raw.get("/api/v1/openapi.json").json
    assert COMMITTED.exists(), FIX
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == served, f"{FIX}; differences: {_diff(committed, served)}"
    text = json.dumps(served, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert COMMITTED.read_text(encoding="utf-8") == text, FIX


def test_the_routes_are_documented_when_the_spec_is_first_read(
    engine, database_url, clock, tmp_path, monkeypatch
):
    """Not at start (service/api/spec.py: ~1.4 MB an API worker never otherwise uses); the
    first read documents every resource once, and the committed document above is what it
    then serves."""
    from flask_smorest import Blueprint

    from service.app import create_app
    from tests.support.apps import app_config

    documented = []
    original = Blueprint.register_views_in_doc

    def counted(self, *args, **kwargs):
        documented.append(self.name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Blueprint, "register_views_in_doc", counted)
    app = create_app(app_config(database_url, engine, clock, tmp_path))
    assert documented == []
    api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    assert "/api/v1/board" in api.spec.to_dict()["paths"]
    assert len(documented) > 15 and len(set(documented)) == len(documented)
    assert app.test_client().get("/api/v1/openapi.json").status_code == 200
    assert len(set(documented)) == len(documented)  # read again: nothing documented twice
