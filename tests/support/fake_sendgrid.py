"""A fake SendGrid on 127.0.0.1 (real sockets) that the real `sendgrid` library talks to.

Mail Send (POST /v3/mail/send) as SendGrid's v3 API answers it: 202 with an X-Message-Id,
the request checks of the real API (key, personalizations, from, string custom_args),
injectable failures (FIFO of status/body/headers), a latency for every answer, and stalls
(accepted and stored, answered too late). It counts the calls in flight (`peak`). It also
emits Event Webhook batches signed with its own P-256 key, and Inbound Parse posts.
"""

from __future__ import annotations

import base64
import json
import random
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sendgrid.helpers.eventwebhook import EventWebhookHeader

API_KEY = "SG.fake-test-key"
GATHER_TIMEOUT = 30  # seconds a gathering call waits for the others at most


def err(message: str, field: str | None = None) -> dict:
    return {"errors": [{"message": message, "field": field, "help": None}]}


def new_id(size: int = 16) -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(size)).decode().rstrip("=")


class _Server(ThreadingHTTPServer):
    """The real API takes many connections at once; the stdlib's backlog of 5 refuses
    some when dozens of scheduler threads connect together."""

    request_queue_size = 256


class FakeSendGrid:
    """The Mail Send endpoint plus webhook and inbound emitters."""

    def __init__(self, api_key: str = API_KEY):
        self.api_key = api_key
        self.messages: list[dict] = []
        self.forced: list[tuple[int, dict | None, dict]] = []
        self.stalls: list[float] = []
        self.delay = 0.0  # every answer waits this long (SendGrid's latency)
        self.active = self.peak = 0  # calls being answered now / at most at once
        self.lock = threading.Lock()
        # Tests wait on this instead of a clock: notified whenever a call arrives, is
        # answered, or the number in flight changes.
        self.changed = threading.Condition(self.lock)
        self.hold: threading.Event | None = None  # set: Mail Send waits until it is set
        # > 0: answers wait until that many calls are in flight at once (a proof of
        # concurrency that needs no clock); after GATHER_TIMEOUT they go on regardless.
        self.gather = 0
        self.arrived = self.answered = 0  # calls read / calls handled
        self.on_accept = None  # called with each stored message before its answer goes back
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.server = _Server(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.server.handle_error = lambda *_args: None  # clients that time out hang up
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- lifecycle --------------------------------------------------------------------
    @property
    def host(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeSendGrid:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.forced.clear()
            self.stalls.clear()
            self.delay = 0.0
            self.peak = self.active
            self.hold = None
            self.gather = 0
            self.arrived = self.answered = 0
            self.on_accept = None

    def wait_for(self, predicate, timeout: float = 60) -> None:
        """Block until `predicate(self)` holds (checked whenever a call arrives, is answered
        or changes the number in flight); AssertionError after `timeout` seconds."""
        with self.changed:
            if not self.changed.wait_for(lambda: predicate(self), timeout):
                raise AssertionError("the fake SendGrid never reached the awaited state")

    def _count(self, name: str) -> None:
        with self.changed:
            setattr(self, name, getattr(self, name) + 1)
            self.changed.notify_all()

    def fail_next(
        self,
        status: int,
        message: str = "Bad Request",
        headers=None,
        body: dict | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` sends with this failure (nothing is stored)."""
        with self.lock:
            self.forced.extend(
                [(status, body if body is not None else err(message), headers or {})] * times
            )

    def stall_next(self, seconds: float) -> None:
        """Accept (and store) the next message, but answer only after `seconds`."""
        with self.lock:
            self.stalls.append(seconds)

    def custom_args(self) -> list[dict]:
        """The custom_args of every stored message, in arrival order."""
        with self.lock:
            return [
                m["request"]["personalizations"][0].get("custom_args", {}) for m in self.messages
            ]

    def subjects_to(self, address: str) -> list[str]:
        """Subjects of the stored messages to one address, in arrival order."""
        with self.lock:
            return [
                m["request"]["subject"]
                for m in self.messages
                if m["request"]["personalizations"][0]["to"][0]["email"] == address
            ]

    # -- Mail Send ----------------------------------------------------------------------
    def handle(self, path: str, headers, body: bytes):
        """(status, json or None, extra headers) for one request."""
        if path != "/v3/mail/send":
            return 404, err("not found"), {}
        if headers.get("Authorization") != "Bearer " + self.api_key:
            return 401, err("The provided authorization grant is invalid, expired, or revoked"), {}
        with self.lock:
            if self.forced:
                return self.forced.pop(0)
        try:
            msg = json.loads(body)
        except ValueError:
            return 400, err("Bad Request"), {}
        pers = msg.get("personalizations") or []
        if not pers:
            return 400, err("The personalizations field is required.", "personalizations"), {}
        if not (msg.get("from") or {}).get("email"):
            return 400, err("The from object must be provided.", "from"), {}
        if any(
            not isinstance(v, str)
            for p in [msg] + pers
            for v in (p.get("custom_args") or {}).values()
        ):
            return 400, err("Bad Request"), {}
        if msg.get("mail_settings", {}).get("sandbox_mode", {}).get("enable") is True:
            return 200, None, {}
        xmid = new_id()
        with self.lock:
            self.messages.append({"x_message_id": xmid, "request": msg})
            stall = self.stalls.pop(0) if self.stalls else 0.0
        if self.on_accept is not None:
            self.on_accept(msg)
        time.sleep(stall)  # accepted, but the answer comes too late for the caller
        return 202, None, {"X-Message-Id": xmid}

    def answer(self, path: str, headers, body: bytes):
        """handle() after the configured latency, counting the calls in flight."""
        with self.changed:
            self.active += 1
            self.peak = max(self.peak, self.active)
            self.changed.notify_all()
            if self.gather and not self.changed.wait_for(
                lambda: self.peak >= self.gather, GATHER_TIMEOUT
            ):
                self.gather = 0  # never reached: stop holding the others back
        try:
            time.sleep(self.delay)
            return self.handle(path, headers, body)
        finally:
            with self.changed:
                self.active -= 1
                self.changed.notify_all()

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def do_POST(self):  # noqa: N802 (http.server naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake._count("arrived")
                if fake.hold is not None:
                    fake.hold.wait(120)
                status, payload, extra = fake.answer(self.path, self.headers, body)
                data = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                fake._count("answered")  # handled: a killed client may not read the reply
                self.wfile.write(data)

        return Handler

    # -- Event Webhook ------------------------------------------------------------------
    @property
    def public_key(self) -> str:
        """Base64 DER SubjectPublicKeyInfo, as SendGrid shows it."""
        der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return base64.b64encode(der).decode()

    def sign(self, timestamp: str, body: str, key=None) -> str:
        key = key or self.private_key
        return base64.b64encode(
            key.sign((timestamp + body).encode(), ec.ECDSA(hashes.SHA256()))
        ).decode()

    def event(self, message: dict, kind: str, *, at: int | None = None, **fields) -> dict:
        """One event for the (single) recipient of a stored message."""
        req, xmid = message["request"], message["x_message_id"]
        person = req["personalizations"][0]
        stamp = int(at if at is not None else time.time())
        ev = {**(req.get("custom_args") or {}), **(person.get("custom_args") or {})}
        ev.update(
            {
                "email": person["to"][0]["email"],
                "timestamp": stamp,
                "event": kind,
                "smtp-id": f"<{xmid}@fake-ismtpd>",
                "sg_event_id": new_id(),
                "sg_message_id": f"{xmid}.recvd-fake-0-{stamp:X}-0.0",
                "category": req.get("categories") or [],
            }
        )
        if kind == "open":
            ev.setdefault("sg_machine_open", False)
            ev.update({"useragent": "Mozilla/5.0", "ip": "203.0.113.9"})
        if kind == "click":
            ev.update({"url": "https://example.org/x", "useragent": "Mozilla/5.0"})
        if kind == "bounce":
            ev.update({"reason": "550 5.1.1 unknown user", "status": "5.1.1", "type": "bounce"})
        if kind == "dropped":
            ev.update({"reason": "Bounced Address", "status": "5.0.0"})
        if kind == "delivered":
            ev.update({"response": "250 OK"})
        ev.update(fields)
        return ev

    def body_of(self, events: list[dict]) -> str:
        """SendGrid's shape: compact JSON ending in CRLF."""
        return json.dumps(events, sort_keys=True, separators=(",", ":")) + "\r\n"

    def post_events(
        self,
        url: str,
        events: list[dict],
        *,
        tamper: bool = False,
        timestamp: int | None = None,
        key=None,
        signed: bool = True,
        body: str | None = None,
    ) -> requests.Response:
        """POST one signed batch (tamper/stale/foreign-key knobs for attack tests)."""
        body = self.body_of(events) if body is None else body
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        headers = {"Content-Type": "application/json"}
        if signed:
            headers[EventWebhookHeader.SIGNATURE] = self.sign(stamp, body, key)
            headers[EventWebhookHeader.TIMESTAMP] = stamp
        if tamper:
            body = body.replace("delivered", "bounce", 1) if "delivered" in body else body + " "
        return requests.post(
            url,
            data=body.encode(),
            headers=headers,
            timeout=30,
            proxies={"http": None, "https": None},
        )

    @staticmethod
    def shuffled(events: list[dict], seed: int = 0) -> list[dict]:
        copy = list(events)
        random.Random(seed).shuffle(copy)
        return copy

    # -- Inbound Parse ------------------------------------------------------------------
    @staticmethod
    def inbound_form(
        to: str,
        *,
        in_reply_to: str | None = None,
        envelope_to=None,
        subject: str = "Re: hello",
        sender: str = "prospect@example.org",
        message_id: str | None = None,
    ) -> dict:
        """The default (non-raw) Inbound Parse fields."""
        lines = [
            f"From: {sender}",
            f"To: {to}",
            f"Subject: {subject}",
            f"Message-ID: {message_id or '<' + new_id() + '@mail.example.org>'}",
        ]
        if in_reply_to:
            lines += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
        envelope = {"to": envelope_to if envelope_to is not None else [to], "from": sender}
        return {
            "headers": "\n".join(lines) + "\n",
            "from": sender,
            "to": to,
            "subject": subject,
            "text": "Thanks, sounds good!\n",
            "html": "",
            "envelope": json.dumps(envelope),
            "charsets": json.dumps({"to": "UTF-8"}),
            "SPF": "pass",
            "dkim": "{@example.org : pass}",
            "sender_ip": "203.0.113.5",
            "attachments": "0",
        }

    @staticmethod
    def post_inbound(url: str, form: dict, attachments: dict | None = None) -> requests.Response:
        """POST multipart/form-data as Inbound Parse does (5xx: redeliver; 4xx: dropped)."""
        parts = {name: (None, value) for name, value in form.items()}
        for name, (filename, content) in (attachments or {}).items():
            parts[name] = (filename, content, "application/octet-stream")
        return requests.post(url, files=parts, timeout=30, proxies={"http": None, "https": None})


def message_for(fake: FakeSendGrid, email_id: int) -> dict:
    """The fake's stored request of one of our emails (by our custom arg)."""
    for msg in fake.messages:
        if msg["request"]["personalizations"][0]["custom_args"]["outreach_email_id"] == str(
            email_id
        ):
            return msg
    raise AssertionError(f"email {email_id} never reached the fake")
