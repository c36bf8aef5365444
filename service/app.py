"""The application factory."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from service import config as config_module
from service.api import request_hooks
from service.api.key_secrets import KeySecrets
from service.clock import SystemClock
from service.db import make_engine, make_session_factory
from service.domain import key_check, registry
from service.domain.deliverability.unsubscribe import PURPOSE as UNSUBSCRIBE_PURPOSE
from service.domain.mailboxes import choice
from service.domain.ports import Clock, MailPort
from service.domain.secret_box import SecretBox
from service.mail import build_mailer
from service.mail.channels import ChannelMailer
from service.mail.unsubscribe_links import LinkedMailer
from service.secret_key import secret_box_for

if TYPE_CHECKING:
    from service.domain.links.runtime import LinkFetchers
    from service.domain.outbound_hooks.sender import HookSender
    from service.mail.mailbox_links import MailboxLinks, OAuthLinks

log = logging.getLogger("outreach")


@dataclass
class Runtime:
    """Process-wide collaborators (the ports) the request boundary and the worker hand to
    the use cases."""

    engine: object
    session_factory: object
    clock: Clock
    secret_box: SecretBox
    mailer: MailPort  # the mail port: SendGrid, or the local outbox
    build_links: Callable[[], LinkFetchers]  # see links
    build_hooks: Callable[[], HookSender]  # see hooks
    build_mailboxes: Callable[[], MailboxLinks] | None = None  # see mailboxes
    unready: str | None = None  # why this process must not serve (/readyz says it)
    sender_domains: tuple[str, ...] = ()  # OUTREACH_SENDER_DOMAINS (reply forwards)
    link_concurrency: int = 8  # OUTREACH_LINKCHECK_CONCURRENCY: fetches at once, fleet-wide
    key_secrets: KeySecrets = field(default_factory=KeySecrets)  # opened signing keys
    _built: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # The fetchers and the webhook sender are built on first use: they import httpx and
    # the HTML parser (~19 MB), which an API worker needs only when a person checks a
    # link or sends a test ping (tests/project/test_package_imports.py).
    @property
    def links(self) -> LinkFetchers:
        """Page fetchers of link checks (one pair per process)."""
        return self._once("links", self.build_links)

    @property
    def hooks(self) -> HookSender:
        """The outbound webhook sender (docs/api.md §17; one per process)."""
        return self._once("hooks", self.build_hooks)

    @property
    def mailboxes(self) -> MailboxLinks:
        """SMTP/IMAP/OAuth adapters of mailboxes (docs/api.md §15; one per process)."""
        return self._once("mailboxes", self.build_mailboxes or (lambda: _mailbox_links({})))

    @property
    def oauth(self) -> OAuthLinks:
        """OAuth consent and code exchange of mailboxes (docs/api.md §15)."""
        from service.mail.mailbox_links import OAuthLinks

        return self._once("oauth", OAuthLinks)

    def _once(self, name: str, build: Callable):
        with self._lock:
            if name not in self._built:
                self._built[name] = build()
            return self._built[name]


def create_app(config: dict | None = None) -> Flask:
    """Build the Flask app; `config` overrides what the environment says."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(config_module.from_environment())
    app.config.update(config or {})
    app.config.update(_api_settings())
    Path(app.config["INSTANCE_PATH"]).mkdir(parents=True, exist_ok=True)
    request_hooks.init_app(app)  # first: JSON logs cover start-up warnings too
    engine = app.config.get("ENGINE") or make_engine(app.config["DATABASE_URL"])
    session_factory = make_session_factory(engine)
    box = secret_box_for(app.config)
    _check_key(session_factory, box)
    app.extensions["outreach"] = Runtime(
        engine=engine,
        session_factory=session_factory,
        clock=app.config.get("CLOCK") or SystemClock(),
        secret_box=box,
        mailer=ChannelMailer(
            linked_mailer(app.config.get("MAILER") or build_mailer(app.config), app.config, box),
            box,
            lambda: app.extensions["outreach"].mailboxes,
        ),
        build_links=lambda: _link_fetchers(app.config, session_factory),
        build_hooks=lambda: _hook_sender(app.config),
        build_mailboxes=lambda: _mailbox_links(app.config),
        unready=config_module.unsubscribe_problem(app.config),
        sender_domains=tuple(app.config.get("SENDER_DOMAINS") or ()),
        link_concurrency=_link_concurrency(app.config),
    )
    choice.ChannelDefault.sendgrid = bool(app.config.get("SENDGRID_API_KEY"))
    registry.subscribe_reactions()
    if app.config.get("ROUTES", True):
        _add_routes(app)
    return app


def _add_routes(app: Flask) -> None:
    """The API. `outreach scheduler` builds its app with ROUTES off: it serves no request,
    and the routes' modules (flask-smorest, marshmallow, every schema) cost a process
    ~9 MB (bench/README.md, scheduler memory)."""
    from service.api.routes import register
    from service.api.spec import OutreachApi

    register(app, OutreachApi(app))


def _check_key(session_factory, box: SecretBox) -> None:
    """Refuse to start with a key that cannot open this database's secrets (KeyMismatch).

    A database that does not answer, or has no schema yet, is checked again before the
    first secret is sealed (sites.add_key): /readyz reports the first, `db upgrade` fixes
    the second.
    """
    try:
        with session_factory() as session:
            key_check.verify(session, box)
            session.commit()
    except SQLAlchemyError as exc:
        log.info("encryption key not checked at start (database: %s)", type(exc).__name__)


def _link_concurrency(config: dict) -> int:
    return max(1, int(config.get("LINKCHECK_CONCURRENCY") or 8))


def _link_fetchers(config: dict, session_factory) -> LinkFetchers:
    from service.domain.links import runtime as links_runtime

    return links_runtime.build(
        session_factory,
        allow_private=bool(config.get("LINKCHECK_ALLOW_PRIVATE")),
        timeout=float(config.get("LINKCHECK_TIMEOUT") or 10),
        concurrency=_link_concurrency(config),
    )


def _hook_sender(config: dict) -> HookSender:
    from service.domain.outbound_hooks.sender import HookSender

    return HookSender(
        allow_private=bool(config.get("LINKCHECK_ALLOW_PRIVATE")),
        timeout=float(config.get("WEBHOOK_TIMEOUT") or 10),
    )


def _mailbox_links(config: dict) -> MailboxLinks:
    from service.mail.endpoints import MailSettings
    from service.mail.mailbox_links import MailboxLinks

    return MailboxLinks(
        config.get("MAIL_SETTINGS") or MailSettings.from_environment(),
        interval=float(config.get("IMAP_INTERVAL") or 60),
    )


def linked_mailer(mailer: MailPort, config: dict, box: SecretBox) -> LinkedMailer:
    """The mail port with unsubscribe links. Without OUTREACH_PUBLIC_URL: none, and real
    mail refused unless the operator opted out (config.unsubscribe_problem)."""
    refusal = config_module.unsubscribe_problem(config)
    if refusal:
        log.error("%s Every send is refused until then.", refusal)
    elif not config.get("PUBLIC_URL"):
        log.warning(
            "OUTREACH_PUBLIC_URL is not set: emails go out WITHOUT an unsubscribe link or "
            "List-Unsubscribe header (set it to the service's public https address)."
        )
    key = box.derive(UNSUBSCRIBE_PURPOSE)
    return LinkedMailer(mailer, config.get("PUBLIC_URL"), key, refusal=refusal)


def _api_settings() -> dict:
    return {
        "API_TITLE": "AlmaSEO Outreach",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {
            "info": {
                "description": "Signed multi-tenant backlink outreach API "
                "(docs/api.md in the repository: signing, capabilities, errors)."
            },
            "components": {
                "securitySchemes": {
                    "OutreachSignature": {
                        "type": "apiKey",
                        "in": "header",
                        "name": "X-Outreach-Signature",
                        "description": "HMAC-SHA256 v1 signature (docs/api.md, signed requests).",
                    }
                }
            },
        },
    }
