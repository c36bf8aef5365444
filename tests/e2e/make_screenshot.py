"""Take docs/kanban.png and docs/card-detail.png: a fresh stack, a realistic board.

.venv/bin/python -m tests.e2e.make_screenshot docs/kanban.png
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e import helpers as ui
from tests.e2e.stack import CHROMIUM, CHROMIUM_ARGS, Stack
from tests.support.browser import ADMIN, login, open_board
from tests.support.fake_sendgrid import FakeSendGrid
from tests.support.signed import SignedHttpClient, SiteKey

CARDS = [
    ("https://blog.example.org/best-seo-tools-2026", "best SEO tools", "new", {}),
    ("https://news.example.com/link-building", None, "new", {"notes": "Editor: Dana"}),
    ("https://old.example.net/resources", "keyword research", "new", {"lost_link": True}),
    ("https://www.example.net/marketing-resources", "site audit", "queued", {}),
    ("https://agency.example.co/partners", "AlmaSEO", "queued", {"notes": "Call Tuesday"}),
    ("https://guides.example.io/technical-seo", "technical SEO", "reached", {"send": "open"}),
    ("https://review.example.com/tools", "rank tracker", "reached", {"send": "click"}),
    ("https://forum.example.org/thread/42", "backlink checker", "reached", {"send": "bounce"}),
    ("https://magazine.example.dev/seo", "content audit", "reached", {"sequence": True}),
    ("https://partner.example.dev/links", "AlmaSEO", "won", {"send": "delivered"}),
]
TOPICS = [
    "seo-checklist",
    "on-page-seo",
    "link-audit",
    "local-seo",
    "schema-markup",
    "core-web-vitals",
    "keyword-gap",
    "content-brief",
    "internal-links",
    "site-speed",
    "serp-features",
    "anchor-text-guide",
    "redirect-chains",
    "crawl-budget",
    "hreflang",
    "broken-links",
    "guest-posting",
    "digital-pr",
    "link-reclamation",
    "nofollow-links",
    "seo-for-saas",
    "ecommerce-seo",
    "image-seo",
    "title-tags",
]
HOSTS = [
    "searchweekly.example.com",
    "www.growthnotes.example.net",
    "blog.rankwise.example.org",
    "marketingdesk.example.io",
    "webcraft.example.dev",
    "thecontentlab.example.com",
]
CARDS += [
    (
        f"https://{HOSTS[i % len(HOSTS)]}/{topic}",
        topic.replace("-", " "),
        ["new", "new", "queued", "reached"][i % 4],
        {"send": "delivered"}
        if i % 4 == 3
        else ({"notes": "Found via backlink gap"} if i % 5 == 0 else {}),
    )
    for i, topic in enumerate(TOPICS)
]


def seed(api: SignedHttpClient, fake: FakeSendGrid, service_url: str) -> None:
    api.patch(
        "/api/v1/site", json={"from_email": "outreach@almaseo.example", "from_name": "AlmaSEO"}
    )
    pitch = "Hi,\n\nI enjoyed {{url}}. Would {{target_url}} help your readers?"
    template = ui.make_template(api, "First pitch", "A resource for {{domain}}", pitch)
    follow = ui.make_template(api, "Follow-up", "Following up", "Just checking in on {{url}}.")
    sequence = api.post(
        "/api/v1/sequences",
        json={
            "name": "Three-touch drip",
            "steps": [
                {"template_id": template["id"]},
                {"template_id": follow["id"], "delay_hours": 72},
            ],
        },
    ).json()
    for i, (url, anchor, status, extra) in enumerate(CARDS):
        opp = api.post(
            "/api/v1/opportunities",
            json={
                "source_url": url,
                "anchor_text": anchor,
                "status": status,
                "target_url": "https://almaseo.example/tools",
                "notes": extra.get("notes", ""),
                "lost_link": extra.get("lost_link", False),
            },
        ).json()
        to = f"editor{i}@example.org"
        if extra.get("sequence"):
            api.post(
                f"/api/v1/opportunities/{opp['id']}/sequence",
                json={"sequence_id": sequence["id"], "to": to},
            )
        if "send" in extra:
            api.post(
                f"/api/v1/opportunities/{opp['id']}/emails",
                json={"to": to, "template_id": template["id"]},
            )
            message = next(
                m
                for m in fake.messages
                if m["request"]["personalizations"][0]["to"][0]["email"] == to
            )
            kinds = {
                "delivered": ["delivered"],
                "open": ["delivered", "open"],
                "click": ["delivered", "open", "click"],
                "bounce": ["bounce"],
            }
            events = [fake.event(message, k) for k in kinds[extra["send"]]]
            fake.post_events(service_url + "/sendgrid/webhook", events)
        if status == "won":
            api.post(f"/api/v1/opportunities/{opp['id']}/move", json={"status": "won"})


def main(target: str) -> None:
    fake = FakeSendGrid().start()
    stack = Stack(Path(tempfile.mkdtemp(prefix="ao-shot-")))
    try:
        stack.start_service(fake)
        stack.start_wordpress()
        key = SiteKey(stack.site["site_id"], stack.site["key_id"], stack.site["secret"])
        seed(SignedHttpClient(stack.service_url, key), fake, stack.service_url)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = login(browser, stack.wp_url, ADMIN)
            page = context.new_page()
            page.set_viewport_size({"width": 1440, "height": 1000})
            open_board(page, stack)
            page.wait_for_timeout(500)
            page.screenshot(path=target, full_page=True)
            page.locator(".ao-card", has_text="content audit").click(position={"x": 60, "y": 40})
            page.wait_for_selector('.ao-modal[data-modal="card"]')
            page.wait_for_timeout(300)
            page.screenshot(path=str(Path(target).with_name("card-detail.png")))
            browser.close()
    finally:
        stack.stop()
        fake.stop()
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/kanban.png")
