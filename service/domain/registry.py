"""What each feature plugs into the rest: its reactions to domain events and its job kinds.

The app subscribes REACTIONS once per process (service/app.py); the worker runs one
scheduler job per entry of JOB_KINDS (service/worker/scheduler.py), knowing none by name.
A new reaction or job kind is one line here (docs/architecture.md).
"""

from __future__ import annotations

from service.domain import events
from service.domain.links import check_job
from service.domain.outbound_hooks import delivery_job, outbox
from service.domain.replies import forward_job
from service.domain.sending import scheduled_job, stale_job
from service.domain.sequences import reactions, steps_job

REACTIONS = (*reactions.SUBSCRIPTIONS, *outbox.SUBSCRIPTIONS)
# factory(runtime) -> JobKind; runtime: the app's Runtime (mail port, fetchers).
JOB_KINDS = (
    steps_job.kind,
    scheduled_job.kind,
    stale_job.kind,
    forward_job.kind,
    check_job.kind,
    delivery_job.kind,
)


def subscribe_reactions() -> None:
    """Subscribe every feature's reactions (again: no change)."""
    for kind, handler in REACTIONS:
        events.subscribe(kind, handler)


def job_kinds(runtime) -> dict:
    """{name: JobKind} of every kind, built for this process."""
    built = [factory(runtime) for factory in JOB_KINDS]
    return {kind.name: kind for kind in built}
