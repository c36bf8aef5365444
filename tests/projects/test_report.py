"""A project's report (docs/api.md §19): won links, stages, emails and days."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from service.models import Email, LinkCheck, Opportunity
from tests.projects.conftest import make_project
from tests.support.api import API, assert_error, create_opp, send


def won_and_lost(client, session, project_id) -> tuple[dict, dict]:
    """A won card whose link a check saw (rel sponsored), and a won link since lost."""
    now = client.clock.now()
    won = create_opp(client, "https://won.example/p", project_id=project_id, status="won",
                     target_url="https://me.example/", anchor_text="best tools")  # fmt: skip
    lost = create_opp(client, "https://lost.example/p", project_id=project_id)
    for card, rel in ((won, "nofollow"), (won, "sponsored")):
        session.add(
            LinkCheck(site_id=client.key.site_id, opportunity_id=card["id"], trigger="manual",
                      checked_at=now - timedelta(days=2), status="nofollow", rel=rel)
        )  # fmt: skip
    session.execute(
        update(Opportunity)
        .where(Opportunity.id == won["id"])
        .values(link_last_live_at=now - timedelta(days=2))
    )
    session.execute(
        update(Opportunity)
        .where(Opportunity.id == lost["id"])
        .values(lost_link=True, link_last_live_at=now - timedelta(days=1))
    )
    session.commit()
    return won, lost


def test_the_report_lists_won_links_stages_emails_and_days(client, other_client, session):
    acme, other = make_project(client, "Acme"), make_project(client, "Other")
    won, lost = won_and_lost(client, session, acme["id"])
    create_opp(client, "https://elsewhere.example/p", project_id=other["id"], status="won")
    pitched = create_opp(client, "https://pitch.example/p", project_id=acme["id"])
    assert send(client, pitched["id"], to="ed@pitch.example").status_code == 201
    session.execute(update(Email).values(replied_at=client.clock.now()))
    session.commit()
    r = client.get(f"{API}/projects/{acme['id']}/report")
    assert r.status_code == 200, r.json
    report = r.json
    assert report["project"]["name"] == "Acme"
    assert [link["opportunity_id"] for link in report["links"]] == [won["id"], lost["id"]]
    first = report["links"][0]
    assert first["rel"] == "sponsored" and first["status"] == "live"
    assert first["anchor_text"] == "best tools" and first["target_url"] == "https://me.example/"
    assert first["first_live_at"] is not None and first["last_live_at"] is not None
    assert report["links"][1]["status"] == "lost"
    assert report["stages"] == {"new": 1, "queued": 0, "reached": 1, "won": 1}
    assert report["emails"] == {"sent": 1, "replied": 1}
    assert len(report["daily"]) == 30 and report["to"] == report["daily"][-1]["date"]
    assert report["daily"][-1]["sent"] == 1 and report["daily"][-1]["replied"] == 1
    assert set(report["daily"][0]) == {"date", "sent", "replied", "won"}
    # A period that ended before the lost link was live shows neither.
    long_ago = (client.clock.now() - timedelta(days=40)).date().isoformat()
    old = client.get(f"{API}/projects/{acme['id']}/report", query={"to": long_ago}).json
    assert old["links"] == [] and old["emails"] == {"sent": 0, "replied": 0}


def test_the_report_refuses_foreign_projects_and_bad_periods(client, other_client):
    acme = make_project(client)
    assert_error(other_client.get(f"{API}/projects/{acme['id']}/report"), 404)
    r = client.get(f"{API}/projects/{acme['id']}/report",
                   query={"from": "2026-02-01", "to": "2026-01-01"})  # fmt: skip
    assert_error(r, 422, "period")
