"""What a person does with webhooks (docs/api.md §17): add one (the secret once), list,
read, change, delete, read its deliveries log, send a test ping now."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service.db.unit_of_work import UnitOfWork
from service.domain.outbound_hooks import endpoints, payloads
from service.domain.outbound_hooks.delivery_job import HookJob, as_sent, attempt, log_row
from service.domain.outbound_hooks.signatures import new_webhook_id
from service.domain.ports import Clock
from service.domain.secret_box import SecretBox
from service.models import Site, WebhookAttempt, WebhookEndpoint

if TYPE_CHECKING:  # the sender (httpx) loads on first use: service/app.py
    from service.domain.outbound_hooks.sender import HookSender


def create_endpoint(
    uow: UnitOfWork, box: SecretBox, sender: HookSender, site: Site, values, actor, now
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret (shown this once)."""
    with uow:
        made, secret = endpoints.create(
            uow.session, box, site, values, actor, now, sender.allow_private
        )
        uow.commit()
    return made, secret


def list_endpoints(uow: UnitOfWork, site: Site) -> list[WebhookEndpoint]:
    return endpoints.listed(uow.session, site)


def get_endpoint(uow: UnitOfWork, site: Site, endpoint_id: int) -> WebhookEndpoint:
    return endpoints.get(uow.session, site, endpoint_id)


def update_endpoint(
    uow: UnitOfWork, sender: HookSender, site: Site, endpoint_id: int, values, actor, now
) -> WebhookEndpoint:
    private = sender.allow_private
    return uow.run(endpoints.update, site, endpoint_id, values, actor, now, private)


def delete_endpoint(uow: UnitOfWork, site: Site, endpoint_id: int, actor, now) -> None:
    uow.run(endpoints.remove, site, endpoint_id, actor, now)


def deliveries(uow: UnitOfWork, site: Site, endpoint_id: int, page: int, page_size: int):
    """One page of the endpoint's attempts, newest first ((items, total))."""
    return endpoints.attempts(uow.session, site, endpoint_id, page, page_size)


def send_test(
    uow: UnitOfWork, box: SecretBox, sender: HookSender, clock: Clock, site: Site, endpoint_id
) -> WebhookAttempt:
    """POST a `ping` event now (no transaction open meanwhile) and log it as an attempt;
    a failing endpoint is an answer too (status_code / error say how)."""
    with uow:
        endpoint = endpoints.get(uow.session, site, endpoint_id)
        now = clock.now()
        data = {"webhook_id": endpoint.id, "site_id": site.id, "url": endpoint.url}
        body = as_sent(endpoint.format, site, payloads.body("ping", now, data))
        job = HookJob(endpoint.id, endpoint.url, box.open(endpoint.secret_stored))
        uow.commit()
        webhook_id = new_webhook_id()
        answer = attempt(sender, job, webhook_id, body)
        row = log_row(endpoint_id, "ping", webhook_id, 1, answer, clock.now())
        uow.session.add(row)
        uow.commit()
    return row
