"""Board filtered by project (docs/api.md §19) at 5,000 cards: the delta poll's budget.

The site of bench/board.py (5,000 cards, 20,000 emails, 100,000 events, 1,000
enrollments, PostgreSQL) with its cards spread over five projects. Budget (issue 27):
a delta poll of one project's board with one changed card <= 5 ms of server time
(in-process), beside the same poll of the whole board.
Run: .venv/bin/python -m bench.board_projects [--cards 5000] [--requests 40]
"""

from __future__ import annotations

from sqlalchemy import create_engine, text

from bench import common
from bench.board import in_process, seed, view_delta
from tests.support.signed import SignedTestClient

QUICK = {"cards": 500, "requests": 10}
PROJECTS = 5


def add_projects(url: str, site_id: int) -> list[int]:
    """Five projects, the site's cards dealt over them by id."""
    engine = create_engine(url)
    with engine.begin() as conn:
        ids = [
            conn.execute(
                text(
                    "INSERT INTO projects (site_id, name, color, archived, created_at, "
                    "updated_at) VALUES (:s, :n, '#2271b1', false, now(), now()) RETURNING id"
                ),
                {"s": site_id, "n": f"Client {i}"},
            ).scalar_one()
            for i in range(PROJECTS)
        ]
        conn.execute(
            text("UPDATE opportunities SET project_id = (:ids)[1 + id % :n] WHERE site_id = :s"),
            {"ids": ids, "n": PROJECTS, "s": site_id},
        )
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return ids


def measure(result, cards: int = 5000, requests: int = 40):
    """Seed the site and its projects, then time a project's delta poll in-process."""
    url = common.fresh_database("postgres")
    try:
        key = common.new_site(url)
        seed(result, url, key, cards)
        project = add_projects(url, key.site_id)[0]
        local = SignedTestClient(in_process(url).test_client(), key)
        query = {"project_id": project}
        start = local.get("/api/v1/board", query=query).json
        plain = local.get("/api/v1/board").json["cursor"]

        def change(card_id):
            changed = local.put(f"/api/v1/opportunities/{card_id}/notes", json={"notes": "x"})
            assert changed.status_code == 200, changed.json

        shown = sum(start["counts"].values())
        view = {"query": query, "start": start, "plain": plain}
        detail = f" ({shown} of {cards} cards in the project)"
        view_delta(result, local, view, change, requests, "project delta", detail)
    finally:
        common.drop_database(url)
    return result


if __name__ == "__main__":
    common.main_for("board_projects", measure, __doc__)
