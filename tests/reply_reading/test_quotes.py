"""The new text's rules one by one: what is quoted, what is a header, what is a signature."""

from __future__ import annotations

import pytest

from service.domain.reply_reading import new_text

ATTRIBUTION = "On Tue, Mar 3, 2026 at 9:14 AM Alma <team@almaseo.example> wrote:"


@pytest.mark.parametrize("mark", ["- ", "* ", "• ", "1. ", "2) "])
def test_a_list_is_text_never_a_signature(mark):
    text = f"Our terms:\n\n{mark}one link\n{mark}no casino\n\nOK?\n\n{ATTRIBUTION}\n> hi"
    assert new_text(text) == f"Our terms:\n\n{mark}one link\n{mark}no casino\n\nOK?"


def test_an_answer_below_the_quote_is_kept_with_the_greeting_above():
    text = f"Hi,\n{ATTRIBUTION}\n> Would you link to us?\n\nYes, next week.\n"
    assert new_text(text) == "Hi,\n\nYes, next week."


def test_inline_answers_keep_their_lines_and_drop_every_quoted_one():
    text = f"{ATTRIBUTION}\n> Guest posts?\n\nYes.\n\n> Fee?\n\nNo.\n\n> -- Alma\n> earlier"
    assert new_text(text) == "Yes.\n\nNo."


@pytest.mark.parametrize(
    "header",
    [
        "El mié, 4 mar 2026 a las 9:14, Alma (<team@almaseo.example>) escribió:",
        "On 03/03/2026 09:14, Alma Team wrote:",
        "4 марта 2026 г., в 9:14, Alma <team@almaseo.example> написал:",
        "Am Di., 3. März 2026 um 09:14 Uhr schrieb Alma <team@almaseo.example>:",
        "Le mar. 3 mars 2026 à 09:14, Alma <team@almaseo.example> a écrit :",
        "Il giorno mer 4 mar 2026 alle ore 09:14 Alma <team@almaseo.example> ha scritto:",
        "Em qua., 4 de mar. de 2026 às 09:14, Alma <team@almaseo.example> escreveu:",
        "Op wo 4 mrt 2026 om 09:14 schreef Alma <team@almaseo.example>:",
        "W dniu 4.03.2026 o 09:14, Alma pisze:",
        "Den ons 4 mars 2026 kl 09:14 skrev Alma <team@almaseo.example>:",
        "ke 4.3.2026 klo 9.14 Alma (team@almaseo.example) kirjoitti:",
        "Dne 04. 03. 26 v 9:14 Alma napsal(a):",
        "Alma <team@almaseo.example>, 4 Mar 2026 Çar, 09:14 tarihinde şunu yazdı:",
        "2026/03/04 9:14 に Alma が書きました：",
    ],
)
def test_attributions_in_many_languages_end_the_new_text(header):
    assert new_text(f"Yes, go ahead.\n\n{header}\n\n> Would you link to us?") == "Yes, go ahead."


def test_a_french_outlook_block_starts_history_even_without_a_quote_mark():
    text = (
        "Bonjour,\n\nOui.\n\nDe : Alma <team@almaseo.example>\nEnvoyé : mardi 3 mars 2026 09:14\n"
        "À : Marie <marie@exemple.fr>\nObjet : Lien\n\nBonjour Marie,\nnotre texte"
    )
    assert new_text(text) == "Bonjour,\n\nOui."


def test_a_prose_line_ending_in_wrote_is_kept_unless_a_quote_follows():
    assert new_text("Here is what my editor wrote:\nno links to tools.") == (
        "Here is what my editor wrote:\nno links to tools."
    )
    assert new_text("Yes.\n\nOn Mon, Bob wrote:\n> quoted") == "Yes."


@pytest.mark.parametrize(
    "footer",
    [
        "-- \nJo Smith\nEditor",
        "Sent from my iPhone",
        "Get Outlook for Android<https://aka.ms/AAb9ysg>",
        "Von meinem iPhone gesendet",
        "Envoyé de mon iPhone",
        "Enviado desde mi iPhone",
        "Inviato da iPhone",
        "Enviado do meu iPhone",
        "Verstuurd vanaf mijn iPhone",
        "Wysłane z iPhone'a",
        "Best regards,\nJo Smith\nEditor | Bread Notes\n+1 555 0100",
        "Mit freundlichen Grüßen\nJo Schmidt",
        "Cordialement,\nMarie",
    ],
)
def test_signatures_phone_footers_and_sign_offs_are_dropped(footer):
    assert new_text(f"Sure, send it.\n\n{footer}\n\n{ATTRIBUTION}\n> hi") == "Sure, send it."


def test_a_sign_off_stays_when_it_is_all_the_prospect_wrote_or_a_list_follows():
    assert new_text(f"Thanks,\nJo\n\n{ATTRIBUTION}\n> hi") == "Thanks,\nJo"
    assert (
        new_text("Ok.\n\nThanks,\n- item one\n- item two")
        == "Ok.\n\nThanks,\n- item one\n- item two"
    )
    assert new_text("Ok.\n\nThanks!") == "Ok.\n\nThanks!"


def test_a_forward_with_a_note_keeps_the_note_and_an_empty_reply_is_empty():
    forward = (
        "See below.\n\n---------- Forwarded message ---------\nFrom: a@b.example\nDate: x\n\nold"
    )
    assert new_text(forward) == "See below."
    assert new_text(f"{ATTRIBUTION}\n> hi") == ""
    assert new_text("") == "" and new_text("", "") == ""


def test_the_text_part_wins_over_the_html_part():
    assert new_text("Plain answer.", "<p>HTML answer.</p>") == "Plain answer."


def test_html_quote_containers_are_left_out_and_inline_answers_kept():
    html = (
        '<div dir="ltr">Top.</div><div class="gmail_quote"><div class="gmail_attr">On Mon, A '
        'wrote:</div><blockquote class="gmail_quote">q1</blockquote><div>Inline.</div>'
        "<blockquote>q2</blockquote></div>"
    )
    assert new_text("", html) == "Top.\n\nInline."


@pytest.mark.parametrize(
    "history",
    [
        '<div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> A</div><p>old</p>',
        '<div style="border:none;border-top:solid #E1E1E1 1.0pt"><p><b>From:</b> A</p></div>'
        "<p>old</p>",
        '<hr id="stopSpelling">Date: x<br>From: a@b.example<br>old',
        '<div class="yahoo_quoted">On Monday, A wrote: old</div>',
        '<div class="moz-cite-prefix">On 03/03/2026, A wrote:</div>'
        '<blockquote type="cite">old</blockquote>',
        '<div class="protonmail_quote">On Tuesday, A wrote:<blockquote>old</blockquote></div>',
        '<blockquote type="cite"><div>On 3 Mar 2026, at 09:14, A wrote:</div>old</blockquote>',
    ],
)
def test_html_history_of_each_client_is_cut(history):
    assert new_text("", f"<html><body><div>New words.</div>{history}</body></html>") == "New words."


def test_lines_wrapped_out_of_a_quote_are_quoted_and_short_inline_answers_kept():
    long = "> Lorem ipsum dolor sit amet, consectetur adipiscing elit, nullam pharetra d"
    text = f"{ATTRIBUTION}\n{long}\nignissim odio?\n> View (http://x.example/a\n_nonce=3)\n>\n"
    assert new_text(f"Top.\n\n{text}") == "Top."
    assert new_text("> Guest posts?\nYes.\n> Fee?\n👍\n> Contact?\n- me") == "Yes.\n\n👍\n\n- me"
