"""The `outreach` command: database, sites and keys, serve, scheduler."""

from __future__ import annotations

import json
import logging
import os
import sys

import click

from service import config as config_module
from service.clock import SystemClock
from service.db import make_engine, make_session_factory
from service.domain import key_check, sites
from service.domain.errors import NotFound
from service.domain.secret_box import SecretBox
from service.secret_key import secret_box_for


def _session_and_box(check: bool = True):
    """A session and the secret box; with `check`, refused (naming both key sources) when
    the key is not the one this database's secrets were sealed with."""
    cfg = config_module.from_environment()
    os.makedirs(cfg["INSTANCE_PATH"], exist_ok=True)
    engine = make_engine(cfg["DATABASE_URL"])
    session, box = make_session_factory(engine)(), secret_box_for(cfg)
    if check:
        try:
            key_check.verify(session, box)
            session.commit()
        except key_check.KeyMismatch as exc:
            session.close()
            raise click.ClickException(str(exc)) from None
    return session, box


@click.group()
def main() -> None:
    """AlmaSEO Outreach service."""
    logging.basicConfig(
        level=os.environ.get("OUTREACH_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # set-up chatter


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema (Alembic)."""
    from service.migrate import upgrade

    cfg = config_module.from_environment()
    os.makedirs(cfg["INSTANCE_PATH"], exist_ok=True)
    upgrade(cfg["DATABASE_URL"])
    click.echo("Database is at the latest schema.")


@main.group()
def site() -> None:
    """Sites and their signing keys."""


def _print_key(site_id: int, key_id: str, secret: str, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"site_id": site_id, "key_id": key_id, "secret": secret}))
        return
    click.echo(f"site_id: {site_id}\nkey_id:  {key_id}\nsecret:  {secret}")
    click.echo("Store the secret now: it is never shown again.", err=True)


@site.command("create")
@click.option("--name", required=True)
@click.option("--url", required=True)
@click.option("--daily-limit", type=click.IntRange(min=0), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def site_create(name: str, url: str, daily_limit: int, as_json: bool) -> None:
    """Register a site; prints its id, key id and secret once."""
    session, box = _session_and_box()
    with session:
        created, key_id, secret = sites.create_site(
            session, box, name, url, SystemClock().now(), daily_limit
        )
        session.commit()
        _print_key(created.id, key_id, secret, as_json)


@site.command("list")
@click.option("--json", "as_json", is_flag=True)
def site_list(as_json: bool) -> None:
    """List sites and their keys (never secrets)."""
    session, _ = _session_and_box()
    with session:
        rows = [
            {
                "site_id": s.id,
                "name": s.name,
                "url": s.url,
                "daily_limit": s.daily_limit,
                "keys": [
                    {
                        "key_id": k.id,
                        "created_at": k.created_at.isoformat(),
                        "revoked": k.revoked_at is not None,
                    }
                    for k in keys
                ],
            }
            for s, keys in sites.list_sites(session)
        ]
    if as_json:
        click.echo(json.dumps(rows))
        return
    for r in rows:
        active = [k["key_id"] for k in r["keys"] if not k["revoked"]]
        click.echo(f"{r['site_id']}\t{r['name']}\t{r['url']}\tactive keys: {', '.join(active)}")


@site.command("rotate-key")
@click.argument("site_id", type=int)
@click.option("--json", "as_json", is_flag=True)
def site_rotate_key(site_id: int, as_json: bool) -> None:
    """Add a new key; the old ones keep working until revoked."""
    session, box = _session_and_box()
    with session:
        try:
            target = sites.get_site(session, site_id)
        except NotFound:
            raise click.ClickException(f"Site {site_id} not found.") from None
        key_id, secret = sites.add_key(session, box, target, SystemClock().now())
        session.commit()
        _print_key(target.id, key_id, secret, as_json)


@site.command("revoke-key")
@click.argument("key_id")
def site_revoke_key(key_id: str) -> None:
    """Revoke a key at once."""
    session, _ = _session_and_box()
    with session:
        try:
            sites.revoke_key(session, key_id, SystemClock().now())
        except NotFound as exc:
            raise click.ClickException(exc.message) from None
        session.commit()
    click.echo(f"Key {key_id} revoked.")


@main.group()
def keys() -> None:
    """The encryption of stored key secrets."""


@keys.command("reencrypt")
@click.option(
    "--old-key",
    envvar="OUTREACH_OLD_SECRET_KEY",
    default=None,
    help="The previous OUTREACH_SECRET_KEY when rotating (best from the "
    "environment variable OUTREACH_OLD_SECRET_KEY).",
)
def keys_reencrypt(old_key: str | None) -> None:
    """Seal every stored secret under the current key (plain rows, old formats, old key)."""
    session, box = _session_and_box(check=False)  # moving to another key is its job
    with session:
        rewritten, unreadable = sites.reencrypt_keys(
            session, box, SecretBox(old_key) if old_key else None
        )
        session.commit()
    click.echo(f"{rewritten} key secret(s) re-encrypted under the current key.")
    if unreadable:
        raise click.ClickException(
            f"{len(unreadable)} key(s) could not be read with the keys given and were left "
            f"as they are: {', '.join(unreadable)}. Pass the key they were sealed with as "
            "OUTREACH_OLD_SECRET_KEY, or revoke them."
        )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=int, show_default=True)
def serve(host: str, port: int) -> None:
    """The API with its scheduler in one process (the embedded default)."""
    from service.serve import run

    os.environ.setdefault("OUTREACH_SCHEDULER", "1")
    run(host, port)


@main.command()
def scheduler() -> None:
    """The sequence scheduler alone (beside gunicorn API workers)."""
    from service.serve import run_scheduler_only

    run_scheduler_only()


if __name__ == "__main__":
    sys.exit(main())
