"""schemas/openapi.json read as the bridge's tests need it: fields, their limits."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = json.loads((ROOT / "schemas" / "openapi.json").read_text(encoding="utf-8"))
COMPONENTS = DOCUMENT["components"]["schemas"]


def resolve(schema: dict) -> dict:
    """A schema with its $ref (or a one-item allOf, or a nullable nested object's anyOf)
    followed."""
    branches = schema.get("anyOf", ())
    rest = [b for b in branches if not (b.get("nullable") and set(b) <= {"nullable", "type"})]
    if len(branches) == 2 and len(rest) == 1:
        schema = rest[0]
    while "$ref" in schema or (len(schema.get("allOf", ())) == 1 and "type" not in schema):
        schema = (
            COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
            if "$ref" in schema
            else schema["allOf"][0]
        )
    return schema


def writable(name: str) -> dict:
    """A component schema's fields a client may send."""
    props = COMPONENTS[name].get("properties", {})
    return {field: p for field, p in props.items() if not p.get("readOnly")}


def request_schemas() -> set[str]:
    """The schemas a JSON request body is made of (nested ones included)."""
    found: set[str] = set()

    def visit(schema) -> None:
        for name in re.findall(r"#/components/schemas/(\w+)", json.dumps(schema)):
            if name not in found:
                found.add(name)
                visit(list(writable(name).values()))

    for item in DOCUMENT["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict):
                content = operation.get("requestBody", {}).get("content", {})
                visit(content.get("application/json", {}))
    return found


def input_limits(schema: dict) -> dict:
    """The attributes an input of this field must carry: maxlength, min, max."""
    schema = resolve(schema)
    names = {"maxLength": "maxlength", "minimum": "min", "maximum": "max"}
    return {attr: schema[key] for key, attr in names.items() if key in schema}
