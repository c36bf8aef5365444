"""A schema's dump without marshmallow's per-field lookup machinery, same output.

marshmallow reads each field's value through four calls (Field.get_value, the schema's
get_attribute, utils.get_value and its key lookup, which tries `obj[key]` first). For an
ORM object with plain attribute names that is one `getattr`. QuickDump keeps each field's
own formatting (its `_serialize`, dump_default, data_key) and only takes that shortcut:
GET /site dumps 37 fields on every call, the smallest signed request there is, and the
generic path was ~7 % of its time (issue 28). tests/api/test_quick_dump.py checks the
output equals marshmallow's for every schema that uses it.
"""

from __future__ import annotations

from marshmallow import Schema, missing
from marshmallow.decorators import POST_DUMP, PRE_DUMP
from marshmallow.fields import Field


class QuickDump(Schema):
    """Mixin for a schema dumped one ORM object at a time (no dump hooks)."""

    def dump(self, obj, *, many: bool | None = None):
        many = self.many if many is None else bool(many)
        if many or obj is None or hasattr(obj, "__getitem__") or self._has_dump_hooks():
            return super().dump(obj, many=many)
        return self._quick(obj)

    def _has_dump_hooks(self) -> bool:
        return bool(self._hooks[PRE_DUMP] or self._hooks[POST_DUMP])

    def _quick(self, obj) -> dict:
        plan = self.__dict__.get("_quick_plan")
        if plan is None:
            plan = self.__dict__["_quick_plan"] = _plan(self)
        out = {}
        for key, attr, name, field in plan:
            if attr is None:  # a field that looks its value up itself
                value = field.serialize(name, obj, accessor=self.get_attribute)
            else:
                value = getattr(obj, attr, missing)
                if value is missing:
                    default = field.dump_default
                    value = default() if callable(default) else default
                    if value is missing:
                        continue
                value = field._serialize(value, name, obj)
            if value is not missing:
                out[key] = value
        return out


def _plan(schema: Schema) -> list[tuple[str, str | None, str, Field]]:
    """(output key, attribute to getattr or None for the field's own lookup, name, field)."""
    plan = []
    plain_lookup = type(schema).get_attribute is Schema.get_attribute
    for name, field in schema.dump_fields.items():
        attr = field.attribute if field.attribute is not None else name
        own_lookup = (
            not plain_lookup
            or not field._CHECK_ATTRIBUTE
            or type(field).serialize is not Field.serialize
            or type(field).get_value is not Field.get_value
            or "." in attr
        )
        key = field.data_key if field.data_key is not None else name
        plan.append((key, None if own_lookup else attr, name, field))
    return plan
