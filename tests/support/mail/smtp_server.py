"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the mailbox tests and the benchmark.

Three listeners share one handler and one record: `starttls_port` (STARTTLS required
before AUTH), `tls_port` (implicit TLS) and `plain_port` (no TLS: `security: "none"`).
AUTH PLAIN/LOGIN against `users`, XOAUTH2 against the fake OAuth provider. Replies can be
programmed per recipient (`rcpt_replies`, `data_replies`) or for the next messages
(`next_data`): an SMTP reply line, DROP (the connection is cut after the message was
received, before the final reply) or STALL (no final reply at all). `delay` is waited
before every final reply. Every connection, login and message is recorded.
"""

from __future__ import annotations

import asyncio
import base64
import email
import email.policy
import itertools
import logging
import threading
import weakref
from collections import deque
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.mail.certs import TestCerts
from tests.support.processes import wait_for

DROP = "drop"
STALL = "stall"


@dataclass
class Received:
    """One message the server accepted (250)."""

    connection: int
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    login: str | None

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)


@dataclass
class Login:
    connection: int
    mechanism: str
    user: str
    ok: bool


@dataclass
class _Record:
    connections: list[int] = field(default_factory=list)  # numbers, in EHLO order
    logins: list[Login] = field(default_factory=list)
    messages: list[Received] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (recipient, reply)


def _login_of(session) -> str | None:
    data = session.auth_data
    return data.login.decode() if isinstance(data, LoginPassword) else None


class _Handler:
    def __init__(self, fake: FakeSmtp):
        self.fake = fake

    def _conn(self, server) -> int:
        number = getattr(server, "_fake_connection", None)
        if number is None:
            number = server._fake_connection = next(self.fake._numbers)
            with self.fake.changed:
                self.fake.record.connections.append(number)
                self.fake._live.add(server)
                self.fake.changed.notify_all()
        return number

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self._conn(server)
        session.host_name = hostname
        if self.fake.pipelining:  # aiosmtpd reads pipelined commands fine; it just never says so
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.fake.rcpt_replies.get(address.lower())
        if reply:
            self.fake._note_refused(address, reply)
            return reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        reply = self.fake._data_reply(envelope.rcpt_tos)
        if self.fake.delay:
            await asyncio.sleep(self.fake.delay)
        if reply == DROP:
            server.transport.abort()  # the message arrived; its answer never will
            await asyncio.sleep(3600)  # cancelled by connection_lost
        if reply == STALL:
            await asyncio.sleep(3600)
        if reply and not reply.startswith("2"):
            self.fake._note_refused(",".join(envelope.rcpt_tos), reply)
            return reply
        got = Received(
            self._conn(server),
            envelope.mail_from,
            list(envelope.rcpt_tos),
            envelope.original_content or envelope.content,
            _login_of(session),
        )
        with self.fake.changed:
            self.fake.record.messages.append(got)
            self.fake.changed.notify_all()
        return reply or "250 2.0.0 Message accepted"

    async def auth_XOAUTH2(self, server, args):
        """RFC-less but universal: base64 `user=…^Aauth=Bearer <token>^A^A`; on failure a
        334 with a JSON error, the client's empty line, then 535 (as Gmail does)."""
        blob = args[1] if len(args) > 1 else await server.challenge_auth("")
        try:
            fields = dict(
                part.split("=", 1)
                for part in base64.b64decode(blob).decode().split("\x01")
                if "=" in part
            )
        except (ValueError, UnicodeDecodeError):
            return AuthResult(success=False, handled=False)
        user, token = fields.get("user", ""), fields.get("auth", "").removeprefix("Bearer ")
        ok = self.fake.oauth is not None and self.fake.oauth.email_for(token) == user
        self.fake._note_login(self._conn(server), "XOAUTH2", user, ok)
        if ok:
            return AuthResult(success=True, auth_data=LoginPassword(user.encode(), b""))
        await server.challenge_auth('{"status":"401","schemes":"bearer"}')
        return AuthResult(success=False, handled=False)  # then aiosmtpd answers 535


class _Controller(Controller):
    """A listener on a free port (port 0, learnt once bound)."""

    def __init__(self, fake: FakeSmtp, **kwargs):
        self.fake = fake
        super().__init__(fake.handler, hostname="127.0.0.1", port=0, **kwargs)

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]  # port 0: learn the real one
        super()._trigger_server()


class FakeSmtp:
    """The server; `users` maps login -> password; `oauth` checks XOAUTH2 tokens."""

    def __init__(self, certs: TestCerts, users: dict[str, str], oauth=None):
        self.certs, self.users, self.oauth = certs, dict(users), oauth
        self.delay = 0.0
        self.pipelining = True  # advertise PIPELINING (RFC 2920)
        self.rcpt_replies: dict[str, str] = {}
        self.data_replies: dict[str, str] = {}
        self.next_data: deque[str] = deque()
        self.record = _Record()
        self.changed = threading.Condition()
        self._numbers = itertools.count(1)
        self._live: weakref.WeakSet = weakref.WeakSet()  # SMTP sessions that said EHLO
        self.handler = _Handler(self)
        common = {
            "authenticator": self._authenticate,
            "auth_require_tls": True,
            "server_hostname": "smtp.test",
            "data_size_limit": 64 * 2**20,
        }
        self.listeners = {
            "starttls": _Controller(
                self, tls_context=certs.server_context(), require_starttls=True, **common
            ),
            # Implicit TLS: aiosmtpd only knows of TLS it negotiated by STARTTLS.
            "tls": _Controller(
                self, ssl_context=certs.server_context(), **{**common, "auth_require_tls": False}
            ),
            "plain": _Controller(self, **{**common, "auth_require_tls": False}),
        }

    def start(self) -> FakeSmtp:
        # aiosmtpd warns on every login that it still fills a deprecated field itself.
        logging.getLogger("mail.log").setLevel(logging.ERROR)
        for listener in self.listeners.values():
            listener.start()
        return self

    def stop(self) -> None:
        for listener in self.listeners.values():
            listener.stop()

    def port(self, security: str) -> int:
        return self.listeners["plain" if security == "none" else security].port

    def reset(self) -> None:
        with self.changed:
            self.delay = 0.0
            self.pipelining = True
            self.rcpt_replies.clear()
            self.data_replies.clear()
            self.next_data.clear()
            self.record = _Record()
            self._numbers = itertools.count(1)

    def drop_connections(self) -> None:
        """Cut every open connection, as a server restart or an idle timeout does."""
        with self.changed:
            live = list(self._live)
        for server in live:
            if server.transport is not None:
                server.loop.call_soon_threadsafe(server.transport.abort)
        for server in live:
            wait_for(lambda s=server: s.transport is None, 5, every=0.01)

    # -- what happened ----------------------------------------------------------------
    @property
    def messages(self) -> list[Received]:
        with self.changed:
            return list(self.record.messages)

    @property
    def logins(self) -> list[Login]:
        with self.changed:
            return list(self.record.logins)

    @property
    def connections(self) -> list[int]:
        with self.changed:
            return list(self.record.connections)

    def wait_messages(self, count: int, timeout: float = 10.0) -> list[Received]:
        with self.changed:
            if not self.changed.wait_for(lambda: len(self.record.messages) >= count, timeout):
                raise AssertionError(f"{len(self.record.messages)} of {count} messages")
            return list(self.record.messages)

    # -- inside the server's loop -----------------------------------------------------
    def _authenticate(self, server, session, envelope, mechanism, data) -> AuthResult:
        user, password = data.login.decode(), data.password.decode()
        ok = user in self.users and self.users[user] == password
        self._note_login(self.handler._conn(server), mechanism, user, ok)
        return AuthResult(success=ok, handled=False, auth_data=data)

    def _note_login(self, connection: int, mechanism: str, user: str, ok: bool) -> None:
        with self.changed:
            self.record.logins.append(Login(connection, mechanism, user, ok))
            self.changed.notify_all()

    def _note_refused(self, who: str, reply: str) -> None:
        with self.changed:
            self.record.refused.append((who, reply))
            self.changed.notify_all()

    def _data_reply(self, rcpt_tos: list[str]) -> str | None:
        with self.changed:
            if self.next_data:
                return self.next_data.popleft()
        return next(
            (self.data_replies[r.lower()] for r in rcpt_tos if r.lower() in self.data_replies), None
        )
