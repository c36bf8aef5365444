"""Addresses the prospect names in the new text as the right person (docs/replies.md)."""

from __future__ import annotations

import time

import pytest

from service.domain.reply_reading import suggested_contacts

SENDER = "Jo Prospect <jo@example.org>"
OURS = ["team@almaseo.example", "reply+abc123@in.almaseo.example", "almaseo.example"]


@pytest.mark.parametrize(
    "text,found",
    [
        ("Please write to anna@example.org, she handles links.", ["anna@example.org"]),
        ("Contact my colleague Jan at jan.kowalski@example.org.", ["jan.kowalski@example.org"]),
        ("CC'ing maria@example.org who runs the blog.", ["maria@example.org"]),
        ("mia@example.org handles partnerships.", ["mia@example.org"]),
        ("Bitte wenden Sie sich an redaktion@beispiel.de.", ["redaktion@beispiel.de"]),
        ("Merci de contacter ma collègue claire@exemple.fr.", ["claire@exemple.fr"]),
        ("Por favor, escriba a marketing@ejemplo.es.", ["marketing@ejemplo.es"]),
        ("Scrivi pure al mio collega luca@esempio.it.", ["luca@esempio.it"]),
        ("Entre em contato com ana@exemplo.com.br.", ["ana@exemplo.com.br"]),
        ("Mail naar sanne@voorbeeld.nl, zij is verantwoordelijk.", ["sanne@voorbeeld.nl"]),
        ("Proszę pisać do kasia@przyklad.pl.", ["kasia@przyklad.pl"]),
    ],
)
def test_referred_addresses_in_eight_languages(text, found):
    assert suggested_contacts(text, SENDER, OURS) == found


def test_the_sender_ours_no_reply_and_unreferred_addresses_are_left_out():
    text = (
        "Contact jo@example.org or team@almaseo.example or someone@in.almaseo.example, "
        "or write to noreply@example.org, no-reply@example.org, mailer-daemon@example.org.\n"
        "Our newsletter comes from news@example.org.\n"
        "Email: info@example.org"
    )
    assert suggested_contacts(text, SENDER, OURS) == []


def test_at_most_three_each_once_lower_case():
    text = (
        "Please contact A@example.org, a@example.org, b@example.org, c@example.org, d@example.org."
    )
    assert suggested_contacts(text, SENDER, OURS) == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]


def test_hostile_text_is_read_in_bounded_time():
    started = time.thread_time()
    for text in (
        "contact " + "a" * 1_000_000,
        "write to " + "a@" * 500_000,
        "a.b-" * 300_000 + "@x",
    ):
        assert suggested_contacts(text, SENDER, OURS) == []
    assert time.thread_time() - started < 2
