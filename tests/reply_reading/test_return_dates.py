"""The day an out-of-office answer says its writer is back (docs/replies.md)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from service.domain.reply_reading import return_date

SENT = datetime(2026, 7, 30, 9, 0, tzinfo=UTC)  # a Thursday


@pytest.mark.parametrize(
    "text,back",
    [
        ("I will be back on 12 August.", date(2026, 8, 12)),
        ("I'm out of the office and back on Monday 3rd.", date(2026, 8, 3)),
        ("I will return on August 14th, 2026.", date(2026, 8, 14)),
        ("Back in the office on Monday.", date(2026, 8, 3)),
        ("I am away through Friday, August 7.", date(2026, 8, 8)),
        ("Ich bin bis einschließlich 14.08. nicht im Büro.", date(2026, 8, 15)),
        ("Ab dem 17.08.2026 bin ich wieder erreichbar.", date(2026, 8, 17)),
        ("Je suis absent, de retour le 5 septembre.", date(2026, 9, 5)),
        ("Estoy fuera de la oficina hasta el 3 de agosto.", date(2026, 8, 3)),
        ("Sono fuori ufficio fino al 20/08.", date(2026, 8, 20)),
        ("Estou de férias até 15 de julho de 2026.", None),  # in the past
        ("Estou de férias até 15 de agosto.", date(2026, 8, 15)),
        ("Ik ben tot en met 2 september afwezig.", date(2026, 9, 3)),
        ("Jestem na urlopie do 15 sierpnia.", date(2026, 8, 15)),
        ("Away from 3 to 14 August, back on the 17th of August.", date(2026, 8, 17)),
        ("I'm out until 2026-08-21.", date(2026, 8, 21)),
    ],
)
def test_return_dates_in_eight_languages(text, back):
    assert return_date(text, SENT) == back


@pytest.mark.parametrize(
    "text",
    [
        "I am out of the office with limited access to email.",  # no date
        "I will be back on 15 January 2027.",  # more than 90 days ahead
        "I was back on 12 July.",  # in the past: next year, too far
        "Back in 2.5 days.",  # no date
        "Back on 08/09.",  # English: August 9 or September 8, both in range
        "Back on 30 July.",  # the message's own day: no pause
    ],
)
def test_none_when_unsure_past_or_far(text):
    assert return_date(text, SENT) is None


def test_the_subject_is_read_and_a_date_works_as_well_as_a_datetime():
    assert return_date("", SENT.date(), "Out of office until 10 August") == date(2026, 8, 10)


def test_a_year_less_date_after_new_year_is_next_year():
    sent = datetime(2026, 12, 20, tzinfo=UTC)
    assert return_date("Back on 5 January.", sent) == date(2027, 1, 5)


def test_hostile_text_is_read_in_bounded_time():
    started = time.thread_time()
    for text in ("12 " * 400_000, "bis " * 300_000, "Monday 3 " * 100_000, "1.1." * 300_000):
        assert return_date(text, SENT) in (None, date(2026, 8, 3), date(2026, 8, 1))
    assert time.thread_time() - started < 2
