"""A site's webhook endpoints: create (the secret once), read, change, delete, and the
log of their attempts (docs/api.md §17). Domain functions: they take the session and flush."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from service.domain import audit, key_check
from service.domain.errors import Conflict, require
from service.domain.outbound_hooks import outbox
from service.domain.outbound_hooks.address import check_url
from service.domain.outbound_hooks.signatures import new_secret
from service.domain.secret_box import SecretBox
from service.models import Site, WebhookAttempt, WebhookDelivery, WebhookEndpoint

MAX_PER_SITE = 20
SHOWN = ("url", "events", "format", "active")  # what the audit trail records of a change


def get(session: Session, site: Site, endpoint_id: int) -> WebhookEndpoint:
    found = session.scalar(
        select(WebhookEndpoint).where(
            WebhookEndpoint.id == endpoint_id, WebhookEndpoint.site_id == site.id
        )
    )
    return require(found, "Webhook")


def listed(session: Session, site: Site) -> list[WebhookEndpoint]:
    query = select(WebhookEndpoint).where(WebhookEndpoint.site_id == site.id)
    return list(session.scalars(query.order_by(WebhookEndpoint.id)))


def create(
    session: Session,
    box: SecretBox,
    site: Site,
    values: dict,
    actor: int,
    now: datetime,
    allow_private: bool,
) -> tuple[WebhookEndpoint, str]:
    """A new active endpoint and its signing secret (stored sealed, shown this once)."""
    count = select(func.count()).where(WebhookEndpoint.site_id == site.id)
    if session.scalar(count) >= MAX_PER_SITE:
        raise Conflict(f"A site has at most {MAX_PER_SITE} webhooks; delete one first.")
    check_url(values["url"], allow_private)
    key_check.verify(session, box)  # never seal a secret the other processes cannot open
    secret = new_secret()
    endpoint = WebhookEndpoint(
        site_id=site.id,
        url=values["url"],
        events=_unique(values["events"]),
        format=values.get("format") or "standard",
        active=values.get("active", True),
        secret_stored=box.seal(secret),
        created_at=now,
        updated_at=now,
    )
    session.add(endpoint)
    session.flush()
    outbox.forget(session)
    audit.log(session, site, actor, "webhook.create", "webhook", endpoint.id, _shown(endpoint), now)
    return endpoint, secret


def update(
    session: Session,
    site: Site,
    endpoint_id: int,
    values: dict,
    actor: int,
    now: datetime,
    allow_private: bool,
) -> WebhookEndpoint:
    """Change url, events, format or active; switching it on again forgets the failures."""
    endpoint = get(session, site, endpoint_id)
    if "url" in values:
        check_url(values["url"], allow_private)
    if "events" in values:
        values = {**values, "events": _unique(values["events"])}
    before = _shown(endpoint)
    for name in SHOWN:
        if name in values:
            setattr(endpoint, name, values[name])
    if values.get("active") and not before["active"]:
        endpoint.disabled_reason = endpoint.failing_since = endpoint.blocked_until = None
    changes = {k: v for k, v in _shown(endpoint).items() if before[k] != v}
    if changes:
        endpoint.updated_at = now
        session.flush()
        outbox.forget(session)
        audit.log(session, site, actor, "webhook.update", "webhook", endpoint.id, changes, now)
    return endpoint


def remove(session: Session, site: Site, endpoint_id: int, actor: int, now: datetime) -> None:
    """Delete an endpoint with its undelivered events and its log."""
    endpoint = get(session, site, endpoint_id)
    for model in (WebhookAttempt, WebhookDelivery):
        session.execute(delete(model).where(model.endpoint_id == endpoint.id))
    audit.log(session, site, actor, "webhook.delete", "webhook", endpoint.id, _shown(endpoint), now)
    session.delete(endpoint)
    session.flush()
    outbox.forget(session)


def attempts(
    session: Session, site: Site, endpoint_id: int, page: int, page_size: int
) -> tuple[list[WebhookAttempt], int]:
    """The endpoint's attempts, newest first."""
    endpoint = get(session, site, endpoint_id)
    where = WebhookAttempt.endpoint_id == endpoint.id
    total = session.scalar(select(func.count()).select_from(WebhookAttempt).where(where))
    items = session.scalars(
        select(WebhookAttempt)
        .where(where)
        .order_by(WebhookAttempt.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return list(items), total


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _shown(endpoint: WebhookEndpoint) -> dict:
    return {name: getattr(endpoint, name) for name in SHOWN}
