"""Marshmallow schemas of mailboxes (docs/api.md §15). Secrets are load-only."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.api.schemas import one_line
from service.models.mailbox import MAILBOX_STATUSES, PROVIDERS, SECURITIES

HOST = validate.And(validate.Length(min=1, max=255), validate.Regexp(r"^[A-Za-z0-9.:\[\]-]+$"))
PORT = validate.Range(1, 65535)
SECRET = {"load_only": True, "validate": validate.Length(max=2000)}


def _server(required: bool, folder: bool) -> type[Schema]:
    attrs = {
        "host": fields.String(required=required, validate=HOST),
        "port": fields.Integer(required=required, validate=PORT),
        "security": fields.String(
            required=required,
            validate=validate.OneOf(SECURITIES),
            metadata={"description": '"none" only with OUTREACH_ALLOW_INSECURE_MAIL=1.'},
        ),
        "username": fields.String(
            required=required, validate=validate.And(validate.Length(1, 320), one_line)
        ),
    }
    if folder:
        attrs["folder"] = fields.String(
            validate=validate.And(validate.Length(1, 255), one_line),
            metadata={"description": "The folder read for replies (default INBOX)."},
        )
    name = f"{'Imap' if folder else 'Smtp'}{'' if required else 'Patch'}Schema"
    return Schema.from_dict(attrs, name=name)


SmtpServerSchema = _server(True, False)
ImapServerSchema = _server(True, True)
SmtpPatchSchema = _server(False, False)
ImapPatchSchema = _server(False, True)


class RampSchema(Schema):
    start = fields.Integer(load_default=10, validate=validate.Range(0, 10000))
    step = fields.Integer(load_default=2, validate=validate.Range(0, 10000))


class RampPatchSchema(Schema):
    start = fields.Integer(validate=validate.Range(0, 10000))
    step = fields.Integer(validate=validate.Range(0, 10000))


class _MailboxFields(Schema):
    from_name = fields.String(
        allow_none=True, validate=validate.And(validate.Length(max=200), one_line)
    )
    daily_limit = fields.Integer(validate=validate.Range(1, 10000))
    save_to_sent = fields.Boolean(
        metadata={"description": "File a copy of each email in the Sent folder (IMAP)."}
    )
    track_opens = fields.Boolean(
        metadata={"description": "An open pixel under OUTREACH_PUBLIC_URL (default false)."}
    )
    track_clicks = fields.Boolean(
        metadata={"description": "Links through OUTREACH_PUBLIC_URL/t/c/ (default false)."}
    )
    password = fields.String(**SECRET, metadata={"description": "SMTP password (write-only)."})
    imap_password = fields.String(
        **SECRET, metadata={"description": "IMAP password when not the SMTP one (write-only)."}
    )
    refresh_token = fields.String(
        **SECRET, metadata={"description": "OAuth refresh token, google/microsoft (write-only)."}
    )


class MailboxCreateSchema(_MailboxFields):
    email = fields.Email(required=True, validate=validate.Length(max=320))
    provider = fields.String(load_default="smtp", validate=validate.OneOf(PROVIDERS))
    smtp = fields.Nested(SmtpServerSchema, required=True)
    imap = fields.Nested(ImapServerSchema, required=True)
    ramp = fields.Nested(RampSchema, load_default=lambda: {"start": 10, "step": 2})
    daily_limit = fields.Integer(load_default=30, validate=validate.Range(1, 10000))
    save_to_sent = fields.Boolean(load_default=True)
    track_opens = fields.Boolean(load_default=False)
    track_clicks = fields.Boolean(load_default=False)


class MailboxPatchSchema(_MailboxFields):
    email = fields.Email(validate=validate.Length(max=320))
    smtp = fields.Nested(SmtpPatchSchema)
    imap = fields.Nested(ImapPatchSchema)
    ramp = fields.Nested(RampPatchSchema)
    status = fields.String(
        validate=validate.OneOf(("active", "paused")),
        metadata={"description": "active or paused (error is set by the service)."},
    )


class MailboxSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    from_name = fields.String(allow_none=True)
    provider = fields.String(validate=validate.OneOf(PROVIDERS))
    smtp = fields.Nested(SmtpServerSchema)
    imap = fields.Nested(ImapServerSchema)
    daily_limit = fields.Integer()
    ramp = fields.Nested(RampSchema)
    save_to_sent = fields.Boolean()
    track_opens = fields.Boolean()
    track_clicks = fields.Boolean()
    status = fields.String(validate=validate.OneOf(MAILBOX_STATUSES))
    last_error = fields.String(allow_none=True)
    last_error_at = fields.DateTime(allow_none=True)
    sent_today = fields.Integer(metadata={"description": "Sends holding a slot since 00:00 UTC."})
    cap_today = fields.Integer(metadata={"description": "Today's cap: the ramp, daily_limit."})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class MailboxTestSchema(Schema):
    smtp = fields.String(metadata={"description": '"ok", or the server\'s own error.'})
    imap = fields.String(metadata={"description": '"ok", or the server\'s own error.'})


class OAuthStartSchema(Schema):
    provider = fields.String(required=True, validate=validate.OneOf(("google", "microsoft")))
    redirect_uri = fields.Url(
        required=True,
        schemes={"https", "http"},
        require_tld=False,
        validate=validate.Length(max=2000),
        metadata={"description": "The wp-admin page the provider sends the person back to."},
    )


class OAuthStartedSchema(Schema):
    authorize_url = fields.String(metadata={"description": "Open it: the provider's consent."})
    state = fields.String(metadata={"description": "Hand it back to /oauth/finish."})


class OAuthFinishSchema(Schema):
    state = fields.String(required=True, validate=validate.Length(1, 4000))
    code = fields.String(required=True, validate=validate.Length(1, 4000))
