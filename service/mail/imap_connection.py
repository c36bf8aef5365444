"""Logged-in IMAP connections to a mailbox's server (for the reader and the Sent copy).

Built on `imapclient` (maintained, on top of the stdlib's imaplib): it parses FETCH
responses with literals, has IDLE (imaplib has none before Python 3.14), XOAUTH2 and
special-use folder lookup. Connections dial the address the guard checked (TLS checks the
host name), and a literal larger than the caller asked for is refused before it is read,
so a server cannot make us hold more than `max_literal` bytes of one message.
"""

from __future__ import annotations

import socket

import imapclient
from imapclient import exceptions as imap_errors
from imapclient.imap4 import IMAP4WithTimeout
from imapclient.tls import IMAP4_TLS

from service.mail.endpoints import Endpoint, MailSettings, address_for, network_failure
from service.mail.mailbox_errors import LoginFailed, MailboxBroken, MailboxUnreachable

MAX_BYTES = 2 * 2**20  # per message: enough for any reply or DSN worth reading
SLACK = 64 * 1024  # literals beyond what was asked: headers of a FETCH response


def _limited_read(imap, size: int) -> bytes:
    if size > imap.max_literal:
        raise imap.abort(f"the server sent {size} bytes where at most {imap.max_literal} fit")
    return imap.read_unlimited(size)


class _PlainIMAP(IMAP4WithTimeout):
    def __init__(self, address, host, port, timeout, max_literal):
        self._address, self.max_literal = address, max_literal
        super().__init__(host, port, timeout)

    def _create_socket(self, timeout=None):
        return socket.create_connection((self._address, self.port), timeout or self._timeout)

    read_unlimited = IMAP4WithTimeout.read
    read = _limited_read


class _TlsIMAP(IMAP4_TLS):
    def __init__(self, address, host, port, context, timeout, max_literal):
        self._address, self.max_literal = address, max_literal
        super().__init__(host, port, context, timeout)

    def _create_socket(self, timeout=None):
        sock = socket.create_connection((self._address, self.port), timeout or self._timeout)
        return self.ssl_context.wrap_socket(sock, server_hostname=self.host)  # the name

    read_unlimited = IMAP4_TLS.read
    read = _limited_read


class _Client(imapclient.IMAPClient):
    """IMAPClient dialing the guard's address, with the literal cap."""

    def __init__(self, address: str, endpoint: Endpoint, context, timeout, max_literal):
        self._pin = (address, context, max_literal)
        tls = endpoint.security == "tls"
        super().__init__(
            endpoint.host, endpoint.port, ssl=tls, ssl_context=context, timeout=timeout
        )

    def _create_IMAP4(self):
        address, context, cap = self._pin
        timeout = self._timeout.connect
        if self.ssl:
            return _TlsIMAP(address, self.host, self.port, context, timeout, cap)
        return _PlainIMAP(address, self.host, self.port, timeout, cap)


def connect(endpoint: Endpoint, settings: MailSettings, max_literal: int = MAX_BYTES) -> _Client:
    """A logged-in client (MailboxBroken / LoginFailed / MailboxUnreachable otherwise)."""
    address = address_for(endpoint, settings)
    context = settings.tls_context()
    client = None
    try:
        client = _Client(address, endpoint, context, settings.timeout, max_literal + SLACK)
        if endpoint.security == "starttls":
            client.starttls(context)
        _login(client, endpoint)
        return client
    except BaseException as exc:
        if client is not None:
            _shutdown(client)
        raise _failure(endpoint, exc) from None


def _login(client: _Client, endpoint: Endpoint) -> None:
    login = endpoint.login
    if login.token is None:
        client.login(login.username, login.password)
        return
    for fresh in (False, True):  # a cached token the server refuses: one fresh try
        try:
            client.oauth2_login(login.username, login.token(fresh))
            return
        except imap_errors.LoginError:
            if fresh:
                raise


def _failure(endpoint: Endpoint, exc: BaseException) -> BaseException:
    where = endpoint.describe()
    if isinstance(exc, imap_errors.LoginError):
        return LoginFailed(f"{where} refused the login: {_words(exc)}")
    if isinstance(exc, imap_errors.CapabilityError):
        return MailboxBroken(f"{where}: {exc} (check the security setting).")
    if isinstance(exc, imapclient.IMAPClient.Error):
        return MailboxUnreachable(f"{where}: {_words(exc)}")
    return network_failure(endpoint, exc) or exc


def _words(exc: BaseException) -> str:
    text = str(exc).strip().removeprefix("b'").removeprefix('b"').rstrip("'\"")
    return " ".join(text.split())[:500] or type(exc).__name__


def _shutdown(client) -> None:
    try:
        client.shutdown()
    except Exception:  # already closed: nothing to release
        pass
