"""A reply's kind: bounce, auto_reply, unsubscribe_request or human (docs/replies.md)."""

from __future__ import annotations

import pytest

from service.domain.reply_reading import KINDS, kind_of


def test_a_plain_answer_is_human():
    assert kind_of({"From": "jo@example.org"}, "Re: hello", "Sure, send it over.") == "human"
    assert set(KINDS) == {"human", "auto_reply", "bounce", "unsubscribe_request"}


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Auto-Submitted": "auto-generated; owner-email=a@b.example"},
        {"X-Autoreply": "yes"},
        {"X-Autorespond": "Out of office"},
        {"Precedence": "auto_reply"},
        {"Precedence": "bulk"},
        {"Precedence": "Junk"},
        [("auto-submitted", "auto-replied")],  # pairs, any case
    ],
)
def test_automatic_answers_are_told_by_their_headers(headers):
    assert kind_of(headers, "Re: hello", "Thanks for your message.") == "auto_reply"


def test_auto_submitted_no_and_precedence_list_are_a_person():
    headers = {"Auto-Submitted": "no", "Precedence": "list"}
    assert kind_of(headers, "Re: hello", "Yes, go ahead.") == "human"


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: hello",
        "Automatic reply: hello",
        "Abwesenheitsnotiz: hello",
        "Automatische Antwort: hello",
        "Réponse automatique : hello",
        "Absence : Re: hello",
        "Respuesta automática: hello",
        "Fuera de la oficina: hello",
        "Risposta automatica: hello",
        "Fuori sede: hello",
        "Resposta automática: hello",
        "Ausente: hello",
        "Automatisch antwoord: hello",
        "Afwezig: hello",
        "Odpowiedź automatyczna: hello",
        "Nieobecność: hello",
    ],
)
def test_automatic_subjects_in_eight_languages(subject):
    assert kind_of({}, subject, "I will answer when I am back.") == "auto_reply"


@pytest.mark.parametrize(
    "text",
    [
        "I am currently out of the office with limited access to email.",
        "I'm on annual leave until Monday.",
        "Ich bin bis einschließlich 14.08. nicht im Büro.",
        "Je suis absente du bureau jusqu'au 5 septembre.",
        "Estoy fuera de la oficina hasta el 3 de agosto.",
        "Sono fuori ufficio fino al 20/08.",
        "Estou de férias até 15 de julho.",
        "Ik ben tot en met 2 september afwezig.",
        "Jestem na urlopie do 15 sierpnia.",
    ],
)
def test_out_of_office_phrasings_in_eight_languages(text):
    assert kind_of({}, "Re: hello", text) == "auto_reply"


def test_an_acknowledgement_is_automatic_only_with_an_exchange_hint():
    text = "Thank you for your email. We will get back to you within 24 hours."
    assert kind_of({}, "Re: hello", text) == "human"
    assert kind_of({"X-Auto-Response-Suppress": "All"}, "Re: hello", text) == "auto_reply"
    assert (
        kind_of({"X-MS-Exchange-Inbox-Rules-Loop": "a@b.example"}, "Re: hi", text) == "auto_reply"
    )


def test_a_quoted_out_of_office_counts_for_nothing():
    new = "Yes, please send it."
    full = new + "\n\nOn Mon, Jo wrote:\n> I am out of the office until Monday."
    assert kind_of({}, "Re: hello", new, full) == "human"


@pytest.mark.parametrize(
    "text",
    [
        "Please remove me from your list.",
        "unsubscribe",
        "STOP",
        "Stop emailing me.",
        "Take me off your mailing list please",
        "Please don't email me again.",
        "Bitte nehmen Sie mich aus Ihrem Verteiler.",
        "Bitte abmelden.",
        "Merci de me désinscrire.",
        "Ne m'écrivez plus.",
        "Por favor, darme de baja.",
        "No me escriban más.",
        "Cancellatemi dalla vostra lista.",
        "Per favore non scrivetemi più. Non mi scrivete più.",
        "Por favor, me descadastrem.",
        "Não me enviem mais e-mails.",
        "Graag uitschrijven.",
        "Stuur mij geen e-mails meer.",
        "Proszę mnie usunąć z listy.",
        "Wypiszcie mnie, proszę.",
    ],
)
def test_asking_to_be_removed_in_eight_languages(text):
    assert kind_of({}, "Re: hello", text) == "unsubscribe_request"


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to unsubscribe, just tell me more.",
        "No need to remove me, I am interested.",
        "Ich möchte mich nicht abmelden.",
        "Je ne veux pas me désinscrire.",
        "No quiero darme de baja.",
        "Nie chcę się wypisać, proszę o więcej informacji.",
        "See our terms: https://example.org/unsubscribe",
        "Not interested in the unsubscribe button on your site, but the tool looks nice.",
    ],
)
def test_negations_links_and_mentions_are_not_requests(text):
    assert kind_of({}, "Re: hello", text) == "human"


def test_a_quoted_unsubscribe_footer_is_not_a_request():
    new = "Sounds good, call me on Monday."
    full = new + "\n\n> Unsubscribe: https://almaseo.example/u/abc"
    assert kind_of({}, "Re: hello", new, full) == "human"


def test_a_delivery_report_is_a_bounce():
    headers = {"Content-Type": 'multipart/report; report-type="delivery-status"; boundary=x'}
    assert kind_of(headers, "Undelivered Mail Returned to Sender", "") == "bounce"


@pytest.mark.parametrize(
    "sender,subject",
    [
        (
            "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
            "Delivery Status Notification (Failure)",
        ),
        ("MAILER-DAEMON@mx.example.net", "Undelivered Mail Returned to Sender"),
        ("postmaster@example.org", "Undeliverable: hello"),
        ("Microsoft Outlook <someone@example.org>", "Unzustellbar: hello"),
        ("Mail Delivery System <mailer-daemon@mx.example.net>", "Mail delivery failed"),
    ],
)
def test_mailer_daemon_texts_with_a_status_are_bounces(sender, subject):
    text = "Delivery to anna@example.org failed permanently.\n550 5.1.1 User unknown"
    assert kind_of({"From": sender}, subject, text, text) == "bounce"


def test_a_daemon_without_a_status_code_is_not_a_bounce_and_a_person_quoting_one_is_not():
    assert kind_of({"From": "mailer-daemon@x.example"}, "Notice", "Hello") == "human"
    text = "Why did I get 5.1.1 from your server?"
    assert kind_of({"From": "jo@example.org"}, "Re: hello", text, text) == "human"


def test_every_input_is_bounded():
    headers = [(f"X-{n}", "v" * 100_000) for n in range(10_000)]
    text = "out of office " * 200_000
    assert kind_of(headers, "s" * 1_000_000, text, text) == "auto_reply"
