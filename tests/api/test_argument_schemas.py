"""Argument schemas are built once per class (service/api/blueprint.py), not per request,
and every resource's blueprint parses that way."""

from __future__ import annotations

import flask_smorest

from service.api import blueprint
from service.api.card_schemas import BoardQuerySchema
from tests.support.api import API


def test_a_query_schema_is_built_once_for_every_request(client, monkeypatch):
    built = []
    original = BoardQuerySchema.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(blueprint.Blueprint.ARGUMENTS_PARSER, "_built", {})
    monkeypatch.setattr(BoardQuerySchema, "__init__", counting)
    for query in ({"q": "blog"}, {"sort": "-dr"}, {"q": "x", "has_email": "true"}):
        assert client.get(f"{API}/board", query=query).status_code == 200
    assert len(built) == 1  # webargs alone builds one per request: 3


def test_a_bad_query_is_still_refused_with_its_field_named(client):
    first = client.get(f"{API}/board", query={"sort": "nonsense"})
    again = client.get(f"{API}/board", query={"sort": "nonsense"})
    assert first.status_code == again.status_code == 422
    assert "sort" in first.json["errors"] and first.json == again.json


def test_every_resource_blueprint_is_the_services(app):
    smorest = [b for b in app.blueprints.values() if isinstance(b, flask_smorest.Blueprint)]
    assert smorest and all(isinstance(b, blueprint.Blueprint) for b in smorest), [
        b.name for b in smorest if not isinstance(b, blueprint.Blueprint)
    ]
