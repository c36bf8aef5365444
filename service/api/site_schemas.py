"""Schemas of the site's settings (`GET|PATCH /api/v1/site`): limits, sender, links,
replies and deliverability."""

from __future__ import annotations

from zoneinfo import available_timezones

from marshmallow import ValidationError, fields, validate

from service.api.deliverability_schemas import SendingStateSchema, SendWindowSchema
from service.api.quick_dump import QuickDump
from service.api.schemas import one_line
from service.domain.links.checks import min_hours
from service.domain.sending import sender_identity
from service.mail import oauth

HOURS = validate.Range(min=0, max=24 * 365)


def _zero_or_at_least(meaning: str):
    """Link-check intervals: 0 (`meaning`) or at least min_hours(); shorter ones let one
    site's checks run without pause (issue 21)."""

    def check(value: float) -> None:
        if 0 < value < min_hours():
            raise ValidationError(f"Give 0 ({meaning}) or at least {min_hours():g} hours.")

    return check


def _interval(meaning: str, description: str) -> fields.Float:
    """Hours between two link checks: 0 (`meaning`) or at least min_hours()."""
    return fields.Float(
        validate=[HOURS, _zero_or_at_least(meaning)],
        allow_nan=False,
        metadata={"description": description},
    )


def _count(maximum: int, error: str, description: str) -> fields.Integer:
    """A whole-number setting from 0 to `maximum` (a float or a string is refused)."""
    return fields.Integer(
        strict=True,
        validate=validate.Range(min=0, max=maximum, error=error),
        metadata={"description": description},
    )


class SiteSchema(QuickDump):
    id = fields.Integer(dump_only=True)
    name = fields.String(validate=[validate.Length(min=1, max=200), one_line])
    url = fields.String(dump_only=True)
    daily_limit = fields.Integer(strict=True, validate=validate.Range(min=0, max=1_000_000))
    cooldown_hours = fields.Float(validate=validate.Range(min=0, max=24 * 365), allow_nan=False)
    from_email = fields.Email(
        allow_none=True,
        validate=[validate.Length(max=320), one_line],
        metadata={
            "description": (
                "The sender address: at the site's own domain (the host of "
                "its url, or a subdomain) or at a domain listed in "
                "OUTREACH_SENDER_DOMAINS or verified (/api/v1/sender-domains; 422 "
                "otherwise). Null: "
                "outreach@<site domain> (outreach@localhost for a site "
                "registered by IP address or localhost)."
            )
        },
    )
    from_name = fields.String(
        allow_none=True,
        validate=[validate.Length(max=200), one_line],
        metadata={"description": "No line breaks or control characters; null: the site's name."},
    )
    reply_to = fields.Email(allow_none=True, validate=[validate.Length(max=320), one_line])
    reply_forward_to = fields.Email(
        allow_none=True,
        validate=[validate.Length(max=320), one_line],
        metadata={
            "description": "Every detected reply is forwarded here (Reply-To: the prospect), "
            "retried on failure; null: not forwarded. Only an address at the site's own "
            "domain or one of its sender domains, configured or verified (422 otherwise); "
            "never a listed address, "
            "not while the site is paused, at most reply_forward_hourly_limit an hour."
        },
    )
    reply_forward_hourly_limit = _count(
        10_000,
        "Give 0 (no forwards) to 10000.",
        "At most this many replies forwarded in any rolling hour "
        "(default 20; 0 = none); further ones wait, and the first hit each hour is "
        "audited (reply_forward.capped).",
    )
    timezone = fields.String(
        validate=validate.OneOf(sorted(available_timezones() | {"UTC"}), error="Unknown time zone.")
    )
    link_check_reached_hours = _interval(
        "off", "Check Reached cards this often (hours; 0 = off, else ≥ 0.25)."
    )
    link_check_won_hours = _interval(
        "off", "Re-check Won cards and watched backlinks (hours; 0 = off, else ≥ 0.25)."
    )
    link_lost_after = fields.Integer(
        strict=True,
        validate=validate.Range(min=0, max=100),
        metadata={"description": "Failed checks in a row that make a link lost (0 = never)."},
    )
    link_retry_hours = _interval(
        "the interval", "The next check after a failed one (hours; 0 = the interval, else ≥ 0.25)."
    )
    unsubscribe_footer = fields.Boolean(
        metadata={
            "description": "Add a one-line unsubscribe footer when the body has no "
            "{{unsubscribe_url}} (default true)."
        }
    )
    send_window = fields.Nested(SendWindowSchema)
    bounce_brake_percent = _count(
        100,
        "Give a percentage from 0 (off) to 100.",
        "Pause when this share of the last 50 sent emails bounced "
        "(default 5; 0 = off; judged from 20 sent emails).",
    )
    domain_daily_limit = _count(
        1_000_000,
        "Give 0 (off) or a positive number.",
        "At most this many emails to one recipient domain in any "
        "rolling 24 hours (default 0 = off; 429 domain_cap).",
    )
    auto_reply_pause_days = _count(
        90,
        "Give a number of days from 0 to 90.",
        "An auto-reply without a readable return date pauses the "
        "enrollment this many days (default 7; 0 = no pause; docs/api.md §16).",
    )
    honour_unsubscribe_replies = fields.Boolean(
        metadata={
            "description": "A reply asking to be removed lists the address on the "
            "do-not-contact list (reason unsubscribe; default true)."
        }
    )
    stop_domain_on_reply = fields.Boolean(
        metadata={
            "description": "A human or unsubscribe reply also stops the site's other active "
            "enrollments at the same recipient domain (colleague_replied; default true)."
        }
    )
    hourly_limit = _count(
        1_000_000,
        "Give 0 (off) or a positive number.",
        "At most this many emails in any rolling hour (default 0 = off); "
        "enrolments beyond it are queued (docs/api.md §20).",
    )
    min_spacing_seconds = _count(
        86_400,
        "Give 0 (off) to 86400 seconds.",
        "At least this many seconds between two automated sends of the "
        "site's sender, plus a small random jitter (default 60; 0 = off).",
    )
    sending_channel = fields.String(
        allow_none=True,
        validate=validate.OneOf(("sendgrid", "mailboxes")),
        metadata={
            "description": "sendgrid or mailboxes (docs/api.md §15); null: SendGrid when the "
            "service has SENDGRID_API_KEY, else the site's mailboxes when it has one."
        },
    )
    oauth_providers = fields.Function(
        lambda _site: oauth.configured(),
        dump_only=True,
        metadata={
            "description": "The providers a mailbox can connect with OAuth (docs/api.md §15): "
            "google, microsoft, those the service has a client id for. WordPress shows their "
            "Connect buttons.",
            "type": "array",
            "items": {"type": "string", "enum": ["google", "microsoft"]},
        },
    )
    paused = fields.Boolean(
        metadata={
            "description": "True while sends are paused (bounce brake); PATCH false "
            "resumes (audited), true pauses by hand."
        }
    )
    paused_reason = fields.String(dump_only=True, allow_none=True)
    paused_at = fields.DateTime(dump_only=True, allow_none=True)
    sending_state = fields.Nested(SendingStateSchema, dump_only=True)
    warnings = fields.Function(
        sender_identity.warnings,
        dump_only=True,
        metadata={
            "description": "Settings to fix before sending, as [{field, message}] (e.g. an empty "
            "from_email: mail would go out as outreach@<site host>)."
        },
    )
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class SitePatchSchema(SiteSchema):
    """PATCH body: every field optional (none is required in SiteSchema)."""
