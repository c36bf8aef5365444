"""What the API's schemas share: URL options, id and position ranges, one-line text, and
requests taking a template or a subject and body (the schemas generate
schemas/openapi.json)."""

from __future__ import annotations

from marshmallow import validate, validates_schema
from marshmallow.exceptions import ValidationError

from service.domain.templates.rendering import has_control_characters
from service.models import ID_MAX

URL = {"schemes": {"http", "https"}, "require_tld": False}
# Ids and positions are INTEGER columns: a larger number is a 422 naming the field, not a
# database error (or a 404 for an id that cannot exist).
ID = validate.Range(1, ID_MAX)
POSITION = validate.Range(min=0, max=ID_MAX)


def one_line(value: str | None) -> None:
    """Names and subjects become mail headers: no line breaks or other controls (422)."""
    if has_control_characters(value):
        raise ValidationError("Must not contain line breaks or other control characters.")


class TemplateOrTextMixin:
    """Requests that take a stored template or an ad-hoc subject and body."""

    @validates_schema
    def _template_or_text(self, data, **_kwargs):
        if data.get("template_id") is None and (not data.get("subject") or not data.get("body")):
            raise ValidationError("Give a template_id, or both subject and body.", "template_id")
