"""Marshmallow schemas of the metrics and insights queries and answers (docs/api.md,
metrics and insights)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from marshmallow import Schema, fields, validate
from marshmallow.exceptions import ValidationError

from service.domain.insights.breakdowns import EVENTS as DAILY_EVENTS
from service.domain.insights.breakdowns import MAX_DAYS
from service.models import ID_MAX


class DateOrDateTime(fields.Field):
    """A date (YYYY-MM-DD, whole days in the site's time zone) or an ISO 8601 datetime."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("Give a date (YYYY-MM-DD) or an ISO 8601 datetime.")
        try:
            return (
                date.fromisoformat(value)
                if len(value) == 10
                else datetime.fromisoformat(value.replace("Z", "+00:00"))
            )
        except ValueError:
            raise ValidationError("Give a date (YYYY-MM-DD) or an ISO 8601 datetime.") from None


class MetricsQuerySchema(Schema):
    start = DateOrDateTime(data_key="from", metadata={"description": "first day (inclusive)"})
    end = DateOrDateTime(data_key="to", metadata={"description": "last day (inclusive)"})
    project_id = fields.Integer(
        validate=validate.Range(1, ID_MAX),
        metadata={"description": "Only the emails and cards of this project (docs/api.md §19)."},
    )


class FilteredMetricsQuerySchema(MetricsQuerySchema):
    template_id = fields.Integer(
        validate=validate.Range(1, ID_MAX),
        metadata={"description": "Only emails sent from this template (by hand or as a step)."},
    )
    sequence_id = fields.Integer(
        validate=validate.Range(1, ID_MAX),
        metadata={"description": "Only emails sent as steps of this sequence."},
    )


class DailyQuerySchema(MetricsQuerySchema):
    """`from`/`to` are days in the site's time zone; by default the last 30 days."""


DailySchema = Schema.from_dict(
    {
        "date": fields.String(
            metadata={"description": "The day (YYYY-MM-DD) in the site's time zone."}
        ),
        **{event: fields.Integer() for event in DAILY_EVENTS},
        "won": fields.Integer(
            metadata={"description": "Cards with an email moved to Won that day."}
        ),
    },
    name="Daily",
)


class EngagementSchema(Schema):
    """What every row of figures shows of its emails (insights/totals.py rates())."""

    delivered = fields.Integer()
    open_rate = fields.Float()
    click_rate = fields.Float()
    reply_rate = fields.Float()
    bounced = fields.Integer()


class RatesSchema(EngagementSchema):
    sent = fields.Integer()


class TemplatePerformanceSchema(RatesSchema):
    template_id = fields.Integer()
    name = fields.String()


class StepPerformanceSchema(RatesSchema):
    step = fields.Integer(metadata={"description": "1 for the first step."})
    template_id = fields.Integer(allow_none=True)
    template_name = fields.String(allow_none=True)


class SequencePerformanceSchema(RatesSchema):
    sequence_id = fields.Integer()
    name = fields.String()
    deleted = fields.Boolean(metadata={"description": "Deleted, listed for its emails."})
    steps = fields.List(fields.Nested(StepPerformanceSchema))


class MetricsSchema(EngagementSchema):
    total_sent = fields.Integer()
    wins = fields.Integer()
    unread_replies = fields.Integer(
        metadata={"description": "Unread replies on the site's cards now (not per period)."}
    )


def as_bounds(start, end, timezone: str) -> tuple[datetime | None, datetime | None]:
    """[start, end) as aware datetimes: a `to` date includes that whole day."""
    zone = ZoneInfo(timezone or "UTC")

    def moment(value, next_day: bool, field: str):
        if value is None:
            return None
        try:  # in UTC here: 9999-12-31T23:59:59-23:59 is past year 9999 there (a 500 later)
            if isinstance(value, datetime):
                return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(UTC)
            day = value + timedelta(days=1) if next_day else value
            return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
        except OverflowError:
            raise ValidationError(
                {field: ["Out of the range of dates (years 1 to 9999)."]}
            ) from None

    lower, upper = moment(start, False, "from"), moment(end, True, "to")
    if lower is not None and upper is not None and lower >= upper:
        raise ValidationError({"to": ["Must not be before from."]})
    return lower, upper


def local_days(
    start, end, timezone: str, today: date, max_days: int = MAX_DAYS
) -> tuple[date, date]:
    """The first and last day (site time zone) a daily query covers: the last 30 by default."""
    zone = ZoneInfo(timezone or "UTC")

    def day(value):
        if isinstance(value, datetime):
            return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(zone).date()
        return value

    last = day(end) if end is not None else today
    first = day(start) if start is not None else last - timedelta(days=29)
    if first > last:
        raise ValidationError({"to": ["Must not be before from."]})
    if (last - first).days >= max_days:
        raise ValidationError({"from": [f"At most {max_days} days at once."]})
    return first, last
