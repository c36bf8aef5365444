"""What a person does with sender domains (docs/api.md §20): list, add (a pending domain
and its TXT record), verify (look the record up), remove."""

from __future__ import annotations

from datetime import datetime

from service.db.unit_of_work import UnitOfWork
from service.domain.errors import UpstreamRefused
from service.domain.sender_domains import records
from service.domain.sender_domains.records import TxtLookup
from service.models import SenderDomain, Site
from service.net.dns_txt import LookupFailed


def list_domains(uow: UnitOfWork, site: Site) -> list[SenderDomain]:
    return records.listed(uow.session, site)


def add_domain(uow: UnitOfWork, site: Site, domain: str, actor: int, now: datetime) -> SenderDomain:
    return uow.run(records.add, site, domain, actor, now)


def remove_domain(uow: UnitOfWork, site: Site, domain_id: int, actor: int, now: datetime) -> None:
    uow.run(records.remove, site, domain_id, actor, now)


def verify_domain(
    uow: UnitOfWork, site: Site, domain_id: int, lookup: TxtLookup, now: datetime
) -> tuple[SenderDomain, str | None]:
    """Look the domain's TXT record up (no transaction open meanwhile) and record what was
    seen: (the row, None when verified or why not). 502 when the resolver gave no answer."""
    with uow:
        name = records.txt_name(records.get(uow.session, site, domain_id))
        uow.commit()
        try:
            found = lookup(name)
        except LookupFailed as exc:
            raise UpstreamRefused(f"{exc} Try again in a moment.") from exc
        row = records.get(uow.session, site, domain_id)
        problem = records.apply_lookup(row, found, now)
        uow.commit()
        return row, problem
