"""One definition per field: the bridge's limits are schemas/openapi.json's.

The REST proxy's arguments (wp-bridge/src/Routes.php, as WordPress registers them) and the
limits the dialogs put on their inputs (wp-bridge/assets/js) must say what the service
says; both come from files scripts/gen_bridge_fields.py writes, which must be fresh.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BRIDGE = ROOT / "wp-bridge"
JS = BRIDGE / "assets" / "js"
DOCUMENT = json.loads((ROOT / "schemas" / "openapi.json").read_text(encoding="utf-8"))
COMPONENTS = DOCUMENT["components"]["schemas"]

# What must match, keyword by keyword (a format as WordPress names the same check).
LIMITS = ("maxLength", "enum", "pattern", "maxItems")
WP_FORMAT = {"email": "email", "url": "uri"}
# Left to the service (its 422 words both bounds for a person): the bridge may not carry
# them, and where it does they must be the service's (scripts/gen_bridge_fields.py says why).
RANGES = ("minimum", "maximum")

pytestmark = pytest.mark.skipif(
    os.environ.get("OUTREACH_TEST_DB") == "postgres",
    reason="bridge checks run once per CI run, on the SQLite pass",
)


def resolve(schema: dict) -> dict:
    while "$ref" in schema or (len(schema.get("allOf", ())) == 1 and "type" not in schema):
        schema = (
            COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
            if "$ref" in schema
            else schema["allOf"][0]
        )
    return schema


def openapi_operation(method: str, path: str) -> dict:
    """The operation of schemas/openapi.json behind a bridge route's service path."""
    for candidate, item in DOCUMENT["paths"].items():
        if re.sub(r"\{[a-z_]+\}", "{id}", candidate) == path and method.lower() in item:
            return item[method.lower()]
    raise AssertionError(f"{method} {path} is not in schemas/openapi.json")


def differences(where: str, arg: dict, schema: dict) -> list[str]:
    """Where a bridge argument's limits differ from the service's field (and its parts)."""
    schema = resolve(schema)
    found = []
    for key in LIMITS:
        if arg.get(key) != schema.get(key):
            found.append(f"{where}: {key} is {arg.get(key)!r}, the service's {schema.get(key)!r}")
    for key in RANGES:
        if key in arg and arg[key] != schema.get(key):
            found.append(f"{where}: {key} is {arg[key]!r}, the service's {schema.get(key)!r}")
    if arg.get("format") != WP_FORMAT.get(schema.get("format")):
        found.append(
            f"{where}: format is {arg.get('format')!r}, the service's {schema.get('format')!r}"
        )
    if "items" in arg or "items" in schema:
        found += differences(where + "[]", arg.get("items", {}), schema.get("items", {}))
    props = schema.get("properties", {})
    for name, nested in (arg.get("properties") or {}).items():
        if name not in props:
            found.append(f"{where}.{name}: not a field of the service's schema")
        else:
            found += differences(f"{where}.{name}", nested, props[name])
    return found


def route_differences(op: dict) -> list[str]:
    where = f"{op['method']} {op['route']}"
    operation = openapi_operation(op["method"], op["path"])
    params = {p["name"]: p.get("schema", {}) for p in operation.get("parameters", [])}
    content = operation.get("requestBody", {}).get("content", {})
    body = resolve(content.get("application/json", {}).get("schema", {}))
    found = []
    for part, fields in (("query", params), ("body", body.get("properties", {}))):
        for name, arg in (op[part] or {}).items():  # PHP writes an empty array as []
            if name not in fields or fields[name].get("readOnly"):
                found.append(f"{where} {part} {name}: the service takes no such field")
            else:
                found += differences(f"{where} {part} {name}", arg, fields[name])
    return found


@pytest.fixture(scope="module")
def routes() -> list[dict]:
    """Routes::all() as the plugin builds it, read through PHP."""
    php = shutil.which("php")
    if not php:
        pytest.skip("php is not installed (scripts/ci-bridge-deps.sh installs it)")
    code = (
        "define('ABSPATH', $argv[1] . '/'); require $argv[1] . '/src/autoload.php';"
        "echo json_encode(AlmaSEO\\Outreach\\Routes::all());"
    )
    done = subprocess.run(
        [php, "-r", code, str(BRIDGE)], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(done.stdout)


def test_the_generated_field_files_are_fresh():
    """Fields.php and fields.js say what schemas/openapi.json says today."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_bridge_fields.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_every_rest_argument_has_the_services_limits(routes):
    found = [line for op in routes for line in route_differences(op)]
    assert found == [], "\n".join(found)
    assert len(routes) > 40  # the whole table was read


def test_a_changed_limit_is_caught(routes):
    """The comparison sees a limit that moved (so a passing run means something)."""
    op = next(o for o in routes if (o["method"], o["path"]) == ("POST", "/api/v1/opportunities"))
    changed = json.loads(json.dumps(op))
    changed["body"]["anchor_text"]["maxLength"] = 499
    changed["body"]["contact_email"].pop("format")
    changed["body"]["status"]["enum"] = ["new", "won"]
    changed["body"]["notes"]["minimum"] = 3
    assert len(route_differences(changed)) == 4
