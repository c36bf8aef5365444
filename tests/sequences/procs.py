"""Real scheduler processes against the test database, and the state they must leave."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from service.db import make_session_factory
from service.models import Email, Enrollment, Sequence, SequenceStep, Site, Template
from tests.support.fake_sendgrid import API_KEY
from tests.support.state import race_site, saved_cards

ROOT = Path(__file__).resolve().parents[2]


def arrange_due(
    engine,
    count: int,
    steps: int = 2,
    delay_hours: float = 0.0,
    status: str = "new",
    min_spacing_seconds: int = 0,
) -> int:
    """A site with `count` enrollments whose step 1 is due now; returns the site id."""
    now = datetime.now(UTC)
    with make_session_factory(engine)() as s:
        site = race_site(s, now, min_spacing_seconds)
        templates = [
            Template(
                site_id=site.id,
                name=f"T{i}",
                subject=f"Step {i} {{{{domain}}}}",
                body="Hello {{url}}",
                created_at=now,
                updated_at=now,
            )
            for i in range(1, steps + 1)
        ]
        s.add_all(templates)
        s.flush()
        seq = Sequence(
            site_id=site.id,
            name="Race",
            created_at=now,
            updated_at=now,
            steps=[
                SequenceStep(
                    position=i,
                    template_id=t.id,
                    delay_hours=delay_hours,
                    stop_on_reply=True,
                    stop_on_click=True,
                    stop_on_open=True,
                )
                for i, t in enumerate(templates, start=1)
            ],
        )
        s.add(seq)
        opps = saved_cards(s, site.id, count, "p", now, status=status)
        s.add_all(
            [
                Enrollment(
                    site_id=site.id,
                    sequence_id=seq.id,
                    opportunity_id=o.id,
                    to_email=f"editor{i}@p{i}.example",
                    status="active",
                    current_step=0,
                    next_step_at=now,
                    attempts=0,
                    created_by=0,
                    created_at=now,
                    updated_at=now,
                )
                for i, o in enumerate(opps)
            ]
        )
        s.commit()
        return site.id


def scheduler_env(database_url: str, sendgrid_url: str, tmp: Path, **extra) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "OUTREACH_DATABASE_URL": database_url,
            "SENDGRID_API_KEY": API_KEY,
            "SENDGRID_API_HOST": sendgrid_url,
            "OUTREACH_SCHEDULER_INTERVAL": "0.2",
            "OUTREACH_INSTANCE_PATH": str(tmp),
            "OUTREACH_LOG_LEVEL": "WARNING",
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
    )
    env.pop(FAULT, None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


FAULT = "OUTREACH_SCHEDULER_FAULT"


def start_scheduler(env: dict, log_path: Path) -> subprocess.Popen:
    """`outreach scheduler` as its own process."""
    log = open(log_path, "ab")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, "-m", "service.cli", "scheduler"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def running(logs, kind: str) -> int:
    """How many of these scheduler logs say their process runs `kind` (the line it writes
    once its jobs are in, before its signal handlers: wait for it before stopping one)."""
    return sum(p.exists() and f": {kind} every" in p.read_text(errors="replace") for p in logs)


_READERS: dict[str, Engine] = {}


def reader(engine: Engine) -> Engine:
    """An engine for polling reads while schedulers write. The service's SQLite engine opens
    every transaction with BEGIN IMMEDIATE (a write lock), which queues behind busy
    schedulers and fails as 'database is locked' on a loaded machine; a plain engine reads
    a WAL snapshot without any lock."""
    if engine.dialect.name != "sqlite":
        return engine
    key = engine.url.render_as_string(hide_password=False)
    if key not in _READERS:
        _READERS[key] = create_engine(engine.url, poolclass=NullPool)
    return _READERS[key]


def unfinished(engine) -> int:
    """Enrollments still active."""
    with make_session_factory(reader(engine))() as s:
        return s.scalar(select(func.count(Enrollment.id)).where(Enrollment.status == "active"))


def expire_leases(engine) -> None:
    """Make every lease look expired (a killed process's leases would expire in time)."""
    with make_session_factory(engine)() as s:
        s.execute(
            update(Enrollment)
            .where(Enrollment.lease_owner.is_not(None))
            .values(lease_until=datetime(2000, 1, 1, tzinfo=UTC))
        )
        s.commit()


def ledger(engine) -> list[tuple[int, int, int, str]]:
    """(email id, enrollment id, step, send_state) of every step email."""
    with make_session_factory(reader(engine))() as s:
        return [
            tuple(r)
            for r in s.execute(
                select(Email.id, Email.enrollment_id, Email.step, Email.send_state).where(
                    Email.enrollment_id.is_not(None)
                )
            )
        ]


def assert_exactly_once(engine, fake, enrollments: int, steps: int) -> Counter:
    """Every step has one row, SendGrid got each row at most once, sent rows exactly once."""
    rows = ledger(engine)
    per_step = Counter((r[1], r[2]) for r in rows)
    assert len(per_step) == enrollments * steps, "a step has no email row (lost)"
    assert set(per_step.values()) == {1}
    got = Counter(int(a["outreach_email_id"]) for a in fake.custom_args())
    assert not [i for i, n in got.items() if n > 1], "a step went to SendGrid twice"
    states = {r[0]: r[3] for r in rows}
    assert all(states[i] in ("sent", "unknown") for i in got)
    assert all(got[i] == 1 for i, state in states.items() if state == "sent")
    with make_session_factory(engine)() as s:
        statuses = Counter(s.scalars(select(Enrollment.status)))
    assert statuses == {"completed": enrollments}, statuses
    return Counter(states.values())


def site_count(engine) -> int:
    with make_session_factory(engine)() as s:
        return s.scalar(select(func.count(Site.id)))
