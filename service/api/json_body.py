"""Request bodies as JSON the service can store: one check for every endpoint and webhook.

`json.loads` alone lets through what later fails with a 500: nesting deep enough to
exhaust the stack (RecursionError), numbers of thousands of digits (ValueError outside
JSONDecodeError), `NaN`/`Infinity`, and lone UTF-16 surrogates ("\\ud800") that SQLite
stores but PostgreSQL and every UTF-8 encoder refuse.
"""

from __future__ import annotations

import json
import re

from flask import abort, request

MAX_DEPTH = 32  # the deepest body the contract defines is 3 levels
SURROGATE_ESCAPE_RE = re.compile(rb"\\u[dD][89a-fA-F]")  # a lone surrogate needs one
CONTAINERS = (dict, list)  # what json.loads makes (exactly these types, never subclasses)


class BodyRefused(ValueError):
    """The body is not JSON the service can take; the message says why, for a person."""


def _refuse_constant(name: str):
    raise BodyRefused(f"The request body is not valid JSON ({name} is not a JSON number).")


def loads(raw: bytes):
    """Parse a body; BodyRefused for anything a view could not store or answer."""
    try:
        value = json.loads(raw, parse_constant=_refuse_constant)
    except BodyRefused:
        raise
    except RecursionError:
        raise BodyRefused(f"The request body nests deeper than {MAX_DEPTH} levels.") from None
    except ValueError:  # JSONDecodeError, UnicodeDecodeError, a number of 4,300+ digits
        raise BodyRefused("The request body is not valid JSON.") from None
    _check(value, bool(SURROGATE_ESCAPE_RE.search(raw)))
    return value


def _check(value, may_hold_surrogates: bool) -> None:
    """Depth and text, walked without recursion (a deep body must not exhaust the stack).

    Only containers are visited unless the raw body escapes a surrogate: a webhook batch
    of 500 events is then 501 visits, not 12,000 (every key and value), which was a
    fifth of its CPU.
    """
    stack = [(value, 1)] if type(value) in CONTAINERS else []
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BodyRefused(f"The request body nests deeper than {MAX_DEPTH} levels.")
        children = item.values() if type(item) is dict else item
        stack.extend([(child, depth + 1) for child in children if type(child) in CONTAINERS])
    if may_hold_surrogates:
        _check_text(value)


def _check_text(value) -> None:
    """Every key and string, in the rare body that escapes a surrogate (its depth is
    checked already)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) in CONTAINERS:
            stack.extend([*item.keys(), *item.values()] if type(item) is dict else item)
        elif type(item) is str and not _encodable(item):
            raise BodyRefused(
                "The request body holds a lone UTF-16 surrogate (such as "
                "\\ud800), which is not text."
            )


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def refuse_unusable_json() -> None:
    """before_request hook: 400 for an API body that is JSON no view could take."""
    if not request.path.startswith("/api/") or not request.is_json:
        return
    raw = request.get_data(cache=True)
    if raw:
        try:
            loads(raw)
        except BodyRefused as exc:
            abort(400, str(exc))
