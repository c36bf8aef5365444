"""TXT lookups (dnspython) for sender-domain proofs, bounded in time.

`OUTREACH_DNS_RESOLVER` (host[:port]) names the resolver; unset, the system's
(/etc/resolv.conf). dnspython is imported on the first lookup: an API worker that never
verifies a domain does not carry it.
"""

from __future__ import annotations

from collections.abc import Callable

TIMEOUT = 5.0  # seconds for one lookup, every retry included


class LookupFailed(Exception):
    """The resolver gave no answer (timeout, SERVFAIL, refused): not evidence either way."""


def resolver_address(value: str | None) -> tuple[str, int] | None:
    """("host", port) from "host[:port]" ([v6]:port for IPv6); None for the system's."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, int(rest.lstrip(":") or 53)
    host, _, port = text.rpartition(":") if text.count(":") == 1 else (text, "", "")
    return host, int(port or 53)


def txt_lookup(
    address: tuple[str, int] | None, timeout: float = TIMEOUT
) -> Callable[[str], list[str]]:
    """A function name -> the TXT strings there ([] for no such name or no TXT record)."""

    def lookup(name: str) -> list[str]:
        import dns.exception
        import dns.resolver

        resolver = dns.resolver.Resolver(configure=address is None)
        if address is not None:
            resolver.nameservers, resolver.port = [address[0]], address[1]
        resolver.lifetime = timeout
        try:
            answer = resolver.resolve(name, "TXT", search=False)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except dns.exception.DNSException as exc:
            raise LookupFailed(f"The DNS lookup of {name} failed: {type(exc).__name__}.") from exc
        return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]

    return lookup
