#!/usr/bin/env python3
"""Write the bridge's field definitions from schemas/openapi.json (the one definition).

Usage: .venv/bin/python scripts/gen_bridge_fields.py [--check]

- wp-bridge/src/Generated/Fields.php: the WordPress REST argument schema of every /api/v1
  operation (query parameters and JSON body fields) that src/Routes.php proxies;
- wp-bridge/assets/js/common/fields.js: each request schema's fields with the limits the
  dialogs put on their inputs (maxlength, min, max) and how to read them (type, nullable).

--check exits 1 (writing nothing) when a committed file differs from what it would write;
tests/bridge/test_field_limits.py runs it. Run it after scripts/export_openapi.py.

What the bridge's REST arguments carry of a field: its type (plus null when nullable),
`format` where WordPress checks the same thing (email; url as WordPress' uri), maxLength,
enum, pattern, maxItems, nested objects (closed: additionalProperties false) and their
required fields. What they leave to the service: defaults, read-only fields, other formats
(WordPress' date-time parser accepts times without an offset, the service does not),
number ranges (minimum, maximum) and lower size bounds (minLength, minItems): the
service's 422 says it in words a person reads under the field ("Must be greater than or
equal to 0 and less than or equal to 8760.", "pick at least one day"), where WordPress
would word each bound its own way or blame a whole nested parameter. The dialogs still
put minimum and maximum on their number inputs (fields.js).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OPENAPI = ROOT / "schemas" / "openapi.json"
PHP_TARGET = ROOT / "wp-bridge" / "src" / "Generated" / "Fields.php"
JS_TARGET = ROOT / "wp-bridge" / "assets" / "js" / "common" / "fields.js"

# OpenAPI format → the WordPress REST format that checks the same thing (others: none).
WP_FORMATS = {"email": "email", "url": "uri", "uri": "uri"}
# Keywords copied as they are, in this order.
COPIED = ("maxLength", "enum", "pattern", "maxItems")
# What the dialogs need to know of a field (the JS side).
JS_KEYS = ("type", "nullable", "format", "maxLength", "minimum", "maximum")


def resolve(schema: dict, components: dict) -> dict:
    """A schema with its $ref (or a one-item allOf) followed."""
    while True:
        if "$ref" in schema:
            schema = components[schema["$ref"].rsplit("/", 1)[-1]]
        elif len(schema.get("allOf", ())) == 1 and "type" not in schema:
            schema = schema["allOf"][0]
        else:
            return schema


def plain(schema: dict) -> dict:
    """A nullable nested object (marshmallow writes `anyOf: [{nullable object}, {$ref}]`)
    as its $ref marked nullable."""
    branches = schema.get("anyOf", ())
    rest = [b for b in branches if not (b.get("nullable") and set(b) <= {"nullable", "type"})]
    if len(branches) == 2 and len(rest) == 1:
        return {**rest[0], "nullable": True}
    return schema


def writable(schema: dict, components: dict) -> dict:
    """The properties a client may send (read-only ones left out)."""
    props = resolve(schema, components).get("properties", {})
    return {name: p for name, p in props.items() if not p.get("readOnly")}


def wp_arg(schema: dict, components: dict) -> dict:
    """One field as a WordPress REST argument schema (see the module's docstring)."""
    schema = plain(schema)
    nullable = schema.get("nullable", False)
    schema = resolve(schema, components)
    kind = schema.get("type", "string")
    arg: dict = {"type": [kind, "null"] if nullable or schema.get("nullable") else kind}
    if schema.get("format") in WP_FORMATS:
        arg["format"] = WP_FORMATS[schema["format"]]
    arg.update({key: schema[key] for key in COPIED if key in schema})
    if kind == "array" and "items" in schema:
        arg["items"] = wp_arg(schema["items"], components)
    if kind == "object" and "properties" in schema:
        required = set(schema.get("required", ()))
        arg["additionalProperties"] = False
        arg["properties"] = {
            name: wp_arg(p, components) | ({"required": True} if name in required else {})
            for name, p in writable(schema, components).items()
        }
    return arg


def body_schema(operation: dict) -> dict | None:
    """The JSON request body's schema of an operation, if it takes one."""
    content = operation.get("requestBody", {}).get("content", {})
    return content.get("application/json", {}).get("schema")


def operations(document: dict) -> dict:
    """'METHOD /api/v1/path/{id}' → {'query': args, 'body': args} for every operation."""
    components = document["components"]["schemas"]
    table = {}
    for path, item in sorted(document["paths"].items()):
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in sorted(item.items()):
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            query = {
                p["name"]: wp_arg(p.get("schema", {}), components)
                for p in operation.get("parameters", [])
                if p.get("in") == "query"
            }
            body = {}
            schema = body_schema(operation)
            if schema is not None:
                required = set(resolve(schema, components).get("required", ()))
                body = {
                    name: wp_arg(p, components) | ({"required": True} if name in required else {})
                    for name, p in writable(schema, components).items()
                }
            key = method.upper() + " " + re.sub(r"\{[a-z_]+\}", "{id}", path)
            table[key] = {"query": query, "body": body}
    return table


def request_schemas(document: dict) -> dict:
    """Name → writable fields (JS keys only) of every schema a JSON request body uses."""
    components = document["components"]["schemas"]
    names: list[str] = []

    def visit(schema: dict) -> None:
        for ref in re.findall(r'"\$ref": "#/components/schemas/(\w+)"', json.dumps(schema)):
            if ref not in names:
                names.append(ref)
                for prop in writable(components[ref], components).values():
                    visit(prop)

    for item in document["paths"].values():
        for operation in item.values():
            schema = body_schema(operation) if isinstance(operation, dict) else None
            if schema is not None:
                visit(schema)
    out = {}
    for name in sorted(names):
        fields = {}
        for field, prop in writable(components[name], components).items():
            prop = plain(prop)
            nullable = prop.get("nullable", False)
            prop = resolve(prop, components)
            entry = {"type": prop.get("type", "object")}
            if nullable:
                entry["nullable"] = True
            entry |= {key: prop[key] for key in JS_KEYS[2:] if key in prop}
            fields[field] = entry
        if fields:
            out[name] = fields
    return out


def scalar(value) -> str:
    """A boolean, number, string or null as PHP and JavaScript both write it (single
    quotes); null is in a nullable field's enum (a reply's label)."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(int(value)) if float(value).is_integer() else repr(value)
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


# --- PHP (WordPress Coding Standards: one item a line, aligned arrows) -------------------


def php_value(value, depth: int) -> str:
    if not isinstance(value, dict | list):
        return scalar(value)
    if not value:
        return "array()"
    pad = "\t" * (depth + 1)
    if isinstance(value, list):
        if len(value) == 1:
            return "array( " + php_value(value[0], depth) + " )"
        lines = [pad + php_value(v, depth + 1) + "," for v in value]
    else:
        width = max(len(scalar(k)) for k in value)
        lines = [
            pad + scalar(k).ljust(width) + " => " + php_value(v, depth + 1) + ","
            for k, v in value.items()
        ]
    return "array(\n" + "\n".join(lines) + "\n" + "\t" * depth + ")"


PHP_HEAD = (
    "<?php\n"
    "/**\n"
    " * GENERATED by scripts/gen_bridge_fields.py from schemas/openapi.json: do not edit, run it.\n"
    " *\n"
    " * @package AlmaSEO\\Outreach\n"
    " */\n"
    "\n"
    "namespace AlmaSEO\\Outreach\\Generated;\n"
    "\n"
    "defined( 'ABSPATH' ) || exit;\n"
    "\n"
    "/**\n"
    " * The REST argument schemas of every /api/v1 operation, with the service's limits\n"
    " * (docs/api.md): what src/Routes.php declares for each proxied route.\n"
    " */\n"
    "final class Fields {\n"
    "\n"
    "\t/**\n"
    "\t * 'METHOD /api/v1/path' => array( 'query' => args, 'body' => JSON body args ).\n"
    "\t */\n"
    "\tconst OPERATIONS = "
)


def render_php(document: dict) -> str:
    return PHP_HEAD + php_value(operations(document), 1) + ";\n}\n"


# --- JavaScript (Prettier as @wordpress/eslint-plugin configures it) -------------------


def js_object(value: dict, depth: int, lead: int) -> str:
    """An object on one line when its line fits in 80 columns (a tab counts 4; `lead`: the
    characters before it on the line), else one key a line, as Prettier prints it."""
    if all(not isinstance(v, dict) for v in value.values()):
        inline = "{ " + ", ".join(f"{k}: {scalar(v)}" for k, v in value.items()) + " }"
        if 4 * depth + lead + len(inline) + 1 <= 80:
            return inline
    pad = "\t" * (depth + 1)
    lines = [
        pad
        + f"{k}: "
        + (js_object(v, depth + 1, len(k) + 2) if isinstance(v, dict) else scalar(v))
        + ","
        for k, v in value.items()
    ]
    return "{\n" + "\n".join(lines) + "\n" + "\t" * depth + "}"


JS_HEAD = """/**
 * GENERATED by scripts/gen_bridge_fields.py from schemas/openapi.json: do not edit, run it.
 *
 * Each request schema's fields as the service defines them (docs/api.md): type, whether
 * null is allowed, and the limits a dialog puts on its input (common/form.js reads them).
 */
export const FIELDS = """


def render_js(document: dict) -> str:
    return JS_HEAD + js_object(request_schemas(document), 0, len("export const FIELDS = ")) + ";\n"


def main(argv: list[str]) -> int:
    document = json.loads(OPENAPI.read_text(encoding="utf-8"))
    outputs = {PHP_TARGET: render_php(document), JS_TARGET: render_js(document)}
    if "--check" in argv:
        stale = [
            path.relative_to(ROOT).as_posix()
            for path, text in outputs.items()
            if not path.exists() or path.read_text(encoding="utf-8") != text
        ]
        for name in stale:
            print(f"{name} is stale: run scripts/gen_bridge_fields.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"Wrote {path.relative_to(ROOT)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
