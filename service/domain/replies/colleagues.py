"""stop_domain_on_reply: when a person at a company answers, the site's other active
enrollments at that company's domain stop (`colleague_replied`, docs/api.md §16)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.domain.deliverability import listing
from service.domain.sequences import enrollments
from service.models import Email, Enrollment

REASON = "colleague_replied"
# Mailbox providers, not companies: one Gmail user answering says nothing about another.
FREE_MAIL = frozenset(
    """gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk hotmail.fr hotmail.de
    hotmail.it hotmail.es live.com live.fr live.de msn.com yahoo.com yahoo.co.uk yahoo.fr
    yahoo.de yahoo.it yahoo.es ymail.com icloud.com me.com mac.com aol.com gmx.com gmx.de
    gmx.net gmx.at gmx.ch web.de t-online.de freenet.de proton.me protonmail.com pm.me
    mail.com zoho.com yandex.ru yandex.com mail.ru orange.fr wanadoo.fr free.fr laposte.net
    sfr.fr libero.it virgilio.it tiscali.it alice.it wp.pl o2.pl onet.pl interia.pl
    seznam.cz qq.com 163.com 126.com naver.com fastmail.com hey.com tutanota.com
    uol.com.br bol.com.br terra.com.br ziggo.nl kpnmail.nl home.nl telenet.be skynet.be""".split()
)


def company_domain(address: str) -> str | None:
    """The domain an address belongs to, when it is a company's (not a mailbox provider's)."""
    domain = listing.domain_of(listing.normalize(address))
    return domain if domain and "." in domain and domain not in FREE_MAIL else None


def stop_colleagues(session: Session, email: Email, own: Enrollment | None, now: datetime) -> int:
    """Stop the site's other active enrollments at the replying recipient's domain."""
    domain = company_domain(email.to_email or "")
    if domain is None:
        return 0
    pattern = "%@" + domain.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = select(Enrollment).where(
        Enrollment.site_id == email.site_id,
        Enrollment.status == "active",
        func.lower(Enrollment.to_email).like(pattern, escape="\\"),
    )
    if own is not None:
        query = query.where(Enrollment.id != own.id)
    found = session.scalars(query.order_by(Enrollment.id)).all()
    for enrollment in found:
        enrollments.stop(enrollment, REASON, now)
    if found:
        session.flush()
    return len(found)
