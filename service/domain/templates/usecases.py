"""What a person does with templates: list, read, create, change, delete
(a preview renders as a send does: sending.usecases.preview)."""

from __future__ import annotations

from datetime import datetime

from service.db.unit_of_work import UnitOfWork
from service.domain.templates import library
from service.models import Site, Template


def list_templates(uow: UnitOfWork, site: Site) -> list[Template]:
    """All templates of the site, by name."""
    return library.list_all(uow.session, site)


def get_template(uow: UnitOfWork, site: Site, template_id: int) -> Template:
    """One template of the site."""
    return library.get(uow.session, site, template_id)


def create_template(uow: UnitOfWork, site: Site, values: dict, actor: int, now: datetime):
    """A new template (422 on an unknown placeholder)."""
    return uow.run(library.create, site, values, actor, now)


def change_template(uow: UnitOfWork, site: Site, template_id: int, values: dict, actor, now):
    """Change some fields of a template."""
    return uow.run(
        lambda session: library.update(
            session, site, library.get(session, site, template_id), values, actor, now
        )
    )


def delete_template(uow: UnitOfWork, site: Site, template_id: int, actor: int, now: datetime):
    """Delete a template (409 while a sequence uses it)."""
    uow.run(
        lambda session: library.delete(
            session, site, library.get(session, site, template_id), actor, now
        )
    )
