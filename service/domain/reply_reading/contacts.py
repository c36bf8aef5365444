"""Addresses a prospect names in their new text as the right person to write to.

"Please write to anna@…", "contact my colleague Jan at jan@…", "CC'ing maria@…", "bitte
wenden Sie sich an …", "contactez …", "escriba a …" : an address counts when a referral
word stands shortly before it (or just after it: "anna@… handles this"). Left out: the
sender, our own addresses and domains (`ours`: addresses, or bare domains), and no-reply,
mailer-daemon, postmaster, bounce and similar addresses. At most MAX_CONTACTS, in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.utils import parseaddr

MAX_READ = 10_000
MAX_CONTACTS = 3
ADDRESS_RE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+'-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}"
    r"\.[A-Za-z]{2,24}\b"
)
REFERRAL_BEFORE_RE = re.compile(
    r"(?:contact|reach|write|email|e-mail|mail|send|forward|cc|cc'?ing|cc'?d|copying|copied|"
    r"looping|loop in|colleague|coworker|co-worker|responsible|in charge|handles|"
    r"right person|better person|best person|speak|talk|get in touch|reach out|"
    r"kontakt|kontaktieren|wenden|schreiben|kolleg|zuständig|ansprechpartner|in kopie|"
    r"contacter|contactez|écrire|écrivez|collègue|responsable|en copie|adresser|"
    r"contactar|contacta|contacte|escribir|escriba|escribe|compañer|en copia|"
    r"contattare|contatta|contatti|scrivere|scrivi|scriva|collega|responsabile|in copia|"
    r"contatar|contate|entre em contato|escrever|escreva|colega|responsável|em cópia|"
    r"contact opnemen|mailen|mail naar|schrijf|verantwoordelijk|in de cc|"
    r"kontakt|skontaktuj|napisz|pisać|proszę pisać|koleg|odpowiedzialn|w kopii)"
    r"(?:[^.!?\n]|\.(?=\S)){0,80}$",  # within the sentence (a dot inside an address is no end)
    re.I,
)
REFERRAL_AFTER_RE = re.compile(
    r"\W{0,3}\s?(?:handles|is responsible|is in charge|takes care|will help|can help|"
    r"ist zuständig|kümmert sich|s'occupe|est responsable|se encarga|es responsable|"
    r"si occupa|è responsabile|é responsável|cuida|is verantwoordelijk|regelt|"
    r"zajmuje się|jest odpowiedzialn)",
    re.I,
)
LABEL_RE = re.compile(r"(?:^|\n)[\W_]*(?:e-?mail|mail|e|email address|adresse)\s*[:.|]?\s*$", re.I)
NO_REPLY_RE = re.compile(
    r"^(?:no-?reply|do-?not-?reply|donotreply|noreply\w*|mailer-daemon|postmaster|bounces?|"
    r"notifications?|unsubscribe|abuse|daemon|auto-?reply)(?:[+._-].*)?@",
    re.I,
)


def suggested_contacts(new_text: str, sender: str = "", ours: Iterable[str] = ()) -> list[str]:
    """Referred addresses in the new text, lower case, at most MAX_CONTACTS (see above)."""
    text = (new_text or "")[:MAX_READ]
    excluded = {parseaddr(sender[:998])[1].lower()} if sender else set()
    our_addresses, our_domains = set(), set()
    for entry in ours:
        entry = entry.strip().lower()
        (our_addresses if "@" in entry else our_domains).add(entry)
    found: list[str] = []
    for m in ADDRESS_RE.finditer(text):
        address = m.group(0).lower()
        domain = address.rpartition("@")[2]
        if (
            address in found
            or address in excluded
            or address in our_addresses
            or any(domain == d or domain.endswith("." + d) for d in our_domains)
            or NO_REPLY_RE.match(address)
            or not _referred(text, m)
        ):
            continue
        found.append(address)
        if len(found) == MAX_CONTACTS:
            break
    return found


def _referred(text: str, m: re.Match) -> bool:
    before = text[max(0, m.start() - 120) : m.start()]
    if LABEL_RE.search(before):
        return False  # "Email: info@…" in a signature block names no one
    return bool(REFERRAL_BEFORE_RE.search(before) or REFERRAL_AFTER_RE.match(text, m.end()))
