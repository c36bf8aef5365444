"""The Mailboxes API (docs/api.md §15) against real servers: CRUD, write-only secrets
stored sealed (never in answers, logs or the audit trail), the ramp, and `test` (a real
SMTP and IMAP login, nothing sent)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from service.domain.mailboxes import caps
from service.domain.sending import limits
from service.models import AuditEntry, Mailbox
from tests.mailboxes.conftest import ALICE, API, SMTP_PASSWORD, add_mailbox, mailbox_body
from tests.support.api import assert_error
from tests.support.apps import METRICS_AUTH

SECRETS = (SMTP_PASSWORD, "imap-secret")


@pytest.fixture
def servers(smtp, imap):
    return smtp, imap


def test_create_shows_no_secret_and_stores_them_sealed(client, raw, servers, session, caplog):
    caplog.set_level(logging.DEBUG)
    made = add_mailbox(client, *servers)
    client.post(f"{API}/{made['id']}/test")
    metrics = raw.get("/metrics", headers=METRICS_AUTH).get_data(as_text=True)
    assert made["provider"] == "smtp" and made["status"] == "active"
    assert made["imap"]["folder"] == "INBOX" and made["save_to_sent"] is True
    assert made["daily_limit"] == 30 and made["ramp"] == {"start": 10, "step": 2}
    assert made["sent_today"] == 0 and made["cap_today"] == 10
    assert made["last_error"] is None
    shown = [made, client.get(API).get_json(), client.get(f"{API}/{made['id']}").get_json()]
    row = session.scalar(select(Mailbox))
    assert row.password_stored.startswith("fernet:")
    audit = [a.changes for a in session.scalars(select(AuditEntry))]
    for secret in SECRETS:
        assert secret not in str(shown) and secret not in str(audit)
        assert secret not in row.password_stored + row.imap_password_stored
        assert secret not in caplog.text and secret not in metrics
    for field in ("password", "imap_password", "refresh_token"):
        assert field not in made


def test_the_test_logs_in_on_both_sides_and_sends_nothing(client, servers):
    smtp, _imap = servers
    made = add_mailbox(client, *servers)
    answer = client.post(f"{API}/{made['id']}/test")
    assert answer.status_code == 200
    assert answer.get_json() == {"smtp": "ok", "imap": "ok"}
    assert [(x.user, x.ok) for x in smtp.logins] == [(ALICE, True)]
    assert smtp.messages == []


def test_a_refused_login_puts_it_in_error_until_the_secret_changes(client, servers):
    made = add_mailbox(client, *servers, password="wrong")
    path = f"{API}/{made['id']}"
    answer = client.post(f"{path}/test").get_json()
    assert "535" in answer["smtp"] and answer["imap"] == "ok"
    shown = client.get(path).get_json()
    assert shown["status"] == "error" and "535" in shown["last_error"]
    assert shown["last_error_at"] is not None
    fixed = client.patch(path, json={"password": SMTP_PASSWORD}).get_json()
    assert fixed["status"] == "active" and fixed["last_error"] is None
    assert client.post(f"{path}/test").get_json() == {"smtp": "ok", "imap": "ok"}


def test_a_wrong_imap_folder_is_the_servers_answer(client, servers):
    made = add_mailbox(client, *servers)
    path = f"{API}/{made['id']}"
    client.patch(path, json={"imap": {"folder": "Nowhere"}})
    answer = client.post(f"{path}/test").get_json()
    assert answer["smtp"] == "ok" and "Nowhere" in answer["imap"]


def test_update_pause_and_delete(client, servers, session):
    made = add_mailbox(client, *servers)
    path = f"{API}/{made['id']}"
    changed = client.patch(
        path,
        json={"status": "paused", "daily_limit": 50, "ramp": {"step": 5}, "save_to_sent": False},
    ).get_json()
    assert changed["status"] == "paused" and changed["daily_limit"] == 50
    assert changed["ramp"] == {"start": 10, "step": 5} and changed["save_to_sent"] is False
    assert_error(client.patch(path, json={"status": "error"}), 422)
    assert client.delete(path).status_code == 204
    assert_error(client.get(path), 404)
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.resource_type == "mailbox")
    )
    assert list(actions) == ["mailbox.create", "mailbox.update", "mailbox.delete"]


def test_the_ramp_grows_from_the_first_send_up_to_the_daily_limit(client, servers, session, clock):
    made = add_mailbox(client, *servers, daily_limit=20, ramp={"start": 5, "step": 3})
    assert made["cap_today"] == 5
    today = clock.now().date()
    for days, cap in ((0, 5), (1, 8), (4, 17), (5, 20), (40, 20)):
        session.execute(Mailbox.__table__.update().values(first_send_on=today - timedelta(days)))
        session.commit()
        assert client.get(f"{API}/{made['id']}").get_json()["cap_today"] == cap


@pytest.mark.parametrize(
    "over, status, field",
    [
        (
            {"smtp": {"host": "x", "port": 587, "security": "none", "username": "a"}},
            422,
            "security",
        ),
        ({"password": None}, 422, "password"),
        ({"provider": "google"}, 422, "refresh_token"),
        ({"email": "not-an-address"}, 422, "email"),
        (
            {"smtp": {"host": "bad host", "port": 587, "security": "tls", "username": "a"}},
            422,
            "host",
        ),
        ({"imap": {"host": "x", "port": 70000, "security": "tls", "username": "a"}}, 422, "port"),
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(client, servers, over, status, field):
    body = {k: v for k, v in mailbox_body(*servers, **over).items() if v is not None}
    answer = assert_error(client.post(API, json=body), status)
    assert field in str(answer)
    assert client.get(API).get_json() == []


def test_one_address_once_per_site_and_other_sites_see_nothing(client, other_client, servers):
    made = add_mailbox(client, *servers)
    assert_error(client.post(API, json=mailbox_body(*servers)), 409)
    assert other_client.get(API).get_json() == []
    assert_error(other_client.get(f"{API}/{made['id']}"), 404)
    assert_error(other_client.post(f"{API}/{made['id']}/test"), 404)


def test_the_slots_counted_are_the_send_paths():
    assert caps.HOLDING_STATES == limits.HOLDING_STATES
