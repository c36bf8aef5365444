"""The outbox: domain events become delivery rows in the transaction that caused them.

Each subscriber runs inside the change's own transaction (domain/events.py): one row per
(event, active endpoint that asked for it), committed or rolled back with the change, and
sent after commit by the `webhook-deliveries` job kind (delivery_job.py). A site without
endpoints costs one query per transaction and event type (cached for the transaction).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.bulk import insert_many
from service.db.unit_of_work import TransactionState
from service.domain import events
from service.domain.outbound_hooks import payloads
from service.domain.outbound_hooks.signatures import new_webhook_id
from service.models import WebhookDelivery, WebhookEndpoint

# (site id) -> [(endpoint id, events)] of the site's active endpoints, this transaction.
ENDPOINTS: TransactionState[dict] = TransactionState(dict)


def _listeners(session: Session, site_id: int, event_type: str) -> list[int]:
    known = ENDPOINTS.of(session)
    if site_id not in known:
        # No autoflush: endpoint writes flush before forget(), so nothing pending changes
        # this read, and a flush here would send a chunk's first rows by themselves.
        with session.no_autoflush:
            known[site_id] = list(
                session.execute(
                    select(WebhookEndpoint.id, WebhookEndpoint.events).where(
                        WebhookEndpoint.site_id == site_id, WebhookEndpoint.active.is_(True)
                    )
                )
            )
    return [endpoint_id for endpoint_id, wanted in known[site_id] if event_type in wanted]


def forget(session: Session) -> None:
    """An endpoint changed in this transaction: read the site's endpoints again."""
    ENDPOINTS.of(session).clear()


def write(session: Session, site_id: int, event_type: str, objects, at=None) -> None:
    """One delivery row per (object, listening endpoint); `objects` is a callable so that
    nothing is read when nobody listens."""
    endpoint_ids = _listeners(session, site_id, event_type)
    if not endpoint_ids:
        return
    now = datetime.now(UTC)  # wall time: events carry no clock, and nothing waits on it
    rows = [
        {
            "site_id": site_id,
            "endpoint_id": endpoint_id,
            "webhook_id": new_webhook_id(),
            "event_type": event_type,
            "body": payloads.body(event_type, at or now, data),
            "state": "pending",
            "attempts": 0,
            "created_at": now,
        }
        for data in objects()
        for endpoint_id in endpoint_ids
    ]
    insert_many(session, WebhookDelivery, rows)


def _cards_created(session: Session, ev: events.CardsCreated) -> None:
    write(session, ev.site_id, "opportunity.created", lambda: payloads.cards(session, ev.card_ids))


def _cards_moved(session: Session, ev: events.CardsMoved) -> None:
    objects = lambda: payloads.cards(session, ev.card_ids)  # noqa: E731
    write(session, ev.site_id, "opportunity.moved", objects, ev.at)


def _email_sent(session: Session, ev: events.EmailSent) -> None:
    write(session, ev.site_id, "email.sent", lambda: [payloads.email(session, ev.email_id)])


def _email_bounced(session: Session, ev: events.EmailBounced) -> None:
    write(session, ev.site_id, "email.bounced", lambda: [payloads.email(session, ev.email_id)])


def _reply_received(session: Session, ev: events.ReplyReceived) -> None:
    objects = lambda: [payloads.reply(session, ev)]  # noqa: E731
    write(session, ev.site_id, "reply.received", objects)


def _link_won(session: Session, ev: events.LinkWon) -> None:
    write(session, ev.site_id, "link.won", lambda: payloads.cards(session, [ev.card_id]))


def _link_lost(session: Session, ev: events.LinkLost) -> None:
    write(session, ev.site_id, "link.lost", lambda: payloads.cards(session, [ev.card_id]))


def _suppression_added(session: Session, ev: events.SuppressionAdded) -> None:
    data = {"kind": ev.kind, "value": ev.value, "reason": ev.reason, "created_at": ev.at}
    objects = lambda: [{k: payloads.plain(v) for k, v in data.items()}]  # noqa: E731
    write(session, ev.site_id, "suppression.added", objects, ev.at)


def _site_paused(session: Session, ev: events.SitePaused) -> None:
    write(session, ev.site_id, "site.paused", lambda: [{"id": ev.site_id, "reason": ev.reason}])


SUBSCRIPTIONS = (
    (events.CardsCreated, _cards_created),
    (events.CardsMoved, _cards_moved),
    (events.EmailSent, _email_sent),
    (events.EmailBounced, _email_bounced),
    (events.ReplyReceived, _reply_received),
    (events.LinkWon, _link_won),
    (events.LinkLost, _link_lost),
    (events.SuppressionAdded, _suppression_added),
    (events.SitePaused, _site_paused),
)
