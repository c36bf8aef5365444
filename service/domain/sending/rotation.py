"""A manual send's "A/B: rotate between these templates" (docs/api.md §18): each send
takes the template of the list this site has sent by hand the fewest times (the first
of equals), chosen under the site lock, so sends in turn alternate evenly."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.domain.errors import Invalid
from service.domain.sending import limits
from service.models import Email, Site, Template


def pick(session: Session, site: Site, template_ids: list[int]) -> tuple[int, int]:
    """(index in the list, template id) this send takes."""
    mine = set(
        session.scalars(
            select(Template.id).where(Template.site_id == site.id, Template.id.in_(template_ids))
        )
    )
    unknown = [t for t in template_ids if t not in mine]
    if unknown:
        raise Invalid(
            "A template to rotate does not exist.",
            {"rotate_template_ids": [f"Unknown template {t}." for t in unknown]},
        )
    limits.lock_site(session, site)  # two sends at once must not both take the same one
    sent = dict(
        session.execute(
            select(Email.template_id, func.count(Email.id))
            .where(
                Email.site_id == site.id,
                Email.sequence_id.is_(None),
                Email.template_id.in_(template_ids),
                Email.send_state.not_in(("failed", "cancelled")),
            )
            .group_by(Email.template_id)
        ).all()
    )
    index = min(range(len(template_ids)), key=lambda i: (sent.get(template_ids[i], 0), i))
    return index, template_ids[index]
