"""The encryption key for stored key secrets: configured, or made once per instance folder.

Without OUTREACH_SECRET_KEY the first process to start writes a new Fernet key to
`<instance>/secret.key` (0600). Every process that starts at the same time (gunicorn
workers, the scheduler) ends up with the same key: the file is written under a temporary
name and linked into place, which fails for all but the first; the others read the winner.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

from service.domain.secret_box import SecretBox

KEY_FILE = "secret.key"
log = logging.getLogger("outreach.secrets")


def instance_key(instance_path: str | os.PathLike) -> str:
    """The key stored in the instance folder, created (and announced) on first use."""
    path = Path(instance_path) / KEY_FILE
    if path.exists():
        return _read(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(Fernet.generate_key().decode() + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.link(temporary, path)  # atomic, and refused when another process won the race
        log.warning(
            "No OUTREACH_SECRET_KEY configured: created the encryption key file %s "
            "(mode 0600). Back it up with the database: key secrets cannot be read "
            "without it.",
            path,
        )
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> str:
    key = path.read_text("ascii").strip()
    Fernet(key.encode())  # a damaged file stops start-up here, not at the first request
    return key


def secret_box_for(config: dict) -> SecretBox:
    """The box for a config mapping: OUTREACH_SECRET_KEY, else the instance key file; its
    `source` names where the key came from (domain/key_check.py says it on a mismatch)."""
    if config.get("SECRET_KEY_ENCRYPTION"):
        return SecretBox(config["SECRET_KEY_ENCRYPTION"], source="OUTREACH_SECRET_KEY")
    path = Path(config["INSTANCE_PATH"]).resolve() / KEY_FILE
    return SecretBox(instance_key(config["INSTANCE_PATH"]), source=str(path))
