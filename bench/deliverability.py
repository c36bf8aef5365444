"""The limit checks a send pays for (docs/api.md, deliverability) on a big site (in-process,
PostgreSQL).

A site with a 100,000-entry do-not-contact list (half addresses, half domains) and 20,000
emails in the last 24 hours spread over 1,000 recipient domains, the domain cap on: the
time of `limits.check()` (suppression with parent domains, pause, cooldown, daily cap,
domain cap) per send, in its own transaction with the site lock, against the same on an
empty site with the cap off (the bare limit).

    .venv/bin/python -m bench.deliverability [--entries 100000] [--emails 20000]
                                             [--domains 1000] [--checks 2000]
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert

from bench import common
from service.clock import SystemClock
from service.db import make_engine, make_session_factory
from service.domain.sending import limits
from service.models import Email, Site, Suppression

QUICK = {"entries": 10_000, "emails": 2_000, "checks": 200}
# Each sample is a whole transaction (session, site lock, checks, rollback): the big site
# may cost at most twice the empty one at the median.
TARGET_RATIO = 2.0


def seed(session, site_id: int, now, entries: int, emails: int, domains: int) -> None:
    """The big list (`entries`) and a busy day of `emails` to `domains` domains."""
    half = entries // 2
    rows = [
        {"site_id": site_id, "email": f"p{i}@listed{i % 5000}.example", "kind": "email"}
        for i in range(half)
    ] + [{"site_id": site_id, "email": f"d{i}.example.net", "kind": "domain"} for i in range(half)]
    for row in rows:
        row.update(reason="manual", created_at=now)
    session.execute(insert(Suppression), rows)
    [opp] = common.seed_opportunities(session, site_id, 1, now)
    session.execute(
        insert(Email),
        [
            {
                "site_id": site_id,
                "opportunity_id": opp,
                "to_email": f"r{i}@dom{i % domains}.example",
                "to_normalized": f"r{i}@dom{i % domains}.example",
                "to_domain": f"dom{i % domains}.example",
                "subject": "s",
                "send_state": "sent",
                "created_at": now - timedelta(seconds=i * 4),
            }
            for i in range(emails)
        ],
    )
    session.commit()


def run(url: str, site_id: int, now, checks: int, domains: int) -> list[float]:
    """`checks` limit checks for fresh recipients at random domains, each in its transaction."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    rng = random.Random(7)

    def one():
        session = factory()
        try:
            site = session.get(Site, site_id)
            to = f"new{rng.randrange(10**9)}@dom{rng.randrange(domains)}.example"
            limits.lock_site(session, site)
            limits.check(session, site, to, now)
        finally:
            session.rollback()
            session.close()

    samples = common.timed(one, checks)
    engine.dispose()
    return samples


def measure(
    result, entries: int = 100_000, emails: int = 20_000, domains: int = 1_000, checks: int = 2_000
):
    """limits.check() on the big site against the empty one, `checks` times each."""
    url = common.fresh_database("postgres")
    try:
        now = SystemClock().now()
        empty = common.new_site(url, "Empty", daily_limit=1_000_000)
        big = common.new_site(url, "Big", daily_limit=1_000_000)
        engine = make_engine(url)
        session = make_session_factory(engine)()
        seed(session, big.site_id, now, entries, emails, domains)
        session.get(Site, big.site_id).domain_daily_limit = 1_000_000
        session.commit()
        session.close()
        engine.dispose()
        bare = run(url, empty.site_id, now, checks, domains)
        loaded = run(url, big.site_id, now, checks, domains)
    finally:
        common.drop_database(url)
    result.say(f"{'limits.check, empty site, cap off':38}{common.summary_ms(bare)}")
    result.say(f"{f'limits.check, {entries:,} entries, cap on':38}{common.summary_ms(loaded)}")
    figure = result.figure(
        "limits.check p50, big site",
        common.percentile(loaded, 50) * 1000,
        "ms",
        floor=common.percentile(bare, 50) * 1000,
        floor_label="empty site",
        ratio_target=TARGET_RATIO,
    )
    verdict = "MET" if figure.met else "MISSED"
    result.say(f"p50 ratio {figure.ratio:.2f}x vs target <= {TARGET_RATIO}x: {verdict}")
    return result


if __name__ == "__main__":
    common.main_for("deliverability", measure, __doc__)
