"""What each feature plugs into the rest: its reactions to domain events.

The app subscribes REACTIONS once per process (service/app.py). A new reaction is one
line here (docs/architecture.md); job kinds are listed in service/domain/job_kinds.py,
which only a scheduler imports.
"""

from __future__ import annotations

from service.domain import events
from service.domain.outbound_hooks import outbox
from service.domain.sequences import reactions

REACTIONS = (*reactions.SUBSCRIPTIONS, *outbox.SUBSCRIPTIONS)


def subscribe_reactions() -> None:
    """Subscribe every feature's reactions (again: no change)."""
    for kind, handler in REACTIONS:
        events.subscribe(kind, handler)
