"""The service's Blueprint: flask-smorest's, with each argument schema built once."""

from __future__ import annotations

import flask_smorest
from marshmallow import Schema
from webargs.flaskparser import FlaskParser


class SchemaOnceParser(FlaskParser):
    """webargs builds a schema given as a class anew for every request (the board's query
    schema: ~60 us of field copies a poll). Our argument schemas keep no state between
    loads, so one instance per class serves every request and thread."""

    def __init__(self) -> None:
        super().__init__()
        self._built: dict[type[Schema], Schema] = {}

    def _get_schema(self, argmap, req) -> Schema:
        if isinstance(argmap, type) and issubclass(argmap, Schema):
            schema = self._built.get(argmap)
            if schema is None:  # two threads may both build it once: either serves
                schema = self._built[argmap] = argmap()
            return schema
        return super()._get_schema(argmap, req)


class Blueprint(flask_smorest.Blueprint):
    """Every resource's blueprint (`@blp.arguments` parses with one schema per class)."""

    ARGUMENTS_PARSER = SchemaOnceParser()
