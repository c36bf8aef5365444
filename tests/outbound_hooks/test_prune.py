"""The deliveries log and finished events are kept 30 days (docs/api.md §17)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from service.models import WebhookAttempt, WebhookDelivery
from service.worker.scheduler import Scheduler
from tests.outbound_hooks.conftest import add_hook
from tests.outbound_hooks.support import run_pass
from tests.support.api import create_opp


def test_old_attempts_and_finished_events_go_pending_ones_stay(
    app, client, receiver, clock, session
):
    add_hook(client, receiver.plan("kept", [200, 500]), ["opportunity.created"])
    create_opp(client, "https://old.example/")
    create_opp(client, "https://stuck.example/")
    assert run_pass(app) == {"delivered": 1, "retry": 1}  # one delivered, one pending
    clock.advance(days=31)
    create_opp(client, "https://new.example/")
    clock.advance(seconds=5)
    session.execute(  # the events' own times are wall-clock: age the first two
        WebhookDelivery.__table__.update()
        .where(WebhookDelivery.id <= 2)
        .values(created_at=clock.now() - timedelta(days=31))
    )
    session.commit()
    assert run_pass(app) == {"delivered": 2}  # the stuck one, then the new one
    counts = Scheduler(app, owner="test", kind="webhook-log-prune").run_pass()
    assert counts == {"attempts": 2, "events": 2}  # the stuck event is 31 days old too
    left = session.execute(select(WebhookDelivery.id, WebhookDelivery.state)).all()
    assert left == [(3, "delivered")]
    assert [a.attempt for a in session.scalars(select(WebhookAttempt))] == [2, 1]
    session.commit()
