"""Reply matching by In-Reply-To/References: only the recipient's answer counts (finding 7)."""

from __future__ import annotations

import pytest

from service.models import EmailEvent
from tests.replies.test_replies import inbound_url
from tests.support.api import email_json, sent_email
from tests.support.fake_sendgrid import message_for
from tests.support.state import rows

TO = "editor@blog.example.org"


def _reference(fake_sg, email) -> str:
    return f"<{message_for(fake_sg, email['id'])['x_message_id']}@ismtpd0001p1.sendgrid.net>"


def _post(fake_sg, live, sender: str, references: str, envelope_from: str | None = None):
    form = fake_sg.inbound_form("team@a.example", sender=sender, in_reply_to=references)
    if envelope_from is not None:
        form["envelope"] = form["envelope"].replace(
            f'"from": "{sender}"', f'"from": "{envelope_from}"'
        )
    r = fake_sg.post_inbound(inbound_url(live), form)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize(
    "sender",
    [
        "stranger@evil.example",
        "Editor <editor@evil.example>",
        "editor@blog.example.org.evil.example",
        "someone@example.org",
        "",
        "not an address",
    ],
)
def test_a_stranger_quoting_the_message_id_marks_nothing(client, app, fake_sg, live, sender):
    email = sent_email(client, to=TO)
    assert _post(fake_sg, live, sender, _reference(fake_sg, email))["matched"] is False
    assert email_json(client, email)["status"] != "replied"
    assert not [e for e in rows(app, EmailEvent) if e.type == "replied"]


@pytest.mark.parametrize(
    "sender",
    [
        "editor@blog.example.org",
        "EDITOR@Blog.Example.ORG",
        '"The Editor" <editor@blog.example.org>',
        "colleague@blog.example.org",
    ],
)
def test_the_recipient_or_a_colleague_at_its_domain_is_matched(client, fake_sg, live, sender):
    email = sent_email(client, to=TO)
    assert _post(fake_sg, live, sender, _reference(fake_sg, email)) == {
        "matched": True,
        "email_id": email["id"],
    }


def test_envelope_sender_of_the_recipient_is_enough(client, fake_sg, live):
    email = sent_email(client, to=TO)
    got = _post(
        fake_sg,
        live,
        "Editor via list <list@lists.example>",
        _reference(fake_sg, email),
        envelope_from=TO,
    )
    assert got["matched"] is True


def test_only_the_first_100_message_ids_are_considered(client, fake_sg, live):
    email = sent_email(client, to=TO)
    filler = " ".join(f"<filler{i}@x.example>" for i in range(100))
    late = _post(fake_sg, live, TO, f"{filler} {_reference(fake_sg, email)}")
    assert late["matched"] is False
    first = _post(fake_sg, live, TO, f"{_reference(fake_sg, email)} {filler}")
    assert first["matched"] is True


def test_forty_thousand_message_ids_answer_200(client, fake_sg, live):
    email = sent_email(client, to=TO)
    stuffed = " ".join(f"<id{i}@x.example>" for i in range(40000))
    assert _post(fake_sg, live, TO, f"{stuffed} {_reference(fake_sg, email)}") == {
        "matched": False,
        "email_id": None,
    }


def _forged(fake_sg, live, email, *, spf: str, dkim: str, envelope_from: str = TO):
    form = fake_sg.inbound_form("team@a.example", sender=TO, in_reply_to=_reference(fake_sg, email))
    form["envelope"] = form["envelope"].replace(f'"from": "{TO}"', f'"from": "{envelope_from}"')
    form.update({"SPF": spf, "dkim": dkim})
    r = fake_sg.post_inbound(inbound_url(live), form)
    assert r.status_code == 200, r.text
    return r.json()["matched"]


def test_a_forged_from_with_a_known_message_id_marks_nothing(client, app, fake_sg, live):
    """Issue 21 #8: From: the recipient, forged, with the Message-ID of our email was taken
    as the recipient's reply. SendGrid's SPF and DKIM verdicts say who really sent it."""
    email = sent_email(client, to=TO)
    forged = [
        {"spf": "fail", "dkim": "{@blog.example.org : fail}"},
        {"spf": "softfail", "dkim": "none"},
        {"spf": "pass", "dkim": "{@evil.example : pass}", "envelope_from": "x@evil.example"},
        {"spf": "none", "dkim": "{@blog.example.org.evil.example : pass}"},
        {"spf": "", "dkim": ""},
    ]
    for verdicts in forged:
        assert _forged(fake_sg, live, email, **verdicts) is False, verdicts
    assert email_json(client, email)["status"] != "replied"
    assert not [e for e in rows(app, EmailEvent) if e.type == "replied"]


def test_a_reply_that_passes_spf_or_dkim_is_still_matched(client, fake_sg, live):
    email = sent_email(client, to=TO)
    assert _forged(fake_sg, live, email, spf="fail", dkim="{@blog.example.org : pass}")
    email = sent_email(client, to="ed@other.example.net")
    other = "ed@other.example.net"
    form = fake_sg.inbound_form(
        "team@a.example", sender=other, in_reply_to=_reference(fake_sg, email)
    )
    form.update({"SPF": "pass", "dkim": "none"})  # SPF for the envelope sender, the same
    assert fake_sg.post_inbound(inbound_url(live), form).json()["matched"] is True
