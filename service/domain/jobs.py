"""Job kinds the worker runs: each is claim, prepare, an outside call, and record.

Adding a kind (scheduled sends, link checks) is one factory here and one entry in KINDS:
  claim(session, owner, now, lease, n) -> [(id, due_at)]   lease due items, oldest first
  prepare(session, ids, owner, now, lease) -> (jobs, outcome counts)   committed before
  call(job) -> job                                          a pool thread (no session but
                                                            the link-check politeness turns)
  record(session, jobs, owner, now) -> outcome counts       committed after
  release(session, ids, owner)                              leases never worked on
The worker (scheduler.py) owns transactions, the pool, retries and metrics.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from service.domain import reply_forwards, scheduled_jobs
from service.domain.links import politeness, schedule
from service.domain.sequences import claims, dispatch, prepare, record


@dataclass(frozen=True)
class JobKind:
    """One kind of scheduled work and the functions that do it."""

    name: str  # the APScheduler job id and the log label
    claim: Callable
    prepare: Callable
    call: Callable
    record: Callable
    release: Callable
    lease: timedelta  # how long a claim keeps the item this worker's
    outcomes_metric: str  # counter of outcomes, label `outcome`
    lag_gauge: str  # how late the oldest claimed item was
    describe: Callable[[object], str]  # a job, for log lines
    max_concurrency: int | None = None  # pool threads worth having (None: the process's)


def sequence_steps(step_mailer: dispatch.StepMailer, lease: timedelta, _runtime=None) -> JobKind:
    """Sequence steps: each due enrollment's next email, exactly once."""
    return JobKind(
        name="sequence-steps",
        claim=claims.claim,
        prepare=lambda session, ids, owner, now, lease_for: prepare.prepare_chunk(
            session, ids, owner, now, lease_for, step_mailer.reply_domain
        ),
        call=lambda job: dispatch.hand_over(job, step_mailer),
        record=record.record_chunk,
        release=claims.release_many,
        lease=lease,
        outcomes_metric="outreach_scheduler_steps_total",
        lag_gauge="outreach_scheduler_lag_seconds",
        describe=lambda job: f"enrollment {job.enrollment.id}",
    )


def scheduled_sends(step_mailer: dispatch.StepMailer, lease: timedelta, _runtime=None) -> JobKind:
    """Scheduled manual sends: each due email once, under the limits (postponed by them)."""
    return JobKind(
        name="scheduled-sends",
        claim=scheduled_jobs.claim,
        prepare=lambda session, ids, owner, now, lease_for: scheduled_jobs.prepare(
            session, ids, owner, now, lease_for, step_mailer.reply_domain
        ),
        call=lambda job: scheduled_jobs.call(job, step_mailer),
        record=scheduled_jobs.record,
        release=scheduled_jobs.release,
        lease=lease,
        outcomes_metric="outreach_scheduled_sends_total",
        lag_gauge="outreach_scheduled_sends_lag_seconds",
        describe=lambda job: f"scheduled email {job.email_id}",
    )


def forwards(step_mailer: dispatch.StepMailer, lease: timedelta, _runtime=None) -> JobKind:
    """Replies forwarded to reply_forward_to: outside the limits, retried with backoff."""
    return JobKind(
        name="reply-forwards",
        claim=reply_forwards.claim,
        prepare=reply_forwards.prepare,
        call=lambda job: reply_forwards.call(job, step_mailer.inner),
        record=reply_forwards.record,
        release=reply_forwards.release,
        lease=lease,
        outcomes_metric="outreach_reply_forwards_total",
        lag_gauge="outreach_reply_forwards_lag_seconds",
        describe=lambda job: f"reply {job.reply_id}",
    )


def link_checks(_step_mailer, lease: timedelta, runtime) -> JobKind:
    """Link checks: each due card or watched backlink fetched and recorded exactly once."""
    return JobKind(
        name="link-checks",
        claim=schedule.claim,
        prepare=schedule.prepare,
        call=lambda job: schedule.call(job, runtime.links.scheduled),
        record=schedule.record,
        release=schedule.release,
        lease=lease,
        outcomes_metric="outreach_link_checks_total",
        lag_gauge="outreach_link_checks_lag_seconds",
        describe=lambda job: f"{job.item[0]} {job.item[1]}",
        # Two fetches run at once in the whole fleet: more threads would only wait.
        max_concurrency=2 * politeness.SLOTS,
    )


# name -> factory(the mail port as steps use it, lease, the app's Runtime): every kind a
# worker runs.
KINDS: dict[str, Callable[[dispatch.StepMailer, timedelta, object], JobKind]] = {
    "sequence-steps": sequence_steps,
    "scheduled-sends": scheduled_sends,
    "reply-forwards": forwards,
    "link-checks": link_checks,
}
