"""Sending one email: reserve a slot under the safety limits, dispatch, record the outcome.

INTERFACE (shared by manual sends and sequence steps; implemented in issue 3):

    reserve(session, site, opportunity, to, rendered, *, template_id, actor, now,
            enrollment=None, step=None) -> Email
        Takes the site's write lock, checks suppression (Invalid, 422), cooldown and daily
        cap (LimitExceeded, 429), and inserts an Email row with send_state="pending" in the
        same transaction. For a sequence step, (enrollment_id, step) is unique, so a second
        reservation of the same step fails at the database. Flushes; the caller commits
        BEFORE dispatch so the attempt is on record before SendGrid is called.

    dispatch(session, site, email, mailer, now) -> Email
        Calls the mail port outside any open transaction, then records the outcome:
        accepted -> send_state "sent", status "sent", message_id, card moved to Reached,
        card fields updated; definite refusal (4xx) -> "failed", slot released, raises
        UpstreamRefused (502); timeout/5xx -> "unknown" (counts against limits, never
        resent blindly), raises UpstreamRefused. The caller commits in every case.
"""
