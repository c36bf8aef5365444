"""Every limit a dialog puts on an input, as Chromium draws it, is the service's.

For each dialog with fields: every text, number, email and URL control's maxlength, min
and max equal the field's maxLength, minimum and maximum in schemas/openapi.json (none
where the service sets none). tests/bridge/test_field_limits.py checks the files behind.
"""

from __future__ import annotations

from tests.bridge.openapi_fields import input_limits, writable
from tests.e2e import helpers as ui

# The controls of a dialog that hold a value of their own and their limits.
CONTROLS = """(dialog) => Array.from(dialog.querySelectorAll(
    '[data-field] input, [data-field] textarea, input[name=delay_hours]'))
  .filter((c) => ['text', 'url', 'email', 'number', 'textarea'].includes(c.type))
  .map((c) => [c.name, Object.fromEntries(['maxlength', 'min', 'max']
    .filter((a) => c.hasAttribute(a)).map((a) => [a, c.getAttribute(a)]))])"""

# Boxes of many values, one a line: not one field, so not one field's limit.
LISTS = {("suppressions", "value")}


def as_attributes(limits: dict) -> dict:
    return {k: str(int(v)) if float(v).is_integer() else str(v) for k, v in limits.items()}


def differences(page, name: str, schema: str, also: dict | None = None) -> list[str]:
    """Where the inputs of an open dialog differ from the schema's fields."""
    fields = {**writable(schema), **(also or {})}
    drawn = ui.modal(page, name).evaluate(CONTROLS)
    assert drawn, f"no input in the {name} dialog"
    found = []
    for control, attributes in drawn:
        own = (name, control) in LISTS or control not in fields
        expected = {} if own else as_attributes(input_limits(fields[control]))
        if attributes != expected:
            found.append(f"{name} {control}: drawn {attributes}, the service's {expected}")
    return found


def close(page, name):
    page.keyboard.press("Escape")
    ui.expect(ui.modal(page, name)).to_have_count(0)


def test_the_dialogs_inputs_carry_the_services_limits(board, api):
    ui.make_template(api, ui.unique("limits"), "Hello", "About {{url}}")
    opp = ui.seed(api, contact_email=f"{ui.unique('ed')}@example.org")
    board.reload()
    board.wait_for_selector("#ao-app.is-ready")
    found = []
    toolbar = {
        "add": (".ao-open-add", None, "Opportunity"),
        "templates": (".ao-open-templates", ".ao-new-template", "Template"),
        "sequences": (".ao-open-sequences", ".ao-new-sequence", "Sequence"),
        "site": (".ao-open-site", None, "SitePatch"),
        "suppressions": (".ao-open-suppressions", None, "Suppression"),
        "backlinks": (".ao-open-backlinks", None, "BacklinkIn"),
    }
    for name, (opener, then, schema) in toolbar.items():
        board.click(opener)
        if then:
            ui.modal(board, name).locator(then).click()
            ui.expect(
                ui.modal(board, name).locator(".ao-library-form [data-field]").first
            ).to_be_visible()
        # A sequence's steps are Step schemas inside the dialog, their variants Variant ones.
        also = None
        if name == "sequences":
            also = {
                "delay_hours": writable("Step")["delay_hours"],
                "weight": writable("Variant")["weight"],
            }
        found += differences(board, name, schema, also)
        close(board, name)
    ui.card(board, opp["id"]).click()
    # The Details tab's "SEO metrics" group is the nested CardMetrics schema.
    found += differences(board, "card", "OpportunityPatch", writable("CardMetrics"))
    close(board, "card")
    for action, name, schema in (
        ("send", "send", "SendEmail"),
        ("notes", "notes", "Notes"),
        ("start-sequence", "assign-sequence", "EnrollRequest"),
    ):
        ui.card_action(board, opp["id"], action)
        found += differences(board, name, schema)
        close(board, name)
    assert found == [], "\n".join(found)
