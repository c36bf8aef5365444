"""SendGrid callbacks (outside /api/v1, not HMAC-signed): Event Webhook and Inbound Parse."""

from __future__ import annotations

import functools
import hmac
import logging
import re

from flask import Blueprint, abort, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser, MultiPartParser

from service.api import json_body
from service.api.auth import read_body
from service.api.context import clock, uow
from service.domain.replies import inbound_mail
from service.domain.replies import usecases as replies
from service.domain.tracking import usecases as tracking
from service.domain.tracking import webhook_batch

log = logging.getLogger("outreach.webhooks")
blp = Blueprint("sendgrid", __name__, url_prefix="/sendgrid")
WEBHOOK_MAX_BYTES = 8 * 1024 * 1024  # SendGrid batches up to 768 KB; leave room
INBOUND_MAX_BYTES = 40 * 1024 * 1024  # replies with attachments; a 413 would drop the mail
DEFAULT_TOLERANCE = 600
STAMP_RE = re.compile(r"[0-9]{1,12}")


@functools.lru_cache(maxsize=4)
def _verifier(public_key: str):
    """The library's verifier, imported with the first signed post (the `sendgrid` package
    is ~1.7 MB a process: service/mail/sendgrid_mailer.py)."""
    from sendgrid.helpers.eventwebhook import EventWebhook

    return EventWebhook(public_key)


def _verify(text: str) -> None:
    """401 unless the ECDSA signature over timestamp + raw body is valid and fresh."""
    config = current_app.config
    key = config.get("SENDGRID_WEBHOOK_PUBLIC_KEY")
    if not key:
        if config.get("ALLOW_UNSIGNED_WEBHOOKS"):
            return
        abort(
            401,
            "Event Webhook verification is not configured, and unsigned posts are "
            "refused (set SENDGRID_WEBHOOK_PUBLIC_KEY).",
        )
    from sendgrid.helpers.eventwebhook import EventWebhookHeader

    signature = request.headers.get(EventWebhookHeader.SIGNATURE)
    stamp = request.headers.get(EventWebhookHeader.TIMESTAMP)
    if not signature or not stamp:
        abort(401, "The Event Webhook signature or timestamp header is missing.")
    tolerance = config.get("WEBHOOK_TIMESTAMP_TOLERANCE", DEFAULT_TOLERANCE)
    # ASCII digits only: str.isdigit() takes "²", and int() refuses 5,000 digits (a 500).
    if not STAMP_RE.fullmatch(stamp) or abs(clock().now().timestamp() - int(stamp)) > tolerance:
        abort(401, "The Event Webhook timestamp is missing, malformed or too old.")
    try:
        valid = _verifier(key).verify_signature(text, signature, stamp)
    except Exception:  # malformed base64/DER and bad keys all mean "not verified"
        valid = False
    if not valid:
        abort(401, "The Event Webhook signature does not match the body.")


def _read_text() -> str:
    body = read_body(WEBHOOK_MAX_BYTES, "8 MiB")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        abort(400, "The Event Webhook body is not UTF-8 JSON.")


@blp.post("/webhook")
def event_webhook():
    """Apply one batch of events in one transaction; 200 even for unknown/unmatched ones."""
    text = _read_text()
    _verify(text)  # over the raw text: re-serialised JSON (or a lost CRLF) never verifies
    try:
        payload = webhook_batch.validate_batch(json_body.loads(text.encode("utf-8")))
    except ValueError as exc:  # BodyRefused, or not an array of objects
        abort(400, str(exc))
    counts = tracking.ingest(uow(), payload, clock())
    if counts["unknown"] or counts["unmatched"] or counts["invalid"]:
        log.info("event webhook batch: %s", counts)
    return jsonify(counts)


class BytewiseMultiPart(MultiPartParser):
    """Every field decoded as ISO-8859-1, byte for byte: Inbound Parse sends each field in
    the mail's own charset (named in its `charsets` field), which UTF-8 would mangle."""

    def get_part_charset(self, headers) -> str:
        return "iso-8859-1"


class BytewiseFormParser(FormDataParser):
    """Werkzeug's form parser with BytewiseMultiPart (it has no hook but this method;
    tests/sending/test_conversations.py fails if an upgrade changes that)."""

    def _parse_multipart(self, stream, mimetype, content_length, options):
        parser = BytewiseMultiPart(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
        )
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        try:
            form, files = parser.parse(stream, boundary, content_length)
        except RequestEntityTooLarge:
            # The body's length was checked before: what is too large here is the count.
            raise RequestEntityTooLarge(
                f"The Inbound Parse post has more than {self.max_form_parts:,} parts "
                "(fields and attachments)."
            ) from None
        return stream, form, files


def _inbound_form():
    """The parsed post; a body over INBOUND_MAX_BYTES says so (not the API's 1 MiB)."""
    try:
        return request.form
    except RequestEntityTooLarge as exc:
        if exc.description != RequestEntityTooLarge.description:
            raise  # already named (too many parts)
        abort(413, "The Inbound Parse post is larger than 40 MiB.")


@blp.post("/inbound/<token>")
def inbound(token: str):
    """Inbound Parse: record replies; 200 for anything unmatched (a 4xx drops the mail)."""
    expected = current_app.config.get("INBOUND_TOKEN")
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        abort(404)
    request.max_content_length = INBOUND_MAX_BYTES
    request.max_form_memory_size = INBOUND_MAX_BYTES
    request.form_data_parser_class = BytewiseFormParser
    try:
        fields = inbound_mail.decode_form(_inbound_form())
    except inbound_mail.InboundRefused as exc:
        abort(400, str(exc))
    email = replies.receive(uow(), fields, clock())
    if email is None:
        log.info("inbound message matched none of our emails; dropped")
    return jsonify({"matched": email is not None, "email_id": None if email is None else email.id})
