"""Is the encryption key the one this database's secrets were sealed with?

A key that does not match seals secrets nobody can read back: `outreach site rotate-key`
run with another instance folder made a key file of its own, sealed the new secret with
it and printed a key the server rejected (issue 21 #13). The database keeps one known
value sealed under its key, and where that key came from (`key_checks`); a process opens
it before it serves (service/app.py) and before it seals a secret (sites.add_key), and
stops with both sources named when it cannot.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.bulk import insert_ignore
from service.models import ApiKey, KeyCheck

KNOWN = "outreach key check 1"
CHECK_ID = 1  # the table holds one row


class KeyMismatch(RuntimeError):
    """The key at hand cannot open what this database was sealed with."""

    def __init__(self, current: str, recorded: str):
        super().__init__(
            f"The encryption key from {current} does not match the key this database's "
            f"secrets were sealed with (from {recorded}). Run every process (server, "
            "scheduler, CLI) with the same OUTREACH_SECRET_KEY or OUTREACH_INSTANCE_PATH; "
            "to change the key on purpose, run `outreach keys reencrypt` with "
            "OUTREACH_OLD_SECRET_KEY."
        )
        self.current, self.recorded = current, recorded


def verify(session: Session, box) -> None:
    """KeyMismatch unless `box` (a SecretBox) opens the database's check value; a database
    without one adopts the box's key, unless a stored secret shows it is not its key."""
    row = session.get(KeyCheck, CHECK_ID)
    if row is None:
        sample = session.scalar(
            select(ApiKey.secret_stored).where(ApiKey.secret_stored.like("fernet:%")).limit(1)
        )
        if sample is not None and box.open(sample) is None:
            raise KeyMismatch(box.source, "the key that sealed the stored key secrets")
        fresh = {"id": CHECK_ID, "sealed": box.seal(KNOWN), "key_source": box.source}
        insert_ignore(session, KeyCheck, [fresh])  # two first starts at once: one wins
        row = session.get(KeyCheck, CHECK_ID, populate_existing=True)
    if box.open(row.sealed) != KNOWN:
        raise KeyMismatch(box.source, row.key_source)


def record(session: Session, box) -> None:
    """Make `box`'s key the database's (after `outreach keys reencrypt` moved every secret)."""
    row = session.get(KeyCheck, CHECK_ID)
    if row is None:
        session.add(KeyCheck(id=CHECK_ID, sealed=box.seal(KNOWN), key_source=box.source))
    else:
        row.sealed, row.key_source = box.seal(KNOWN), box.source
    session.flush()
