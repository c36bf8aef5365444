"""Follow-up steps as answers in the thread of the enrollment's first email
(docs/api.md, conversations)."""

from __future__ import annotations

from dataclasses import replace

from service.domain.templates import rendering
from service.models import Email, Enrollment, SequenceStep

NO_ID_YET = (
    "Sent as a reply (Re: subject) without In-Reply-To/References: SendGrid had not yet "
    "reported the first email's Message-ID (its `processed` event)."
)


def reply_subject(subject: str) -> str:
    """`Re: <subject>`, never `Re: Re: ...`."""
    return subject if subject[:3].lower() == "re:" else f"Re: {subject}"


def follow_up(
    step: SequenceStep,
    number: int,
    rendered: rendering.Rendered,
    enrollment: Enrollment,
    emails: list[Email],
) -> tuple[rendering.Rendered, str | None, str | None]:
    """The step as it goes out: (rendered, In-Reply-To Message-ID, a note when the thread
    could only be kept by its subject). Step 1 and `"thread": "new"` go unchanged."""
    if number <= 1 or getattr(step, "thread", "reply") == "new":
        return rendered, None, None
    first = next((e for e in emails if e.enrollment_id == enrollment.id and e.step == 1), None)
    if first is None or first.send_state not in ("sent", "unknown"):
        return rendered, None, None  # no first email went out: nothing to answer
    threaded = replace(rendered, subject=reply_subject(first.subject))
    if first.smtp_id:
        return threaded, first.smtp_id, None
    return threaded, None, NO_ID_YET
