"""The send dialog's preview is the message "Send" hands over (docs/api.md §20): the given
subject/body over the template's, the same placeholders, footer and unsubscribe headers."""

from __future__ import annotations

import re

import pytest

from service.mail.unsubscribe_links import PREVIEW_TOKEN
from tests.support.api import API, create_opp, create_template, send
from tests.support.apps import sending_settings
from tests.support.fake_sendgrid import message_for

PUBLIC_URL = "https://outreach.example.net"
TOKEN = re.compile(re.escape(PUBLIC_URL) + r"/u/[0-9]+\.[A-Za-z0-9_-]{22}")
SAMPLE = f"{PUBLIC_URL}/u/{PREVIEW_TOKEN}"


@pytest.fixture
def app_settings(sendgrid):
    return sending_settings(sendgrid, PUBLIC_URL=PUBLIC_URL)


def sent(message: dict) -> dict:
    """What SendGrid received, with the email's own unsubscribe link as the sample one."""
    request = message["request"]
    content = {c["type"]: TOKEN.sub(SAMPLE, c["value"]) for c in request["content"]}
    return {
        "subject": request["subject"],
        "text": content["text/plain"],
        "html": content["text/html"],
        "headers": {k: TOKEN.sub(SAMPLE, v) for k, v in request["headers"].items()},
    }


@pytest.mark.parametrize(
    "edit",
    [
        {"subject": "Edited {{domain}}", "body": "Edited body for {{first_name|you}}: {{url}}"},
        {"subject": "Only the subject, {{domain}}"},
        {"body": "Only the body. Not for you? {{unsubscribe_url}}"},
        {},
    ],
)
def test_the_preview_is_the_message_sent(client, fake_sg, edit):
    card = create_opp(client, "https://blog.example.org/p", contact_name="Anna Berg")["id"]
    template = create_template(client, subject="Template {{domain}}", body="Template {{url}}.")
    draft = {"template_id": template["id"], **edit}
    shown = client.post(f"{API}/templates/preview", json={"opportunity_id": card, **draft})
    assert shown.status_code == 200, shown.json
    r = send(client, card, **draft)
    assert r.status_code == 201, r.json
    got = sent(message_for(fake_sg, r.json["id"]))
    assert {k: shown.json[k] for k in got} == got
    assert shown.json["missing"] == []
    assert shown.json["headers"]["List-Unsubscribe"] == f"<{SAMPLE}>"
    if "subject" in edit:
        assert shown.json["subject"].startswith(edit["subject"].split("{")[0])
    if "body" in edit:
        assert "Template" not in shown.json["text"]
