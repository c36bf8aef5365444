"""Migration 0005_deliver on a database with data: nothing lost, new columns filled."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from service.migrate import upgrade

STAMP = "2026-01-01 00:00:00"


def test_upgrade_keeps_rows_and_fills_the_new_columns(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0002_board")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sites (id, name, url, daily_limit, cooldown_hours, timezone, "
                "lock_version, created_at, updated_at) VALUES "
                "(1, 'S', 'https://s.example', 100, 24, 'UTC', 0, :t, :t)"
            ),
            {"t": STAMP},
        )
        conn.execute(
            text(
                "INSERT INTO opportunities (id, site_id, status, source_url, domain, lost_link, "
                "notes, position, emails_sent, created_at, updated_at, status_changed_at) "
                "VALUES (7, 1, 'new', 'https://a.example/p', 'a.example', 0, '', 0, 0, :t, :t, :t)"
            ),
            {"t": STAMP},
        )
        conn.execute(
            text(
                "INSERT INTO emails (id, site_id, opportunity_id, to_email, to_normalized, "
                "subject, text_body, html_body, send_state, created_by, created_at) VALUES "
                "(3, 1, 7, 'Ed@Mail.A.example', 'ed@mail.a.example', 's', '', '', 'sent', 0, :t)"
            ),
            {"t": STAMP},
        )
        conn.execute(
            text(
                "INSERT INTO suppressions (site_id, email, reason, created_at) "
                "VALUES (1, 'x@b.example', 'bounced', :t)"
            ),
            {"t": STAMP},
        )
    upgrade(url)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM opportunities")) == 1
        assert conn.scalar(text("SELECT to_domain FROM emails WHERE id = 3")) == "mail.a.example"
        assert conn.execute(text("SELECT kind, note FROM suppressions")).one() == ("email", None)
        site = conn.execute(
            text("SELECT unsubscribe_footer, bounce_brake_percent, paused, send_window FROM sites")
        ).one()
        assert site[:3] == (1, 5, 0) and '"enabled": false' in site[3]
    engine.dispose()
