"""One definition per field: the bridge's limits are schemas/openapi.json's.

The REST proxy's arguments (wp-bridge/src/Routes.php, as WordPress registers them) and the
limits the dialogs put on their inputs (wp-bridge/assets/js) must say what the service
says; both come from files scripts/gen_bridge_fields.py writes, which must be fresh.
tests/e2e/test_field_limits.py checks the inputs of the dialogs as Chromium draws them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.bridge.openapi_fields import (
    DOCUMENT,
    ROOT,
    input_limits,
    request_schemas,
    resolve,
    writable,
)

BRIDGE = ROOT / "wp-bridge"
JS = BRIDGE / "assets" / "js"

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


def openapi_operation(method: str, path: str) -> dict:
    """The operation of schemas/openapi.json behind a bridge route's service path."""
    path = re.sub(r"\{[a-z_]+\}", "{id}", path)  # {sub_id}: a second id (a share link)
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


def test_the_form_renderer_gives_inputs_the_services_limits():
    """What common/form.js puts on an input for each field of each request schema (node
    runs the real module) is what schemas/openapi.json says."""
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed (scripts/ci-bridge-deps.sh installs it)")
    script = (
        "const base = process.env.AO_JS;"
        "const { definition, limits } = await import(base + '/common/form.js');"
        "const names = JSON.parse(process.env.AO_FIELDS); const out = {};"
        "for (const [schema, fields] of Object.entries(names)) { out[schema] = {};"
        " for (const name of fields) { out[schema][name] = limits(definition(schema, name)); } }"
        "console.log(JSON.stringify(out));"
    )
    wanted = {name: list(writable(name)) for name in sorted(request_schemas())}
    done = subprocess.run(
        [node, "--input-type=module", "-e", script],
        env={**os.environ, "AO_JS": JS.as_uri(), "AO_FIELDS": json.dumps(wanted)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    drawn = json.loads(done.stdout)
    found = [
        f"{schema}.{name}: the input gets {drawn[schema][name]}, the service says {expected}"
        for schema, names in wanted.items()
        for name in names
        if {k: v for k, v in drawn[schema][name].items() if k != "step"}
        != (expected := input_limits(writable(schema)[name]))
    ]
    assert found == [], "\n".join(found)
    assert {"Opportunity", "SitePatch", "Template", "SendEmail"} <= set(wanted)


def test_no_dialog_writes_a_text_limit_of_its_own():
    """maxlength and minlength are set by common/form.js only, from common/fields.js."""
    own = re.compile(r"\b(maxlength|minlength)\b", re.IGNORECASE)
    found = [
        f"{path.relative_to(JS).as_posix()}:{number}: {line.strip()}"
        for path in sorted(JS.rglob("*.js"))
        if path.relative_to(JS).as_posix() not in {"common/form.js", "common/fields.js"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if own.search(line) and not line.strip().startswith(("*", "//"))
    ]
    assert found == [], "\n".join(found)
