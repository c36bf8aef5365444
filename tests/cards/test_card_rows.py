"""A board row becomes its card payload (queries.card_of): every field of CARD_FIELDS from
its own column, in their order, with the metric columns folded into `metrics`, the last key
(as the board always sent it)."""

from __future__ import annotations

from service.domain.cards import queries
from service.domain.cards.fields import CARD_FIELDS, METRIC_COLUMNS
from service.models.opportunity import METRIC_KEYS


def test_each_field_comes_from_its_own_column_in_payload_order():
    row = tuple(f"value of {name}" for name in queries.ROW_NAMES) + ("a summary column",)
    card = queries.card_of(row)
    assert list(card) == [*queries.PLAIN_NAMES, "metrics"] and set(card) == set(CARD_FIELDS)
    assert all(card[name] == f"value of {name}" for name in queries.PLAIN_NAMES)
    assert card["metrics"] == {key: f"value of {column}" for key, column in METRIC_KEYS.items()}
    assert list(card["metrics"]) == list(METRIC_KEYS) and len(METRIC_COLUMNS) == len(METRIC_KEYS)


def test_cards_share_nothing():
    first, second = queries.card_of(tuple(range(40))), queries.card_of(tuple(range(40)))
    first["metrics"]["dr"] = "changed"
    assert second["metrics"]["dr"] != "changed" and first is not second
