"""The public unsubscribe page `/u/<token>` (unsigned, plain HTML, no JavaScript).

GET shows a confirm button; POST (the button, or a mail client's RFC 8058 one-click)
confirms. Both answer 200 with the same page for an unknown token, so a token's validity
is never revealed; the page names nobody but the sender.
"""

from __future__ import annotations

from html import escape

from flask import Blueprint, Response, request

from service.api.context import now, runtime, uow
from service.domain.deliverability import unsubscribe
from service.domain.deliverability import usecases as deliverability

blp = Blueprint("unsubscribe", __name__)
# Translatable strings, one catalogue per language (Accept-Language picks; English else).
STRINGS = {
    "en": {
        "title": "Unsubscribe",
        "ask": "Stop emails from {sender} to this address?",
        "button": "Yes, do not email me again",
        "done": "Done: {sender} will not email this address again.",
        "someone": "this sender",
    },
    "fr": {
        "title": "Désinscription",
        "ask": "Ne plus recevoir d'e-mails de {sender} à cette adresse ?",
        "button": "Oui, ne plus m'écrire",
        "done": "C'est fait : {sender} n'écrira plus à cette adresse.",
        "someone": "cet expéditeur",
    },
}
PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{title}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:32em;margin:4em auto;padding:0 1em;
color:#1d2327}}button{{font:inherit;padding:.5em 1em;cursor:pointer}}</style></head>
<body><main><h1>{title}</h1>{content}</main></body></html>
"""
FORM = (
    '<form method="post"><p>{ask}</p>'
    '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
    '<button type="submit">{button}</button></form>'
)


def _language() -> str:
    return request.accept_languages.best_match(list(STRINGS), default="en")


def _page(sender: str | None, done: bool) -> Response:
    lang = _language()
    words = STRINGS[lang]
    who = escape(sender or words["someone"])
    content = (
        f"<p>{words['done'].format(sender=who)}</p>"
        if done
        else FORM.format(ask=words["ask"].format(sender=who), button=escape(words["button"]))
    )
    response = Response(PAGE.format(lang=lang, title=words["title"], content=content))
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    # Nothing to load, nowhere to post but here, never inside another site's frame.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )
    response.headers["Content-Language"] = lang
    return response


def _key() -> bytes:
    return runtime().secret_box.derive(unsubscribe.PURPOSE)


@blp.route("/u/<token>", methods=["GET"])
def show(token: str):
    """The confirm page (nothing changes on GET: link scanners follow links)."""
    return _page(deliverability.unsubscribe_sender(uow(), _key(), token), done=False)


@blp.route("/u/<token>", methods=["POST"])
def confirm(token: str):
    """Unsubscribe (idempotent); the same confirmation whatever the token."""
    return _page(deliverability.unsubscribe(uow(), _key(), token, now()), done=True)
