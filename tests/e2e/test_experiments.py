"""Experiments in WordPress (docs/api.md §18): "Add variant" on a step in the Sequences
editor; 20 cards enrolled split 10/10; human replies to B make B the leader in the
Experiments view, with its bars, the confidence in words and the auto-winner switch."""

from __future__ import annotations

from tests.e2e import helpers as ui

ROOMY = {"daily_limit": 10_000, "hourly_limit": 10_000, "domain_daily_limit": 0}


def _template(api, name: str) -> dict:
    return ui.make_template(api, name, f"{name} for {{{{domain}}}}", "About {{url}}")


def _reply(api, fake, stack, to: str) -> None:
    from tests.e2e.stack import INBOUND_TOKEN

    message = ui.sent_message(fake, to)
    form = fake.inbound_form(message["request"]["reply_to"]["email"], sender=to)
    form["text"] = "Sounds good, send it over."
    inbound = f"{stack.service_url}/sendgrid/inbound/{INBOUND_TOKEN}"
    assert fake.post_inbound(inbound, form).json()["matched"] is True


def test_a_b_test_from_editor_to_verdict(board, api, stack, sender, fake_sendgrid):
    before = api.get("/api/v1/site").json()
    assert api.patch("/api/v1/site", json=ROOMY).status_code == 200
    try:
        a, b = _template(api, ui.unique("PitchA")), _template(api, ui.unique("PitchB"))
        name = ui.unique("AB")
        board.click(".ao-open-sequences")
        dialog = ui.modal(board, "sequences")
        dialog.locator(".ao-new-sequence").click()
        ui.field(dialog, "name").fill(name)
        step = dialog.locator(".ao-step").first
        step.locator('[name="template_id"]').select_option(label=a["name"])
        step.locator(".ao-add-variant").click()
        step.locator('[name="variant_template_id"]').select_option(label=b["name"])
        dialog.locator(".ao-save-sequence").click()
        ui.expect(dialog.locator(".ao-library-item", has_text=name)).to_be_visible()
        seq = next(s for s in api.get("/api/v1/sequences").json() if s["name"] == name)
        assert seq["steps"][0]["variants"] == [
            {"template_id": a["id"], "weight": 1},
            {"template_id": b["id"], "weight": 1},
        ]

        to_b = []
        for _ in range(20):
            opp = ui.seed(api)
            to = f"{ui.unique('ab')}@{ui.unique('co')}.example"
            r = api.post(
                f"/api/v1/opportunities/{opp['id']}/sequence",
                json={"sequence_id": seq["id"], "to": to},
            )
            assert r.status_code == 201, r.text
            emails = api.get(f"/api/v1/opportunities/{opp['id']}/emails").json()
            if emails[0]["variant"] == 1:
                to_b.append(to)
        assert len(to_b) == 10  # each variant sent 10 times
        for to in to_b[:6]:
            _reply(api, fake_sendgrid, stack, to)

        row = dialog.locator(".ao-library-item", has_text=name)
        row.locator(".ao-experiments").click()
        view = dialog.locator(".ao-exp-step")
        ui.expect(view.locator(".ao-exp-variant")).to_have_count(2)
        ui.expect(view.locator('.ao-exp-variant[data-variant="1"]')).to_contain_text(
            "6 human replies of 10 sent"
        )
        ui.expect(view.locator('.ao-exp-variant[data-variant="0"]')).to_contain_text(
            "0 human replies of 10 sent"
        )
        ui.expect(view.locator(".ao-exp-verdict")).to_contain_text("B beats A with")
        ui.expect(view.locator(".ao-exp-verdict")).to_contain_text("keep going")
        view.locator('[name="auto_winner"]').check()
        ui.expect(board.locator(".notice", has_text="Auto-winner saved.")).to_be_visible()
        saved = api.get(f"/api/v1/sequences/{seq['id']}").json()
        assert saved["steps"][0]["auto_winner"] is True
        dialog.locator(".ao-cancel").click()
    finally:
        keep = {k: before[k] for k in ROOMY}
        assert api.patch("/api/v1/site", json=keep).status_code == 200
