"""Reading a mailbox's folder over IMAP, read-only, and filing sent mail in its Sent folder.

The reader opens the folder with EXAMINE (read-only: the server itself refuses flag
changes) and fetches with BODY.PEEK[]<0.N> (never sets \\Seen), so nothing is ever
marked, moved or deleted. Memory is bounded: at most `max_bytes` of any message (the
partial fetch), at most `batch_bytes` per FETCH (sizes are looked up first), at most
BATCH_COUNT UIDs per command. New mail is awaited with IDLE where the server offers it,
else by polling with NOOP.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import imapclient
from imapclient import exceptions as imap_errors
from imapclient.imapclient import SEEN, SENT

from service.mail.endpoints import Endpoint, MailSettings
from service.mail.imap_connection import MAX_BYTES, connect
from service.mail.mailbox_errors import MailboxBroken, MailboxUnreachable

BATCH_BYTES = 8 * 2**20  # per FETCH: bounds the memory of one batch
BATCH_COUNT = 200  # UIDs per size lookup and per FETCH at most
IDLE_MAX = 25 * 60.0  # RFC 2177: re-issue IDLE before 29 minutes
POLL_EVERY = 5.0  # seconds between NOOPs when the server has no IDLE


@dataclass(frozen=True)
class FolderState:
    """What EXAMINE said: UIDs are only comparable while `uidvalidity` stays the same."""

    uidvalidity: int
    uidnext: int | None
    exists: int


@dataclass(frozen=True)
class ImapMessage:
    """One message: `raw` is at most the reader's max_bytes; `size` the whole message."""

    uid: int
    raw: bytes
    size: int

    @property
    def truncated(self) -> bool:
        return len(self.raw) < self.size


class _Lost(MailboxUnreachable):
    """The connection broke (not a refusal of the command): reconnect and resume."""


class ImapReader:
    """One read-only session on one folder: open(), messages_after(uid), wait(seconds)."""

    def __init__(
        self,
        endpoint: Endpoint,
        settings: MailSettings,
        folder: str = "INBOX",
        max_bytes: int = MAX_BYTES,
        batch_bytes: int = BATCH_BYTES,
        poll_every: float = POLL_EVERY,
    ):
        self.endpoint, self.settings, self.folder = endpoint, settings, folder
        self.max_bytes, self.batch_bytes = max_bytes, max(batch_bytes, max_bytes)
        self.poll_every = poll_every
        self.client = None
        self.state: FolderState | None = None
        self._stop = threading.Event()

    def __enter__(self) -> ImapReader:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def open(self) -> FolderState:
        """Log in and EXAMINE the folder; a folder that is not there is MailboxBroken."""
        self.client = connect(self.endpoint, self.settings, self.max_bytes)
        try:
            answer = self._call(self.client.select_folder, self.folder, True)
        except _Lost:
            raise  # the connection broke: try again later
        except MailboxUnreachable as exc:  # the server said no: the folder is not there
            self.close()
            raise MailboxBroken(f"Folder {self.folder!r} cannot be opened: {exc}") from None
        self.state = FolderState(
            int(answer[b"UIDVALIDITY"]), answer.get(b"UIDNEXT"), int(answer.get(b"EXISTS", 0))
        )
        return self.state

    def test_login(self) -> None:
        """A real login and EXAMINE of the folder, nothing read (raises like open)."""
        try:
            self.open()
        finally:
            self.close()

    @property
    def has_idle(self) -> bool:
        return self.client is not None and self.client.has_capability("IDLE")

    def messages_after(self, uid: int) -> Iterator[list[ImapMessage]]:
        """Every message with a UID above `uid`, ascending, in bounded batches. Record a
        batch (and its highest UID) before asking for the next one."""
        found = self._call(self.client.search, ["UID", f"{uid + 1}:*"])
        uids = sorted(u for u in found if u > uid)  # "n:*" also names the last message
        for at in range(0, len(uids), BATCH_COUNT):
            chunk = uids[at : at + BATCH_COUNT]
            sizes = self._call(self.client.fetch, chunk, ["RFC822.SIZE"])
            for batch in self._batches(chunk, sizes):
                yield self._fetch(batch, sizes)

    def _batches(self, uids: list[int], sizes: dict) -> Iterator[list[int]]:
        batch, total = [], 0
        for uid in uids:
            if uid not in sizes:
                continue  # expunged meanwhile
            cost = min(int(sizes[uid].get(b"RFC822.SIZE", 0)), self.max_bytes)
            if batch and total + cost > self.batch_bytes:
                yield batch
                batch, total = [], 0
            batch.append(uid)
            total += cost
        if batch:
            yield batch

    def _fetch(self, uids: list[int], sizes: dict) -> list[ImapMessage]:
        part = f"BODY.PEEK[]<0.{self.max_bytes}>"
        data = self._call(self.client.fetch, uids, [part])
        got = []
        for uid in uids:
            item = data.get(uid) or {}
            raw = item.get(b"BODY[]<0>", item.get(b"BODY[]"))
            if raw is not None:
                got.append(ImapMessage(uid, bytes(raw), int(sizes[uid][b"RFC822.SIZE"])))
        return got

    def wait(self, timeout: float) -> bool:
        """Block until the folder may have new mail (True) or `timeout` passes (False):
        IDLE where offered, else a NOOP every `poll_every` seconds. interrupt() ends it."""
        deadline = time.monotonic() + min(timeout, IDLE_MAX)
        if self.has_idle:
            return self._idle(deadline)
        while not self._stop.is_set():
            if self._news(self._call(self.client.noop)[1]):
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._stop.wait(min(self.poll_every, left))
        return False

    def _idle(self, deadline: float) -> bool:
        # Mail that landed since the last command is announced as the IDLE begins, which
        # imaplib files away as an untagged response instead of handing to idle_check.
        pending = self.client._imap.untagged_responses
        pending.pop("EXISTS", None)
        pending.pop("RECENT", None)
        self._call(self.client.idle)
        news = bool(pending.pop("EXISTS", None) or pending.pop("RECENT", None))
        try:
            while not news and not self._stop.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                # Short slices so interrupt() is noticed without a second socket.
                news = self._news(self._call(self.client.idle_check, min(left, 1.0)))
        finally:
            news = self._news(self._call(self.client.idle_done)[1]) or news
        return news

    @staticmethod
    def _news(responses) -> bool:
        return any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses or ())

    def interrupt(self) -> None:
        """End a wait() from another thread (shutdown)."""
        self._stop.set()

    def close(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            try:
                client.logout()
            except Exception:  # the server may be gone: the socket is closed either way
                client.shutdown()

    def _call(self, method, *args):
        """A command; a broken session is MailboxUnreachable (reconnect and resume)."""
        if self.client is None:
            raise MailboxUnreachable("The IMAP session is not open.")
        try:
            return method(*args)
        except (OSError, imapclient.IMAPClient.AbortError) as exc:
            self.close()
            raise _Lost(f"{self.endpoint.describe()}: {exc}") from None
        except imap_errors.IMAPClientError as exc:
            raise MailboxUnreachable(f"{self.endpoint.describe()}: {exc}") from None


def append_to_sent(
    endpoint: Endpoint, settings: MailSettings, raw: bytes, folder: str | None = None
) -> str:
    """File a sent message (flagged \\Seen) in the Sent folder: `folder`, else the one the
    server marks \\Sent (RFC 6154), else "Sent". Returns the folder used."""
    client = connect(endpoint, settings)
    try:
        target = folder or client.find_special_folder(SENT) or "Sent"
        try:
            client.append(target, raw, flags=[SEEN])
        except imap_errors.IMAPClientError as exc:
            if "TRYCREATE" not in str(exc):
                raise
            client.create_folder(target)  # the server says the folder does not exist
            client.append(target, raw, flags=[SEEN])
        return target
    except (OSError, imapclient.IMAPClient.Error) as exc:
        raise MailboxUnreachable(f"{endpoint.describe()}: Sent copy failed: {exc}") from None
    finally:
        try:
            client.logout()
        except Exception:  # closing a connection that already failed
            client.shutdown()
