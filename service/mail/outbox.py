"""The local outbox adapter: one JSON line per message, for development without SendGrid."""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from service.domain.ports import Accepted, OutgoingMail
from service.files import private_file, private_opener


class OutboxMailer:
    """Appends each message to a JSON-lines file the developer can read."""

    def __init__(self, path: str, reply_domain: str | None = None):
        self.path = Path(path)
        self.reply_domain = reply_domain
        self._lock = threading.Lock()
        if self.path.exists():  # written by an older version with the default mode
            private_file(self.path)

    def send(self, mail: OutgoingMail) -> Accepted:
        message_id = "outbox-" + secrets.token_urlsafe(12)
        record = {
            "message_id": message_id,
            "queued_at": datetime.now(UTC).isoformat(),
            **asdict(mail),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.path, "a", encoding="utf-8", opener=private_opener) as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        return Accepted(message_id)

    def messages(self) -> list[dict]:
        """Everything written so far (for tests and the curious developer)."""
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text("utf-8").splitlines() if line]
