"""What the audit trail keeps of a client's address: its network, never the address itself (pure).

Sign-ins, failed sign-ins, recovery codes and password resets are audited
with where they came from, and the trail is append-only: an entry is kept
as long as its organisation. An IP address is personal data (it can name a
household), so the entry holds the /24 network of an IPv4 address
(``192.0.2.0/24``) and the /48 of an IPv6 one (a site's prefix): enough to
see that failures come from one place, or that a sign-in came from an
unexpected network, without keeping who exactly for ever. Anything that is
not an address (a test client's ``None``) is kept as ``unknown``.
"""
from __future__ import annotations

import ipaddress

IPV4_PREFIX = 24
IPV6_PREFIX = 48


def network_of(address: str | None) -> str:
    """``192.0.2.0/24`` for ``192.0.2.17``; ``2001:db8:1::/48`` for ``2001:db8:1:2::5``; else ``unknown``."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
