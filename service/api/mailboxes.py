"""Mailboxes: the site's own SMTP/IMAP accounts (docs/api.md §15)."""

from __future__ import annotations

from flask.views import MethodView

from service.api.auth import requires
from service.api.blueprint import Blueprint
from service.api.context import actor, clock, current_site, now, runtime, uow
from service.api.mailbox_schemas import (
    MailboxCreateSchema,
    MailboxPatchSchema,
    MailboxSchema,
    MailboxTestSchema,
    OAuthFinishSchema,
    OAuthStartedSchema,
    OAuthStartSchema,
)
from service.domain.mailboxes import usecases as mailboxes
from service.domain.mailboxes.usecases import MailboxView

blp = Blueprint(
    "mailboxes",
    __name__,
    url_prefix="/api/v1/mailboxes",
    description="The site's own mailboxes: SMTP sending, IMAP replies.",
)
SIDES = ("host", "port", "security", "username")


def dumped(view: MailboxView) -> dict:
    """The answer's shape (never a secret: the schema has none to dump)."""
    m = view.mailbox
    shown = {name: getattr(m, name) for name in ("id", "email", "from_name", "provider")}
    shown |= {name: getattr(m, name) for name in ("daily_limit", "save_to_sent", "status")}
    shown |= {name: getattr(m, name) for name in ("track_opens", "track_clicks")}
    shown |= {name: getattr(m, name) for name in ("last_error", "last_error_at")}
    shown |= {"created_at": m.created_at, "updated_at": m.updated_at}
    shown["smtp"] = {name: getattr(m, f"smtp_{name}") for name in SIDES}
    shown["imap"] = {name: getattr(m, f"imap_{name}") for name in SIDES}
    shown["imap"]["folder"] = m.imap_folder
    shown["ramp"] = {"start": m.ramp_start, "step": m.ramp_step}
    return shown | {"sent_today": view.sent_today, "cap_today": view.cap_today}


@blp.route("")
class Mailboxes(MethodView):
    @requires("outreach.settings")
    @blp.response(200, MailboxSchema(many=True))
    def get(self):
        """The site's mailboxes with today's sends and cap."""
        return [dumped(v) for v in mailboxes.list_mailboxes(uow(), current_site(), now())]

    @requires("outreach.settings")
    @blp.arguments(MailboxCreateSchema)
    @blp.response(201, MailboxSchema)
    def post(self, data):
        """Add a mailbox (its secrets are stored encrypted, never returned)."""
        rt = runtime()
        made = mailboxes.create_mailbox(
            uow(), rt.secret_box, rt.mailboxes, current_site(), data, actor(), now()
        )
        return dumped(made)


@blp.route("/<int:mailbox_id>")
class MailboxById(MethodView):
    @requires("outreach.settings")
    @blp.response(200, MailboxSchema)
    def get(self, mailbox_id):
        """One mailbox."""
        return dumped(mailboxes.get_mailbox(uow(), current_site(), mailbox_id, now()))

    @requires("outreach.settings")
    @blp.arguments(MailboxPatchSchema)
    @blp.response(200, MailboxSchema)
    def patch(self, data, mailbox_id):
        """Change fields or secrets (an empty secret clears it); new ones leave `error`."""
        rt = runtime()
        changed = mailboxes.update_mailbox(
            uow(), rt.secret_box, rt.mailboxes, current_site(), mailbox_id, data, actor(), now()
        )
        return dumped(changed)

    @requires("outreach.settings")
    @blp.response(204)
    def delete(self, mailbox_id):
        """Delete a mailbox; its emails stay."""
        mailboxes.delete_mailbox(uow(), current_site(), mailbox_id, actor(), now())


@blp.route("/<int:mailbox_id>/test")
class MailboxTest(MethodView):
    @requires("outreach.settings")
    @blp.response(200, MailboxTestSchema)
    def post(self, mailbox_id):
        """A real SMTP and IMAP login, nothing sent; 200 even when one fails."""
        rt = runtime()
        return mailboxes.check_logins(
            uow(), rt.secret_box, rt.mailboxes, clock(), current_site(), mailbox_id
        )


@blp.route("/oauth/start")
class OAuthStart(MethodView):
    @requires("outreach.settings")
    @blp.arguments(OAuthStartSchema)
    @blp.response(200, OAuthStartedSchema)
    def post(self, data):
        """Start connecting a Google or Microsoft mailbox (authorization code + PKCE)."""
        rt = runtime()
        return mailboxes.oauth_start(
            rt.secret_box, rt.oauth, current_site(), data["provider"], data["redirect_uri"], now()
        )


@blp.route("/oauth/finish")
class OAuthFinish(MethodView):
    @requires("outreach.settings")
    @blp.arguments(OAuthFinishSchema)
    @blp.response(201, MailboxSchema)
    @blp.alt_response(200, schema=MailboxSchema, description="An existing mailbox, new grant.")
    def post(self, data):
        """Exchange the code the provider sent back: the mailbox, created (201) or updated."""
        rt = runtime()
        view, created = mailboxes.oauth_finish(
            uow(), rt.secret_box, rt.oauth, current_site(), data["state"], data["code"],
            actor(), now(),
        )  # fmt: skip
        return dumped(view), 201 if created else 200
