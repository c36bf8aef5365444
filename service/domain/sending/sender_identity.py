"""Sender identity (docs/api.md, deliverability): whom a site may send as, and the
warning the settings screen shows while it would send as a made-up address."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from service.domain.errors import Invalid
from service.models import Site


def site_domain(site: Site) -> str | None:
    """The site's own mail domain: its URL's host without `www.`; None for an IP address
    or a single-label host (localhost), where no public mailbox lives."""
    host = (urlsplit(site.url or "").hostname or "").lower().removeprefix("www.")
    if "." not in host or host.replace(".", "").isdigit() or ":" in host:
        return None
    return host


def default_sender(site: Site) -> str:
    """The From address when the site sets none: never at someone else's domain."""
    return f"outreach@{site_domain(site) or 'localhost'}"


def allowed(site: Site, address: str, sender_domains: tuple[str, ...]) -> bool:
    """At the site's domain or a subdomain of it, or at a listed domain or its subdomains."""
    domain = address.rpartition("@")[2].lower().rstrip(".")
    domains = {d.lower().strip(".") for d in sender_domains} | {site_domain(site)}
    return any(d and (domain == d or domain.endswith("." + d)) for d in domains)


def check(
    site: Site, address: str | None, sender_domains: tuple[str, ...], field: str = "from_email"
) -> None:
    """Invalid (422 on `field`) unless the address is at the site's own domains: its sender
    (from_email), or where its replies are forwarded (reply_forward_to)."""
    if address and not allowed(site, address, sender_domains):
        what = "sender address" if field == "from_email" else "reply forwarding address"
        raise Invalid(
            f"The {what} must be at the site's own domain.",
            {
                field: [
                    "Must be an address at the site's domain (or a subdomain), or at a sender "
                    "domain you have verified (Settings → Sender domains)."
                ]
            },
        )


def warnings(site: Site) -> list[dict]:
    """[{"field", "message"}] of the settings a person should fix; empty when all is well."""
    found = []
    if not site.from_email:
        sender = default_sender(site)
        host = sender.split("@", 1)[1]
        why = (
            "which no mail provider accepts"
            if _local(host)
            else "which SendGrid refuses unless that domain is verified"
        )
        found.append(
            {
                "field": "from_email",
                "message": (
                    f"No From email is set: emails would go out as {sender}, {why}. Set a From "
                    "email at your own domain."
                ),
            }
        )
    return found


def _local(host: str) -> bool:
    if host == "localhost" or "." not in host:
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False
