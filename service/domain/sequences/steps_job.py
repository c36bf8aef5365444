"""The `sequence-steps` job kind: each due enrollment's next email, exactly once
(claims.py leases them, prepare.py reserves, record.py records; prepare.py's docstring
says why each step goes once)."""

from __future__ import annotations

from service.domain.jobs import JobKind
from service.domain.sending.send_path import Send
from service.domain.sequences import claims, prepare, record


def kind(runtime) -> JobKind:
    """Sequence steps through the process's mail port."""
    return JobKind(
        name="sequence-steps",
        claim=claims.claim,
        prepare=lambda *args: prepare.prepare_chunk(*args, mail=runtime.mailer),
        call=Send.call,
        record=record.record_chunk,
        release=claims.release_many,
        outcomes_metric="outreach_scheduler_steps_total",
        lag_gauge="outreach_scheduler_lag_seconds",
        describe=lambda step: f"enrollment {step.enrollment.id}",
    )
