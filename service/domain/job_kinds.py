"""The scheduler's job kinds: the worker runs one scheduler job per entry of JOB_KINDS
(service/worker/scheduler.py), knowing none by name. A new job kind is one line here
(docs/architecture.md).

Apart from service/domain/registry.py (the reactions every process subscribes) because
only a scheduler imports this: the kinds pull in the page fetcher (httpx), the HTML
parser and the webhook sender, which an API worker does not load until a route needs them
(tests/project/test_package_imports.py holds that line).
"""

from __future__ import annotations

from service.domain.links import check_job
from service.domain.outbound_hooks import delivery_job, prune_job
from service.domain.replies import forward_job, mailbox_job
from service.domain.sending import scheduled_job, stale_job
from service.domain.sequences import steps_job

# factory(runtime) -> JobKind; runtime: the app's Runtime (mail port, fetchers).
JOB_KINDS = (
    steps_job.kind,
    scheduled_job.kind,
    stale_job.kind,
    forward_job.kind,
    check_job.kind,
    delivery_job.kind,
    prune_job.kind,
    mailbox_job.kind,
)


def job_kinds(runtime) -> dict:
    """{name: JobKind} of every kind, built for this process."""
    built = [factory(runtime) for factory in JOB_KINDS]
    return {kind.name: kind for kind in built}
