"""The message bytes a mailbox sends (service/mail/mime.py) read back by the stdlib parser
as the stdlib composer they replaced (issue 23) wrote them, over varied inputs."""

from __future__ import annotations

import email
import email.header
import itertools
import random
import re
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage

import pytest

from service.mail.mime import OWN_HEADERS, compose
from tests.mailboxes.messages import outgoing

pytestmark = pytest.mark.usefixtures("once_per_run")
MESSAGE_ID = "<3f2a9c1e@example.test>"
SUBJECTS = [
    "Hello",
    "",
    "A link for your résumé page",
    "x" * 200,
    "A plain ASCII subject that goes on and on about guest posts, links and more " * 2,
    "Привет мир, это длинная тема письма которая должна быть сложена в строки ok",
    "🎉 Big news 🎉 for you",
    "café résumé ok",
    "  leading and trailing  ",
    "tabs\tinside\t",
    'Re: [list] quotes "and" commas, (parens) <angles>; semi: colon',
    "日本語の件名です" * 6,
    "a     b",
    "mixed ünïcödé and ASCII words " * 4,
    "ü" + "y" * 100 + " end",
]
NAMES = [
    None,
    "",
    "Alice",
    "Alice Ångström",
    "Smith, Bob",
    'Bob "the builder" Smith',
    "O'Brien",
    "Ångström, Alice",
    "Zoë (sales)",
    "🎉 Party",
    "Bob   Smith ",
    "Dr. J. Doe",
    "x" * 100,
    "Ünïcödé " * 10,
    "back\\slash",
]
TOS = ["prospect@example.org", "Bob <bob@example.org>", '"Smith, Bob" <bob@example.org>']
REPLY_TOS = [None, "alice+r@example.test", "Alice Support <help@example.test>"]
TEXTS = [
    "",
    "Hello,\nwould you link to us?\n",
    "no trailing newline",
    "long " * 120,
    "Grüße aus Berlin\n",
    "emoji 🎉 line\n",
    "line\r\nwith crlf\rand cr\n",
    "trailing spaces   \nand tabs\t\n",
    ".\nleading dot\n..\n",
    "From the start\n",
    "= signs =3D =?utf-8?q?x?=\n",
    "日本語の本文です。\n" * 20,
    ("Ünïcödé words in a long line " * 10 + "\n") * 3,
    "control \x01 character\n",
]
HTMLS = ["", "<p>Hello</p>", "<p>" + "long html " * 80 + "</p>", "<p>Grüße 🎉</p>\n" * 5]
HEADERS = [
    {},
    {"In-Reply-To": "<first@example.test>", "References": "<first@example.test>"},
    {"References": " ".join(f"<msg{n}.abcdefgh@example.test>" for n in range(10))},
    {
        "List-Unsubscribe": "<https://outreach.example.com/u/" + "a" * 120 + ">",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    {"X-Campaign": "Spring ünïcode campaign", "Message-ID": "<chosen@example.test>"},
]


def stdlib_compose(mail, message_id: str, smtputf8: bool) -> bytes:
    """The composer before issue 23: EmailMessage through the header registry."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = Address(mail.from_name or "", addr_spec=mail.from_email)
    msg["To"], msg["Subject"] = mail.to, mail.subject
    msg["Date"] = email.utils.formatdate(usegmt=True)
    msg["Message-ID"] = message_id
    if mail.reply_to:
        msg["Reply-To"] = mail.reply_to
    for name, value in mail.headers.items():
        if name.lower() not in OWN_HEADERS:
            msg[name] = value
    msg.set_content(mail.text)
    if mail.html:
        msg.add_alternative(mail.html, subtype="html")
    return msg.as_bytes(policy=policy.SMTPUTF8 if smtputf8 else policy.SMTP)


def varied(count: int, seed: int = 23):
    """Every value of every pool at least once, the rest drawn at random."""
    rng = random.Random(seed)
    pools = {
        "subject": SUBJECTS,
        "from_name": NAMES,
        "to": TOS,
        "reply_to": REPLY_TOS,
        "text": TEXTS,
        "html": HTMLS,
        "headers": HEADERS,
    }
    for n in range(count):
        yield outgoing(**{k: p[n] if n < len(p) else rng.choice(p) for k, p in pools.items()})


def read(raw: bytes) -> dict:
    """What a reader gets: decoded headers, addresses and each part's content."""
    msg = email.message_from_bytes(raw, policy=policy.default)
    fields = {k: str(v) for k, v in msg.items() if k not in ("Date", "From", "Content-Type")}
    fields.pop("Content-Transfer-Encoding", None)
    fields.pop("MIME-Version", None)
    from_ = [(a.display_name, a.addr_spec) for a in msg["From"].addresses]
    parts = list(msg.iter_parts()) if msg.is_multipart() else [msg]
    bodies = [(p.get_content_type(), p.get_content_charset(), p.get_content()) for p in parts]
    return {"fields": fields, "from": from_, "type": msg.get_content_type(), "parts": bodies}


@pytest.mark.parametrize("smtputf8", [False, True])
def test_a_reader_gets_what_the_stdlib_composer_gave_it(smtputf8):
    fixed = set()
    for mail in varied(48):
        ours = read(raw := compose(mail, MESSAGE_ID, smtputf8))
        theirs = read(stdlib_compose(mail, MESSAGE_ID, smtputf8))
        ours_fields, their_fields = ours.pop("fields"), theirs.pop("fields")
        assert ours_fields.keys() == their_fields.keys()
        for name, value in their_fields.items():
            if ours_fields[name] != value:  # only where the stdlib lost what was written
                assert ours_fields[name] == written(mail, name), (name, mail)
                fixed.add(name)
        if ours["from"] != theirs["from"]:  # a long name in several encoded-words
            assert display_name(raw) == " ".join(mail.from_name.split()) != theirs["from"][0][0]
            ours["from"] = theirs["from"]
            fixed.add("From")
        assert ours == theirs, mail
        assert_well_formed(raw, smtputf8)
    assert fixed <= {"Subject", "From"}  # the stdlib lost a space, or the reader added one


def display_name(raw: bytes) -> str:
    """From's display name as RFC 2047 readers read it: the stdlib's address parser puts
    a space between two encoded-words (6.2: none), the legacy decoder does not."""
    value = re.search(rb"^From:(.*?)\r\n(?! )", raw, re.M | re.S)[1].replace(b"\r\n", b"")
    name = value.decode().rpartition(" <")[0]
    return str(email.header.make_header(email.header.decode_header(name))).strip()


def written(mail, name: str) -> str:
    """A field's value as the send path gave it, less the leading blanks readers drop."""
    value = {"Subject": mail.subject, "To": mail.to, "Reply-To": mail.reply_to}.get(name)
    return (value if value is not None else mail.headers[name]).lstrip(" \t")


def test_internationalized_addresses_go_as_utf8():
    mail = outgoing(to="josé@exämple.org", from_name="Zoë, sales")
    raw = compose(mail, MESSAGE_ID, smtputf8=True)
    assert read(raw) == read(stdlib_compose(mail, MESSAGE_ID, True))
    assert '\r\nFrom: "Zoë, sales" <alice@example.test>\r\nTo: josé@exämple.org\r\n' in (
        "\r\n" + raw.decode()
    )
    assert_well_formed(raw, smtputf8=True)
    # A sender the registry could not parse (a UTF-8 local part): SMTPUTF8 allows it.
    raw = compose(outgoing(sender="zoë@exämple.test"), MESSAGE_ID, smtputf8=True)
    assert "\r\nFrom: Alice Ångström <zoë@exämple.test>\r\n" in "\r\n" + raw.decode()


def assert_well_formed(raw: bytes, smtputf8: bool) -> None:
    head, _, body = raw.partition(b"\r\n\r\n")
    assert not re.search(rb"\r(?!\n)|(?<!\r)\n", raw)  # CRLF only
    assert smtputf8 or raw.isascii()  # encoded-words and 7bit-clean bodies
    lines = head.split(b"\r\n")
    assert all(len(line) <= 998 for line in lines)
    for line in map(bytes.decode, lines):  # over 78 only with no whitespace to break at
        value = line.lstrip() if line[0].isspace() else line.partition(": ")[2]
        assert len(line) <= 78 or not re.search(r"\S\s+\S", value), line
    assert all(len(line) <= 78 for line in body.split(b"\r\n"))
    assert b"Content-Transfer-Encoding: 8bit" not in raw


def test_non_ascii_bodies_are_never_8bit():
    for text in ("Grüße\n", "🎉\n", "日本語\n" * 30):
        raw = compose(outgoing(text=text, html=text), MESSAGE_ID, smtputf8=True)
        parts = email.message_from_bytes(raw, policy=policy.default).iter_parts()
        assert [p["Content-Transfer-Encoding"] for p in parts] != ["8bit"] * 2
        assert raw.partition(b"\r\n\r\n")[2].isascii()


def test_a_subject_that_looks_encoded_arrives_as_written():
    """The registry decoded `=?utf-8?q?...?=` typed in a subject; it now arrives literally."""
    raw = compose(outgoing(subject="=?utf-8?q?abc?= literal", from_name="=?x?q?y?="), MESSAGE_ID)
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert msg["Subject"] == "=?utf-8?q?abc?= literal"
    assert msg["From"].addresses[0].display_name == "=?x?q?y?="


BREAKS = ["\r\nBcc: victim@example.org", "\n", "\r", "\u2028x", "\x0bx", "\x85x", "\x1cx"]
FIELDS = ["subject", "from_name", "to", "reply_to", "References", "X-Other", "message_id"]


@pytest.mark.parametrize(("where", "tail"), list(itertools.product(FIELDS, BREAKS)))
def test_a_line_break_in_any_header_value_is_refused(where, tail):
    """As the registry refused it, and also at the end (which it let through, ending the
    header block early: every later field became body)."""
    message_id, mail = MESSAGE_ID, outgoing()
    if where == "message_id":
        message_id += tail
    elif where[0].isupper():
        mail = outgoing(headers={where: "<a@example.test>" + tail})
    else:
        value = getattr(mail, where) or "alice+r@example.test"
        mail = outgoing(**{where: value + tail})
    with pytest.raises(ValueError, match="linefeed or carriage return"):
        compose(mail, message_id)


@pytest.mark.parametrize("name", ["Bcc: x@example.org\r\nX-A", "X A", "X:A", ""])
def test_a_header_name_that_is_no_name_is_refused(name):
    with pytest.raises(ValueError, match="Not a header name"):
        compose(outgoing(headers={name: "v"}), MESSAGE_ID)


def test_a_line_past_998_characters_is_refused():
    """Identifiers go as written (the registry made a long List-Unsubscribe URL into
    encoded-words no client reads as a URL); one too long for any line is refused."""
    url = "<https://outreach.example.com/u/" + "a" * 900 + ">"
    raw = compose(outgoing(headers={"List-Unsubscribe": url}), MESSAGE_ID)
    assert f"\r\nList-Unsubscribe: {url}\r\n".encode() in raw
    with pytest.raises(ValueError, match="longer than 998"):
        compose(outgoing(headers={"References": "<" + "a" * 1000 + "@example.test>"}), MESSAGE_ID)
    long_word = compose(outgoing(subject="x" * 1200), MESSAGE_ID)  # free text: encoded-words
    assert email.message_from_bytes(long_word, policy=policy.default)["Subject"] == "x" * 1200


def test_an_invalid_sender_address_is_refused():
    """ValueError (the send refused: nothing went out); the registry's own error was no
    ValueError and escaped the send path."""
    with pytest.raises(ValueError, match="expected atom"):
        compose(outgoing(sender="alice@@example.test"), MESSAGE_ID)
