"""The site's template library: CRUD with placeholder validation (previews render as a
send does: sending/preview.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain import audit
from service.domain.errors import Conflict, Invalid, require
from service.domain.templates import rendering
from service.models import SequenceStep, Site, Template

FIELDS = ("name", "subject", "body")


def validate(values: dict) -> None:
    """422 naming each field that uses a placeholder we do not know."""
    errors = {}
    for field in ("subject", "body"):
        unknown = rendering.unknown_placeholders(values.get(field) or "")
        if unknown:
            names = ", ".join("{{" + n + "}}" for n in unknown)
            errors[field] = [
                f"Unknown placeholder {names}; allowed: "
                + ", ".join("{{" + p + "}}" for p in rendering.PLACEHOLDERS)
                + "."
            ]
    if errors:
        raise Invalid("The template uses an unknown placeholder.", errors)


def get(session: Session, site: Site, template_id: int) -> Template:
    """A template of this site, or NotFound."""
    return require(
        session.scalar(
            select(Template).where(Template.id == template_id, Template.site_id == site.id)
        ),
        "Template",
    )


def list_all(session: Session, site: Site) -> list[Template]:
    """All templates of the site, by name."""
    return list(
        session.scalars(
            select(Template).where(Template.site_id == site.id).order_by(Template.name, Template.id)
        )
    )


def create(session: Session, site: Site, values: dict, actor: int, now: datetime) -> Template:
    """A new template."""
    validate(values)
    template = Template(
        site_id=site.id, created_at=now, updated_at=now, **{f: values[f] for f in FIELDS}
    )
    session.add(template)
    session.flush()
    audit.log(
        session,
        site,
        actor,
        "template.create",
        "template",
        template.id,
        {"name": template.name},
        now,
    )
    return template


def update(
    session: Session, site: Site, template: Template, values: dict, actor: int, now: datetime
) -> Template:
    """Change some fields of a template."""
    validate(values)
    changed = audit.apply_changes(template, {f: values[f] for f in FIELDS if f in values})
    if changed:
        template.updated_at = now
        audit.log(
            session,
            site,
            actor,
            "template.update",
            "template",
            template.id,
            {k: v if k == "name" else "changed" for k, v in changed.items()},
            now,
        )
    session.flush()
    return template


def delete(session: Session, site: Site, template: Template, actor: int, now: datetime) -> None:
    """Delete a template that no sequence step uses (409 otherwise)."""
    in_use = session.scalar(
        select(SequenceStep.id).where(SequenceStep.template_id == template.id).limit(1)
    )
    if in_use is not None:
        raise Conflict("This template is used by a sequence; remove it from the sequence first.")
    audit.log(
        session,
        site,
        actor,
        "template.delete",
        "template",
        template.id,
        {"name": template.name},
        now,
    )
    session.delete(template)
    session.flush()
