"""The shared outbound address guard (service/net/guard.py): globally routable addresses
only, IPv4 carried inside IPv6 judged too, ports 80/443 unless configured."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from service import config
from service.domain.links.fetch import Fetcher
from service.domain.links.politeness import Gate
from service.mail.endpoints import MAIL_PORTS
from service.net import guard
from service.net.guard import Refused, address_kind, checked_address

PUBLIC = "93.184.216.34"
# Teredo: server 65.54.227.120, client 127.0.0.1 (stored bit-inverted: 80ff:fffe).
TEREDO_LOOPBACK = "2001:0:4136:e378:8000:63bf:80ff:fffe"


@pytest.mark.parametrize(
    "address,kind",
    [
        ("100.64.0.1", "non-global"),  # carrier-grade NAT
        ("100.127.255.254", "non-global"),
        ("fec0::1", "site-local"),
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("2002:a00:1::", "private"),  # 6to4 of 10.0.0.1
        (TEREDO_LOOPBACK, "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 of 169.254.169.254
        ("::7f00:1", "reserved"),  # IPv4-compatible 127.0.0.1
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("fd00::1", "private"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("192.0.2.1", "private"),  # documentation ranges are not global either
        (PUBLIC, None),
        ("2606:4700:4700::1111", None),
        ("2002:808:808::", None),  # 6to4 of a public address
        ("::ffff:8.8.8.8", None),
    ],
)
def test_address_kinds(address, kind):
    assert address_kind(ipaddress.ip_address(address)) == kind


@pytest.fixture
def resolves_to(monkeypatch):
    """Every name resolves to the address given (no real DNS)."""

    def set_address(address: str):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET

        def fake(host, port, *args, **kwargs):
            return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

        monkeypatch.setattr(socket, "getaddrinfo", fake)

    return set_address


@pytest.mark.parametrize("address", ["100.64.0.1", "fec0::1", "2002:7f00:1::", TEREDO_LOOPBACK])
def test_a_name_resolving_to_a_hidden_range_is_refused(resolves_to, address):
    resolves_to(address)
    with pytest.raises(Refused, match=f"refused: sneaky.example resolves to {address}"):
        checked_address("sneaky.example", 443, False, 1.0)
    assert checked_address("sneaky.example", 443, True, 1.0) == address  # development


def test_web_ports_only_unless_configured(resolves_to, monkeypatch):
    resolves_to(PUBLIC)
    assert checked_address("example.com", 80, False, 1.0) == PUBLIC
    assert checked_address("example.com", 443, False, 1.0) == PUBLIC
    with pytest.raises(Refused, match="port 8080 of example.com is not allowed"):
        checked_address("example.com", 8080, False, 1.0)
    monkeypatch.setenv(guard.PORTS_SETTING, "8080, 8443")
    assert checked_address("example.com", 8080, False, 1.0) == PUBLIC
    with pytest.raises(Refused, match="port 22 "):
        checked_address("example.com", 22, False, 1.0)


def test_mail_keeps_its_ports(resolves_to):
    resolves_to(PUBLIC)
    for port in (25, 465, 587, 993, 143):
        assert checked_address("mail.example.com", port, False, 1.0, MAIL_PORTS) == PUBLIC
    with pytest.raises(Refused, match="port 8080"):
        checked_address("mail.example.com", 8080, False, 1.0, MAIL_PORTS)


def test_a_bad_port_setting_stops_the_start(monkeypatch):
    monkeypatch.setenv(guard.PORTS_SETTING, "8080,http")
    with pytest.raises(ValueError, match="'http' is not a port number"):
        config.from_environment()


def test_the_fetcher_refuses_a_public_host_on_another_port(app, resolves_to):
    resolves_to(PUBLIC)
    fetcher = Fetcher(Gate(app.extensions["outreach"].session_factory), allow_private=False)
    try:
        page = fetcher.fetch("http://example.com:8080/page", 10**9)
    finally:
        fetcher.close()
    assert page.error.startswith("refused: port 8080 of example.com is not allowed")
