"""Key secrets encrypted by default, private files, and `outreach keys reencrypt`."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from service.domain.ports import OutgoingMail
from service.domain.secret_box import SecretBox
from service.mail.outbox import OutboxMailer
from tests.server.server import Service, outreach_command
from tests.support.databases import backend
from tests.support.processes import free_port
from tests.support.signed import SignedHttpClient, SiteKey

ROOT = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _stored(svc: Service) -> dict[str, str]:
    url = svc.database_url or f"sqlite:///{svc.instance / 'outreach.sqlite3'}"
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT id, secret_stored FROM api_keys")).all())
    engine.dispose()
    return rows


def _set_stored(svc: Service, key_id: str, stored: str) -> None:
    url = svc.database_url or f"sqlite:///{svc.instance / 'outreach.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE api_keys SET secret_stored = :s WHERE id = :k"), {"s": stored, "k": key_id}
        )
    engine.dispose()


@pytest.fixture
def fresh(tmp_path):
    """An installation with no OUTREACH_SECRET_KEY, as a newcomer gets it."""
    svc = Service(tmp_path / "fresh")
    svc.instance.mkdir()
    yield svc
    svc.stop()


def test_without_a_configured_key_an_instance_key_file_is_made_and_used(fresh):
    fresh.cli("db", "upgrade")
    created = fresh.cli("site", "create", "--name", "S", "--url", "https://s.example", "--json")
    key_file = fresh.instance / "secret.key"
    assert key_file.exists() and _mode(key_file) == 0o600
    assert "created the encryption key file" in created.stderr
    assert key_file.read_text().strip() not in created.stderr + created.stdout
    stored = _stored(fresh)
    assert len(stored) == 1
    assert all(s.startswith("fernet:gAAAA") for s in stored.values())  # Fernet, no KDF
    if backend() == "sqlite":
        assert _mode(fresh.instance / "outreach.sqlite3") == 0o600
    key = fresh.create_site("Second", "https://two.example")
    assert fresh.instance.joinpath("secret.key").read_text() == key_file.read_text()
    fresh.start()
    assert SignedHttpClient(fresh.base_url, key).get("/api/v1/board").status_code == 200
    assert "created the encryption key file" not in fresh.logs()  # made once, then read


def _refused_serve(svc: Service) -> str:
    """`outreach serve` that must stop by itself; its stderr."""
    done = subprocess.run(
        [*outreach_command(), "serve", "--port", str(free_port())],
        env=svc.env,
        capture_output=True,
        text=True,
        timeout=60,  # the old code served here (and answered 401) until killed
    )
    assert done.returncode != 0, done.stderr
    return done.stderr


def test_a_server_with_another_key_refuses_to_start(fresh):
    """Issue 21 #13: it used to start and answer 401 to every key."""
    fresh.env["OUTREACH_SECRET_KEY"] = "one passphrase"
    fresh.cli("db", "upgrade")
    key = fresh.create_site()
    assert next(iter(_stored(fresh).values())).startswith("fernet:scrypt:")
    fresh.env["OUTREACH_SECRET_KEY"] = "another passphrase"
    assert "does not match the key this database's secrets were sealed with" in (
        _refused_serve(fresh)
    )
    refused = fresh.cli("site", "rotate-key", str(key.site_id), "--json", check=False)
    assert refused.returncode != 0 and "does not match" in refused.stderr
    assert len(_stored(fresh)) == 1  # nothing was sealed under the wrong key
    fresh.env["OUTREACH_SECRET_KEY"] = "one passphrase"
    fresh.start()
    assert SignedHttpClient(fresh.base_url, key).get("/api/v1/board").status_code == 200


def test_the_cli_from_another_directory_uses_the_servers_key(tmp_path):
    """Issue 21 #13: `rotate-key` run elsewhere made `./instance/secret.key` there and
    printed a key the server rejected. The instance folder follows the database now, and a
    key file that does not match is refused, naming both paths."""
    folder, elsewhere = tmp_path / "data", tmp_path / "elsewhere"
    folder.mkdir(), elsewhere.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("OUTREACH_SECRET_KEY", "OUTREACH_INSTANCE_PATH")
    }
    env["OUTREACH_DATABASE_URL"] = f"sqlite:///{folder / 'outreach.sqlite3'}"

    def cli(*args, cwd, **extra):
        return subprocess.run(
            [*outreach_command(), *args],
            env={**env, **extra},
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert cli("db", "upgrade", cwd=folder).returncode == 0
    made = cli("site", "create", "--name", "S", "--url", "https://s.example", "--json", cwd=folder)
    site_id = json.loads(made.stdout)["site_id"]
    rotated = cli("site", "rotate-key", str(site_id), "--json", cwd=elsewhere)
    assert rotated.returncode == 0, rotated.stderr
    assert not (elsewhere / "instance").exists()  # no key file of its own
    assert (folder / "secret.key").exists()  # beside the database
    new = json.loads(rotated.stdout)
    svc = Service(folder)
    svc.env = {**svc.env, **env}
    svc.env.pop("OUTREACH_INSTANCE_PATH")
    try:
        svc.start()
        signed = SignedHttpClient(svc.base_url, SiteKey(site_id, new["key_id"], new["secret"]))
        assert signed.get("/api/v1/board").status_code == 200
    finally:
        svc.stop()
    other = tmp_path / "other-instance"
    wrong = cli(
        "site", "rotate-key", str(site_id), cwd=elsewhere, OUTREACH_INSTANCE_PATH=str(other)
    )
    assert wrong.returncode != 0
    assert str(other / "secret.key") in wrong.stderr  # the key at hand
    assert str(folder / "secret.key") in wrong.stderr  # the database's


def test_reencrypt_migrates_plain_rows_and_rotates_keys(fresh):
    fresh.cli("db", "upgrade")
    key = fresh.create_site()
    _set_stored(fresh, key.key_id, "plain:" + key.secret)  # written by an older version
    out = fresh.cli("keys", "reencrypt")
    assert "1 key secret(s) re-encrypted" in out.stdout
    stored = _stored(fresh)[key.key_id]
    assert stored.startswith("fernet:gAAAA") and key.secret not in stored
    assert "0 key secret(s)" in fresh.cli("keys", "reencrypt").stdout  # nothing left to do
    old = (fresh.instance / "secret.key").read_text().strip()
    fresh.env["OUTREACH_SECRET_KEY"] = "the new passphrase"
    refused = fresh.cli("keys", "reencrypt", check=False)
    assert refused.returncode != 0 and key.key_id in refused.stderr
    fresh.env["OUTREACH_OLD_SECRET_KEY"] = old
    assert "1 key secret(s)" in fresh.cli("keys", "reencrypt").stdout
    assert _stored(fresh)[key.key_id].startswith("fernet:scrypt:")
    fresh.env.pop("OUTREACH_OLD_SECRET_KEY")
    fresh.start()
    assert SignedHttpClient(fresh.base_url, key).get("/api/v1/board").status_code == 200


def test_processes_starting_together_agree_on_one_key(tmp_path):
    code = (
        "import sys; from service.secret_key import instance_key; print(instance_key(sys.argv[1]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "OUTREACH_SECRET_KEY"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    keys = {p.communicate(timeout=120)[0].strip() for p in procs}
    assert len(keys) == 1 and keys == {(tmp_path / "secret.key").read_text().strip()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.key"]  # no temporary left


def test_passphrases_go_through_a_salted_kdf():
    box = SecretBox("a passphrase")
    first, second = box.seal("s3cret"), box.seal("s3cret")
    assert first.startswith("fernet:scrypt:") and first.split(":")[2] != second.split(":")[2]
    assert box.open(first) == box.open(second) == "s3cret"
    assert SecretBox("another").open(first) is None
    assert box.open("plain:legacy") == "legacy"  # readable until `keys reencrypt`


def test_outbox_is_private(tmp_path):
    path = tmp_path / "outbox.jsonl"
    mail = OutgoingMail(
        to="a@b.example",
        from_email="me@s.example",
        from_name=None,
        subject="Hi",
        text="Hello",
        html="<p>Hello</p>",
    )
    OutboxMailer(str(path)).send(mail)
    assert _mode(path) == 0o600
    path.chmod(0o644)  # an outbox left by an older version
    OutboxMailer(str(path))
    assert _mode(path) == 0o600


def test_reencrypt_moves_webhook_secrets_with_the_key_check(app, site_key):
    """The key check follows `keys reencrypt`; a webhook signing secret left under the old
    key would be unreadable then, so it moves too."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from service.domain import key_check, sites
    from service.models import WebhookEndpoint

    rt, now = app.extensions["outreach"], datetime.now(UTC)
    old, new = rt.secret_box, SecretBox("the next passphrase", source="OUTREACH_SECRET_KEY")
    with rt.session_factory() as s:
        hook = WebhookEndpoint(
            site_id=site_key.site_id,
            url="https://hooks.example/in",
            events=["reply.received"],
            secret_stored=old.seal("whsec_abc"),
            created_at=now,
            updated_at=now,
        )
        s.add(hook)
        s.commit()
        with pytest.raises(key_check.KeyMismatch, match="OUTREACH_SECRET_KEY"):
            key_check.verify(s, new)
        assert sites.reencrypt_keys(s, new) == (0, [site_key.key_id, f"webhook {hook.id}"])
        s.rollback()
        assert sites.reencrypt_keys(s, new, old) == (2, [])
        s.commit()
        stored = s.scalars(select(WebhookEndpoint.secret_stored)).one()
        assert new.open(stored) == "whsec_abc"
        key_check.verify(s, new)  # the database's key now


def test_reencrypt_moves_mailbox_secrets_too(app, site_key):
    """Mailbox passwords and OAuth grants (docs/api.md §15) are sealed like key secrets:
    a rotation that left them under the old key would break every mailbox."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from service.domain import sites
    from service.models import Mailbox

    rt, now = app.extensions["outreach"], datetime.now(UTC)
    old, new = rt.secret_box, SecretBox("the next passphrase", source="OUTREACH_SECRET_KEY")
    server = {"host": "mail.example", "port": 993, "security": "tls", "username": "me"}
    with rt.session_factory() as s:
        mailbox = Mailbox(
            site_id=site_key.site_id,
            email="me@example.com",
            provider="smtp",
            **{f"{side}_{k}": v for side in ("smtp", "imap") for k, v in server.items()},
            password_stored=old.seal("smtp-pw"),
            imap_password_stored=old.seal("imap-pw"),
            created_at=now,
            updated_at=now,
        )
        s.add(mailbox)
        s.commit()
        unreadable = sites.reencrypt_keys(s, new)[1]
        assert f"mailbox {mailbox.id} password" in unreadable
        assert f"mailbox {mailbox.id} imap_password" in unreadable
        s.rollback()
        assert sites.reencrypt_keys(s, new, old) == (3, [])
        s.commit()
        row = s.scalars(select(Mailbox)).one()
        assert (new.open(row.password_stored), new.open(row.imap_password_stored)) == (
            "smtp-pw",
            "imap-pw",
        )
