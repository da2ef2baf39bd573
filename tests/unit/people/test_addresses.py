"""The audit trail keeps a client's network, not its address (people.domain.addresses, pure)."""
from __future__ import annotations

from volunteers.people.domain.addresses import network_of


def test_an_ipv4_address_becomes_its_24() -> None:
    assert network_of("192.0.2.17") == "192.0.2.0/24"
    assert network_of(" 203.0.113.255 ") == "203.0.113.0/24"


def test_an_ipv6_address_becomes_its_48_and_a_mapped_ipv4_its_24() -> None:
    assert network_of("2001:db8:1:2::5") == "2001:db8:1::/48"
    assert network_of("::ffff:192.0.2.17") == "192.0.2.0/24"


def test_what_is_not_an_address_is_unknown() -> None:
    assert network_of(None) == network_of("") == network_of("localhost") == "unknown"
