"""422 messages a person can read: "Anchor text is too long: at most 500 characters."

The `errors` object keeps marshmallow's per-field detail for programs; the `message`
says the same in plain words, naming fields as the board labels them.
"""

from __future__ import annotations

import re

from service.domain.cards.fields import FIELDS

LABELS = {
    **{f.name: f.label for f in FIELDS if f.label},  # the card's fields (cards/fields.py)
    "from_email": "From email",
    "from_name": "From name",
    "reply_to": "Reply-to address",
    "daily_limit": "Daily limit",
    "cooldown_hours": "Cooldown",
    "timezone": "Time zone",
    "sequence_id": "Sequence",
    "template_id": "Template",
    "to": "Recipient",
    "ids": "Card list",
    "_schema": "The request",
}
RULES = [
    (
        r"Longer than maximum length ([\d]+)\.",
        lambda label, n: f"{label} is too long: at most {int(n):,} characters.",
    ),
    (
        r"Shorter than minimum length ([\d]+)\.",
        lambda label, n: (
            f"{label} is too short: at least {int(n):,} characters."
            if n != "1"
            else f"{label} cannot be empty."
        ),
    ),
    (
        r"Length must be between ([\d]+) and ([\d]+)\.",
        lambda label, lo, hi: f"{label} must have between {int(lo):,} and {int(hi):,} items.",
    ),
    (
        r"Not a valid URL\.",
        lambda label: f"{label} is not a web address: it must start with http:// or https://.",
    ),
    (r"Not a valid email address\.", lambda label: f"{label} is not a valid email address."),
    (r"Missing data for required field\.", lambda label: f"{label} is required."),
    (r"Field may not be null\.", lambda label: f"{label} cannot be empty."),
    (r"Unknown field\.", lambda label: f"{label} cannot be set here."),
    (r"Not a valid integer\.", lambda label: f"{label} must be a whole number."),
    (
        r"Not a valid (number|boolean|string|list)\.",
        lambda label, kind: f"{label} must be a {kind}.",
    ),
    (r"Must be one of: (.*)\.", lambda label, choices: f"{label} must be one of: {choices}."),
]


def sentence(errors: dict) -> str:
    """One plain sentence per field in error, joined; a generic one if none can be said."""
    said = [_phrase(field, messages) for field, messages in errors.items()]
    return " ".join(s for s in said if s) or "Some fields are not valid."


def label_of(field: str) -> str:
    """The name a person knows a field by."""
    return LABELS.get(field) or field.replace("_", " ").strip().capitalize() or "A field"


def _phrase(field: str, messages) -> str:
    first = _first_message(messages)
    if first is None:
        return ""
    label = label_of(str(field))
    for pattern, say in RULES:
        match = re.fullmatch(pattern, first)
        if match:
            return say(label, *match.groups())
    return first if field == "_schema" else f"{label}: {first[:1].lower()}{first[1:]}"


def _first_message(messages) -> str | None:
    """The first message string in marshmallow's nesting (lists, dicts by index/key)."""
    if isinstance(messages, str):
        return messages
    if isinstance(messages, dict):
        messages = list(messages.values())
    for value in messages if isinstance(messages, list | tuple) else []:
        found = _first_message(value)
        if found:
            return found
    return None
