"""The outbound address guard: every fetch, mail connection and webhook dials only a
globally routable address on an allowed port.

An address is refused when it is not global (`not ip.is_global`, so 100.64.0.0/10, the
carrier-grade NAT range where some cloud metadata services and tailnets live, is refused
too) or has any special-purpose flag (fec0::/10 site-local and ::a.b.c.d count as global
to Python). IPv6 forms that carry an IPv4 address inside (IPv4-mapped, 6to4 2002::/16,
Teredo 2001::/32, NAT64 64:ff9b::/96) are judged by that IPv4 address as well.

Ports: 80 and 443 for web fetches, the caller's own list for others (mail), plus those
listed in OUTREACH_OUTBOUND_PORTS. `allow_private` (development and tests only) lifts
both rules.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable

from service.net import resolver

WEB_PORTS = frozenset({80, 443})
PORTS_SETTING = "OUTREACH_OUTBOUND_PORTS"
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Most specific first: Python counts loopback and link-local as private too.
_KINDS = ("loopback", "link_local", "site_local", "multicast", "unspecified", "reserved", "private")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """The connection must not or cannot be made; the message says why. `host_failed`:
    the host did not answer (it may pass); `http_status` for fetches that got one;
    `inconclusive`: the resolver failed, which says nothing about the host's pages."""

    def __init__(
        self,
        message: str,
        host_failed: bool = False,
        http_status: int | None = None,
        inconclusive: bool = False,
    ):
        super().__init__(message)
        self.host_failed, self.http_status = host_failed, http_status
        self.inconclusive = inconclusive


def configured_ports(environ=os.environ) -> frozenset[int]:
    """The ports OUTREACH_OUTBOUND_PORTS adds ("8080, 8443"); ValueError names a bad one."""
    ports = set()
    for word in (environ.get(PORTS_SETTING) or "").replace(",", " ").split():
        if not word.isdigit() or not 0 < int(word) < 65536:
            raise ValueError(f"{PORTS_SETTING}: {word!r} is not a port number (1-65535).")
        ports.add(int(word))
    return frozenset(ports)


def embedded(ip: Address) -> list[Address]:
    """What to judge of an address: the IPv4 addresses it carries (6to4, Teredo's server
    and client, NAT64), then itself; an IPv4-mapped address is its IPv4 address."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return [ip]
    if ip.ipv4_mapped:
        return [ip.ipv4_mapped]
    found: list[Address] = []
    if ip.sixtofour:
        found.append(ip.sixtofour)
    if ip.teredo:
        found += list(ip.teredo)
    if ip in _NAT64:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [*found, ip]


def address_kind(ip: Address) -> str | None:
    """Why an address must not be dialled ("loopback", "private", "non-global"...), or None."""
    for candidate in embedded(ip):
        for kind in _KINDS:
            if getattr(candidate, f"is_{kind}", False):
                return kind.replace("_", "-")
        if not candidate.is_global:
            return "non-global"
    return None


def check_port(host: str, port: int, ports: Iterable[int] | None = None) -> None:
    """Refused unless `port` is one of `ports` (default: 80, 443) or configured."""
    allowed = WEB_PORTS if ports is None else frozenset(ports)
    if port not in allowed and port not in configured_ports():
        raise Refused(
            f"refused: port {port} of {host} is not allowed (80 and 443, or {PORTS_SETTING})"
        )


def checked_address(
    host: str, port: int, allow_private: bool, timeout: float, ports: Iterable[int] | None = None
) -> str:
    """Resolve a host and return an address it may be dialled at (every one is checked),
    then the port; Refused says why not."""
    try:
        infos = resolver.lookup(host, port, timeout)
    except resolver.LookupFailed as exc:
        raise Refused(str(exc), host_failed=True, inconclusive=not exc.answered) from None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        kind = address_kind(ip)
        if kind is not None and not allow_private:
            raise Refused(f"refused: {host} resolves to {ip}, a {kind} address")
    if not allow_private:
        check_port(host, port, ports)
    return infos[0][4][0]
