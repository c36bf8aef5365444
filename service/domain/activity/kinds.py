"""The kinds an activity entry has (the filter's vocabulary) and the audit actions of each."""

from __future__ import annotations

from sqlalchemy import and_, false, not_, or_

PREFIXES = (("opportunity.", "card"), ("email.", "email"), ("enrollment.", "sequence"))
KINDS = ("move", "card", "email", "reply", "auto_reply", "unsubscribe", "sequence", "other")


def of_action(action: str) -> str:
    """The kind of an audit action."""
    if action == "opportunity.move":
        return "move"
    if action == "email.replied" or action.startswith("reply."):
        return "reply"
    for prefix, kind in PREFIXES:
        if action.startswith(prefix):
            return kind
    return "other"


def action_filter(column, kind: str):
    """SQL: audit rows whose action is of this kind (the same split as of_action)."""
    move = column == "opportunity.move"
    reply = or_(column == "email.replied", column.like("reply.%"))
    card = and_(column.like("opportunity.%"), not_(move))
    email = and_(column.like("email.%"), column != "email.replied")
    sequence = column.like("enrollment.%")
    rules = {"move": move, "reply": reply, "card": card, "email": email, "sequence": sequence}
    if kind in rules:
        return rules[kind]
    if kind == "other":
        return not_(or_(*rules.values()))
    return false()  # auto-replies and unsubscribes are never audit rows
