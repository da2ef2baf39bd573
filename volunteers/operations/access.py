"""Who may read /metrics: the addresses a scraper comes from, or a bearer token.

Why guard it at all when it carries no person: it still tells an outsider how
busy the service is, which endpoints exist and when jobs fail. Prometheus
scrapes each node directly (HAProxy refuses /metrics on the public side), so
the default is loopback only; a scraper elsewhere is named by address
(``METRICS_ALLOWED_IPS``, addresses or networks) or sends
``Authorization: Bearer <METRICS_TOKEN>``. Behind a proxy on the same machine
with ``PROXY_COUNT`` unset every request looks like loopback — which is why
the public side of HAProxy refuses the path, and why PROXY_COUNT matters.
A refusal is a 404, so the endpoint is not advertised.
"""
from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(allowed: Iterable[str]) -> list[Network]:
    """Parse addresses and networks (``10.0.0.0/8``); a bad entry is an error at start, not a silent hole."""
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in allowed if entry.strip()]


def may_read_metrics(remote_addr: str | None, authorization: str | None,
                     allowed: list[Network], token: str | None) -> bool:
    """Tell whether a scrape from ``remote_addr`` with this Authorization header is let in."""
    offered = authorization.removeprefix("Bearer ") if authorization and authorization.startswith("Bearer ") else None
    if token and offered and hmac.compare_digest(offered.encode(), token.encode()):
        return True
    if not remote_addr:
        return False
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    return any(address in network for network in allowed)
