"""A site's mailboxes: add, read, change, delete (docs/api.md §15). Domain functions:
they take the session and flush. Secrets are sealed here and never leave as clear text
(not in the audit trail either: it records which secrets changed, never their values)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from service.domain import audit, key_check
from service.domain.errors import Conflict, Invalid, require
from service.domain.secret_box import SecretBox
from service.models import Email, Mailbox, Site

MAX_PER_SITE = 50
SECRETS = {"password": "password_stored", "imap_password": "imap_password_stored"}
SECRETS["refresh_token"] = "refresh_token_stored"
PLAIN = ("email", "from_name", "provider", "daily_limit", "save_to_sent", "status")
PLAIN += ("track_opens", "track_clicks")
SERVER = ("host", "port", "security", "username")
SHOWN = PLAIN + tuple(f"{s}_{f}" for s in ("smtp", "imap") for f in SERVER)
SHOWN += ("imap_folder", "ramp_start", "ramp_step")


def get(session: Session, site: Site, mailbox_id: int) -> Mailbox:
    found = session.scalar(
        select(Mailbox).where(Mailbox.id == mailbox_id, Mailbox.site_id == site.id)
    )
    return require(found, "Mailbox")


def listed(session: Session, site: Site) -> list[Mailbox]:
    query = select(Mailbox).where(Mailbox.site_id == site.id).order_by(Mailbox.id)
    return list(session.scalars(query))


def create(
    session: Session, box: SecretBox, site: Site, values: dict, actor: int, now, insecure: bool
) -> Mailbox:
    """A new mailbox (active); its secrets stored sealed."""
    count = select(func.count()).where(Mailbox.site_id == site.id)
    if session.scalar(count) >= MAX_PER_SITE:
        raise Conflict(f"A site has at most {MAX_PER_SITE} mailboxes; delete one first.")
    mailbox = Mailbox(site_id=site.id, status="active", credentials_version=1)
    mailbox.created_at = mailbox.updated_at = now
    _apply(mailbox, {"imap": {"folder": "INBOX"}, **values})
    _check(session, mailbox, insecure)
    _seal(session, box, mailbox, values)
    _check_secrets(mailbox)
    session.add(mailbox)
    session.flush()
    audit.log(session, site, actor, "mailbox.create", "mailbox", mailbox.id, _shown(mailbox), now)
    return mailbox


def update_mailbox(
    session: Session,
    box: SecretBox,
    site: Site,
    mailbox_id: int,
    values: dict,
    actor: int,
    now: datetime,
    insecure: bool,
) -> Mailbox:
    """Change fields or secrets; new servers or secrets start afresh (status active)."""
    mailbox = get(session, site, mailbox_id)
    before = _shown(mailbox)
    _apply(mailbox, values)
    _check(session, mailbox, insecure)
    sealed = _seal(session, box, mailbox, values)
    _check_secrets(mailbox)
    changes = {k: v for k, v in _shown(mailbox).items() if before[k] != v}
    servers = any(k.startswith(("smtp_", "imap_")) for k in changes)
    if sealed or servers:
        mailbox.credentials_version += 1
        if mailbox.status == "error" and "status" not in values:
            mailbox.status, mailbox.last_error, mailbox.last_error_at = "active", None, None
    if changes or sealed:
        mailbox.updated_at = now
        session.flush()
        changes.update({f"{name}_changed": True for name in sealed})
        audit.log(session, site, actor, "mailbox.update", "mailbox", mailbox.id, changes, now)
    return mailbox


def remove(session: Session, site: Site, mailbox_id: int, actor: int, now: datetime) -> None:
    """Delete a mailbox; its emails stay (their mailbox_id becomes null)."""
    mailbox = get(session, site, mailbox_id)
    session.execute(
        update(Email)
        .where(Email.mailbox_id == mailbox.id)
        .values(mailbox_id=None)
        .execution_options(synchronize_session=False)
    )
    audit.log(session, site, actor, "mailbox.delete", "mailbox", mailbox.id, _shown(mailbox), now)
    session.delete(mailbox)
    session.flush()


def record_error(mailbox: Mailbox, message: str, now: datetime) -> None:
    """The mailbox needs its owner: `error`, with the server's words."""
    mailbox.status, mailbox.last_error, mailbox.last_error_at = "error", message[:2000], now


def _apply(mailbox: Mailbox, values: dict) -> None:
    for name in PLAIN:
        if name in values:
            setattr(mailbox, name, values[name])
    for side in ("smtp", "imap"):
        for name, value in (values.get(side) or {}).items():
            setattr(mailbox, f"{side}_{name}", value)
    for name, value in (values.get("ramp") or {}).items():
        setattr(mailbox, f"ramp_{name}", value)
    if "email" in values:
        mailbox.email = values["email"].strip().lower()


def _check(session: Session, mailbox: Mailbox, insecure: bool) -> None:
    plain = [s for s in ("smtp", "imap") if getattr(mailbox, f"{s}_security") == "none"]
    if plain and not insecure:
        fields = {f"{s}.security": ["Only with OUTREACH_ALLOW_INSECURE_MAIL=1."] for s in plain}
        raise Invalid("Unencrypted mail connections are off on this service.", fields)
    with session.no_autoflush:  # the unique constraint would answer first, less clearly
        taken = session.scalar(
            select(Mailbox.id).where(
                Mailbox.site_id == mailbox.site_id,
                Mailbox.email == mailbox.email,
                Mailbox.id != (mailbox.id or 0),
            )
        )
    if taken is not None:
        raise Conflict(f"The site already has the mailbox {mailbox.email}.")


def _seal(session: Session, box: SecretBox, mailbox: Mailbox, values: dict) -> list[str]:
    """Seal the secrets given (an empty string clears one); the names changed."""
    given = [name for name in SECRETS if name in values]
    if given:
        key_check.verify(session, box)  # never seal what the other processes cannot open
    for name in given:
        setattr(mailbox, SECRETS[name], box.seal(values[name]) if values[name] else None)
    return given


def _check_secrets(mailbox: Mailbox) -> None:
    if mailbox.provider == "smtp" and not mailbox.password_stored:
        raise Invalid("An SMTP mailbox needs its password.", {"password": ["Required."]})
    if mailbox.provider != "smtp" and not mailbox.refresh_token_stored:
        message = f"A {mailbox.provider} mailbox needs an OAuth grant (refresh_token)."
        raise Invalid(message, {"refresh_token": ["Required."]})


def _shown(mailbox: Mailbox) -> dict:
    return {name: getattr(mailbox, name) for name in SHOWN}
