"""What an email will be: rendered from a template or a subject and body for its card,
refused when a placeholder has no value, and the row it is stored as."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from service.domain.deliverability import listing
from service.domain.errors import Invalid
from service.domain.templates import library, rendering
from service.models import Email, Opportunity, Site


def render_for(
    session: Session,
    site: Site,
    opportunity: Opportunity,
    template_id=None,
    subject: str | None = None,
    body: str | None = None,
) -> rendering.Rendered:
    """Render a stored template or a custom subject/body against the opportunity; with
    both, the given subject/body win (a template edited for this one email)."""
    if template_id is not None:
        template = library.get(session, site, template_id)
        subject, body = subject or template.subject, body or template.body
    if not subject or not body:
        raise Invalid(
            "Give a template_id, or both subject and body.",
            {"template_id": ["Required when subject and body are not given."]},
        )
    library.validate({"subject": subject, "body": body})
    return rendering.render(subject, body, rendering.values_for(opportunity, site))


def refuse_missing(rendered: rendering.Rendered) -> None:
    """422 naming each placeholder the opportunity has no value for."""
    if not rendered.missing:
        return
    names = ", ".join("{{" + n + "}}" for n in rendered.missing)
    raise Invalid(
        f"The email uses {names} but this opportunity has no value for it; "
        "fill it in or change the email. Nothing was sent.",
        {n: ["This opportunity has no value for this placeholder."] for n in rendered.missing},
        missing=list(rendered.missing),
    )


def new_email(
    site: Site,
    opportunity,
    to: str,
    rendered: rendering.Rendered,
    *,
    template_id,
    actor,
    now,
    send_state: str,
    **extra,
) -> Email:
    """The email row of a send (now, a step, or scheduled): one place sets its recipient keys
    (the cooldown, suppression and domain cap read them)."""
    address = listing.normalize(to)
    return Email(
        site_id=site.id,
        opportunity_id=opportunity.id,
        to_email=to.strip(),
        to_normalized=address,
        to_domain=listing.domain_of(address),
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        template_id=template_id,
        reply_token=secrets.token_urlsafe(18),
        send_state=send_state,
        created_by=actor,
        created_at=now,
        **extra,
    )
