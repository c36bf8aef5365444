"""QuickDump gives exactly marshmallow's output (service/api/quick_dump.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import Schema, fields

from service.api.quick_dump import QuickDump
from service.api.site_schemas import SiteSchema
from service.models import Site


def marshmallows(schema: Schema, obj) -> dict:
    """The generic dump QuickDump stands in for."""
    return Schema.dump(schema, obj)


class Thing:
    def __init__(self, **values):
        self.__dict__.update(values)


class Inner(Schema):
    n = fields.Integer()


class Mixed(QuickDump):
    plain = fields.Integer()
    renamed = fields.String(attribute="source", data_key="shown")
    dotted = fields.Integer(attribute="inner.n")
    absent = fields.String()
    defaulted = fields.String(dump_default=lambda: "made")
    when = fields.DateTime(allow_none=True)
    flag = fields.Boolean()
    ratio = fields.Float()
    computed = fields.Function(lambda obj: obj.plain * 2)
    inner = fields.Nested(Inner)
    items = fields.List(fields.Integer())
    loaded_only = fields.String(load_only=True)


def test_every_kind_of_field_dumps_as_marshmallow_does():
    thing = Thing(
        plain=4,
        source="from source",
        inner=Thing(n=7),
        when=datetime(2026, 12, 7, 9, 30, tzinfo=UTC),
        flag=1,
        ratio=2,
        items=[1, 2],
        loaded_only="secret",
    )
    schema = Mixed()
    quick = schema.dump(thing)
    assert quick == marshmallows(schema, thing)
    assert quick["shown"] == "from source" and quick["dotted"] == 7
    assert "absent" not in quick and quick["defaulted"] == "made"
    assert quick["ratio"] == 2.0 and "loaded_only" not in quick
    none_time = Thing(**{**thing.__dict__, "when": None})
    assert schema.dump(none_time) == marshmallows(schema, none_time)
    assert schema.dump([thing], many=True) == [quick]


def test_a_site_dumps_as_marshmallow_does(session, site_key):
    site = session.get(Site, site_key.site_id)
    site.sending_state = {"sent_last_24h": 3, "next_window_opening": None}
    site.paused, site.paused_reason = True, "bounces"
    site.paused_at = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    schema = SiteSchema()
    quick = schema.dump(site)
    assert quick == marshmallows(schema, site)
    assert set(quick) == set(schema.dump_fields) and quick["paused_at"].startswith("2026-12-07")
