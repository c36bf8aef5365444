"""Marshmallow schemas of the metrics query and answer (contract section 8)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from marshmallow import Schema, fields
from marshmallow.exceptions import ValidationError


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


class MetricsSchema(Schema):
    total_sent = fields.Integer()
    delivered = fields.Integer()
    open_rate = fields.Float()
    click_rate = fields.Float()
    reply_rate = fields.Float()
    bounced = fields.Integer()
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
