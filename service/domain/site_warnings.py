"""Settings that will hurt before any email goes out, for the settings page to flag."""

from __future__ import annotations

import ipaddress

from service.domain.senders import default_sender
from service.models import Site


def of(site: Site) -> list[dict]:
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
