"""Authenticated SMTP connections to a mailbox's server, and the per-process pool that
keeps ONE of them per mailbox (keyed by mailbox id + credentials version).

Why one: providers count logins and concurrent sessions (Gmail, Microsoft 365 throttle
both), a login costs several round trips and a TLS handshake, and the per-mailbox caps are
small, so sends of one mailbox queue on its connection; other mailboxes go in parallel.
"""

from __future__ import annotations

import os
import smtplib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from service.mail.endpoints import Endpoint, MailSettings, address_for, network_failure
from service.mail.mailbox_errors import LoginFailed, MailboxBroken, MailboxUnreachable
from service.mail.oauth import xoauth2

STALE_AFTER = 30.0  # seconds idle after which a pooled connection is NOOP-checked first


class _Pinned:
    """Dials the checked address; smtplib keeps the name for TLS (SNI, certificate)."""

    _address = ""

    def _get_socket(self, host, port, timeout):
        return super()._get_socket(self._address, port, timeout)


class PinnedSMTP(_Pinned, smtplib.SMTP):
    pass


class PinnedSMTPS(_Pinned, smtplib.SMTP_SSL):
    pass


def reply_text(resp: bytes | str) -> str:
    """A server reply as text (for errors shown to the mailbox's owner)."""
    text = resp.decode("utf-8", "replace") if isinstance(resp, bytes) else str(resp)
    return " ".join(text.split())[:500]


def open_smtp(endpoint: Endpoint, settings: MailSettings) -> smtplib.SMTP:
    """Connect, secure and log in; every failure as MailboxBroken or MailboxUnreachable."""
    address = address_for(endpoint, settings)
    context = settings.tls_context()
    # A placeholder EHLO name: without one smtplib asks DNS for this host's name (a stall
    # when DNS is slow); the address literal replaces it once connected.
    if endpoint.security == "tls":
        conn = PinnedSMTPS(
            "", local_hostname="localhost", context=context, timeout=settings.timeout
        )
    else:
        conn = PinnedSMTP("", local_hostname="localhost", timeout=settings.timeout)
    # smtplib takes the TLS server name from _host, set only by its constructor's connect.
    conn._address, conn._host = address, endpoint.host
    try:
        conn.connect(endpoint.host, endpoint.port)
        conn.local_hostname = _address_literal(conn.sock.getsockname()[0])
        conn.ehlo()
        if endpoint.security == "starttls":
            conn.starttls(context=context)  # refuses when STARTTLS is not offered
            conn.ehlo()
        _login(conn, endpoint)
        return conn
    except BaseException as exc:
        conn.close()  # no QUIT: a stalled server would hold us for the whole timeout
        raise _connect_failure(endpoint, exc) from None


def _address_literal(ip: str) -> str:
    """RFC 5321 4.1.3: `[192.0.2.1]`, `[IPv6:2001:db8::1]`."""
    return f"[IPv6:{ip}]" if ":" in ip else f"[{ip}]"


def _login(conn: smtplib.SMTP, endpoint: Endpoint) -> None:
    login = endpoint.login
    if login.token is None:
        conn.login(login.username, login.password)
        return
    for fresh in (False, True):  # a cached token the server refuses: one fresh try
        token = login.token(fresh)
        try:
            conn.auth(
                "XOAUTH2", lambda challenge=None, t=token: _xoauth2_answer(login, t, challenge)
            )
            return
        except smtplib.SMTPAuthenticationError:
            if fresh:
                raise


def _xoauth2_answer(login, token: str, challenge) -> str:
    # After a refused token the server sends a JSON error as a challenge; the client
    # answers with an empty line and then gets the 535.
    return xoauth2(login.username, token) if challenge is None else ""


def _connect_failure(endpoint: Endpoint, exc: BaseException) -> Exception:
    where = endpoint.describe()
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return LoginFailed(
            f"{where} refused the login: {exc.smtp_code} {reply_text(exc.smtp_error)}"
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return MailboxBroken(f"{where}: {exc} (check the security setting).")
    if isinstance(exc, smtplib.SMTPResponseException):
        return MailboxUnreachable(f"{where}: {exc.smtp_code} {reply_text(exc.smtp_error)}")
    return network_failure(endpoint, exc) or exc  # SMTPException is an OSError


class Slot:
    """A mailbox's connection; held by one sender at a time (its lock)."""

    def __init__(self, version: str):
        self.lock = threading.Lock()
        self.version = version
        self.conn: smtplib.SMTP | None = None
        self.last_used = 0.0
        self.fresh = False  # opened by the current holder (a failure is not staleness)
        self.retired = False  # replaced or closed: its connection ends with its holder

    def connection(self, endpoint: Endpoint, settings: MailSettings) -> smtplib.SMTP:
        """The open connection (NOOP-checked when idle), or a new one."""
        if self.conn is not None and time.monotonic() - self.last_used > STALE_AFTER:
            try:
                alive = self.conn.noop()[0] == 250
            except (OSError, smtplib.SMTPException):
                alive = False
            if not alive:
                self.drop()
        if self.conn is None:
            self.conn, self.fresh = open_smtp(endpoint, settings), True
        return self.conn

    def drop(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            conn.close()  # no QUIT: the connection is suspect or being retired


class SmtpPool:
    """Per process: mailbox id -> Slot. A new credentials version replaces the slot; the
    old connection is closed at once if idle, else by its holder when it is done (both
    decided under the pool lock, so neither can miss the other)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._slots: dict[object, Slot] = {}

    @contextmanager
    def hold(self, mailbox_id, version: str) -> Iterator[Slot]:
        slot = self._acquire(mailbox_id, version)
        slot.fresh = False
        try:
            yield slot
        finally:
            slot.last_used = time.monotonic()
            with self._lock:
                if slot.retired:
                    slot.drop()
                slot.lock.release()

    def _acquire(self, mailbox_id, version: str) -> Slot:
        while True:
            with self._lock:
                slot = self._slots.get(mailbox_id)
                if slot is None or slot.version != version:
                    if slot is not None:
                        self._retire(slot)
                    slot = self._slots[mailbox_id] = Slot(version)
            slot.lock.acquire()
            if not slot.retired:
                return slot
            slot.lock.release()  # replaced while we waited: take the new one

    @staticmethod
    def _retire(slot: Slot) -> None:
        """Under the pool lock: mark it; close its connection now if nobody holds it."""
        slot.retired = True
        if slot.lock.acquire(blocking=False):
            slot.drop()
            slot.lock.release()

    def close(self, mailbox_id) -> None:
        """Close a mailbox's connection (deleted, paused, credentials removed)."""
        with self._lock:
            slot = self._slots.pop(mailbox_id, None)
            if slot is not None:
                self._retire(slot)

    def close_all(self) -> None:
        with self._lock:
            for slot in self._slots.values():
                self._retire(slot)
            self._slots = {}

    def _forget_after_fork(self) -> None:
        # A forked child must never write on its parent's sockets.
        self._lock = threading.Lock()
        self._slots = {}


POOL = SmtpPool()
os.register_at_fork(after_in_child=POOL._forget_after_fork)
