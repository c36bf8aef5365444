"""CSV import and export of opportunities (docs/api.md, pipeline tools)."""

from __future__ import annotations

from dataclasses import asdict

from flask import Response, request
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import actor, current_site, now, runtime, uow
from service.api.schemas import ID
from service.domain.transfer import importer
from service.domain.transfer import usecases as transfer
from service.models.opportunity import STATUSES

blp = Blueprint(
    "transfer",
    __name__,
    url_prefix="/api/v1/opportunities",
    description="Opportunities in and out as CSV files.",
)

CSV_BODY = {
    "required": True,
    "description": "The CSV file (or one ≤ 1 MiB slice of it, cut at a row end, with the "
    "header row first). UTF-8 (BOM or not), UTF-16 or Windows-1252; comma, semicolon, tab "
    "or pipe separated. Columns are recognised by name: see docs/import.md.",
    "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}},
}

CSV_ANSWER = {
    "description": "The cards as CSV, oldest first, under the import's own column names.",
    "content": {"text/csv": {"schema": {"type": "string"}}},
}


class ImportQuerySchema(Schema):
    dry_run = fields.Boolean(
        load_default=False,
        metadata={"description": "Validate and count, change nothing (same answer)."},
    )
    status = fields.String(
        load_default="new",
        validate=validate.OneOf(STATUSES),
        metadata={"description": "The column of rows without a valid `status` cell."},
    )
    on_duplicate = fields.String(
        load_default="skip",
        validate=validate.OneOf(("skip", "update")),
        metadata={
            "description": "A row for a page already on the board (the board's duplicate "
            "rule: same page however its URL is spelt): skip it, or update that card's "
            "target URL, anchor, contact and notes from its non-empty cells."
        },
    )
    line_offset = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=10**9),
        metadata={
            "description": "Added to every reported line number: a slice of a bigger file "
            "sends the number of file lines before its second line, minus one."
        },
    )
    project_id = fields.Integer(
        validate=ID,
        metadata={
            "description": "Put every row's card in this project (docs/api.md §19): new "
            "cards, and cards a row updates."
        },
    )


class ImportErrorSchema(Schema):
    line = fields.Integer(metadata={"description": "The file line the row starts on."})
    message = fields.String()


class ImportResultSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    skipped = fields.Integer(
        metadata={"description": "Rows for a page already on the board or earlier in the file."}
    )
    errors = fields.List(fields.Nested(ImportErrorSchema))
    columns = fields.Dict(
        keys=fields.String(),
        values=fields.String(allow_none=True),
        metadata={"description": "Each CSV header and the field it fills (null: ignored)."},
    )


class ExportQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    q = fields.String(validate=validate.Length(max=200))
    project_id = fields.Integer(
        validate=ID,
        metadata={"description": "Only the cards of this project (docs/api.md §19)."},
    )


@blp.route("/import")
class Import(MethodView):
    @requires("outreach.edit")
    @blp.arguments(ImportQuerySchema, location="query")
    @blp.doc(requestBody=CSV_BODY)
    @blp.response(200, ImportResultSchema)
    def post(self, args):
        """Create (or update) cards from a CSV file: valid rows are written even when others
        fail; each failed row is reported with its line and why. An unusable file (empty,
        header only, binary, mixed encodings, no source column) is a 422 and writes nothing."""
        options = importer.Options(**args)
        body = request.get_data(cache=True)  # read and signed by auth.verify_signed_request
        return asdict(transfer.import_csv(uow(), current_site(), body, options, actor(), now()))


@blp.route("/export")
class Export(MethodView):
    @requires("outreach.view")
    @blp.arguments(ExportQuerySchema, location="query")
    @blp.response(200, content_type="text/csv")
    @blp.doc(responses={"200": CSV_ANSWER})
    def get(self, args):
        """The live cards (of one column, matching `q`, of one project), oldest first, as
        CSV that imports again unchanged; streamed, so any board size costs the same memory."""
        sessions = runtime().session_factory
        chunks = transfer.export_csv(uow(), sessions, current_site(), args)
        response = Response(chunks, mimetype="text/csv")
        response.headers["Content-Disposition"] = 'attachment; filename="opportunities.csv"'
        return response
