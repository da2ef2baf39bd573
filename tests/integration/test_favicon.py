"""Every page names a favicon (ICO for every browser, SVG for those that take it) and both are served."""
from __future__ import annotations

import re


def test_pages_link_a_favicon_that_is_served(client) -> None:
    page = client.get("/login").get_data(as_text=True)
    links = dict((m.group(2), m.group(1)) for m in re.finditer(
        r'<link rel="icon" href="([^"]+)"[^>]*?(sizes="16x16 32x32"|type="image/svg\+xml")', page))
    assert set(links) == {'sizes="16x16 32x32"', 'type="image/svg+xml"'}
    ico = client.get(links['sizes="16x16 32x32"'], buffered=True)
    assert ico.status_code == 200 and ico.data[:4] == b"\x00\x00\x01\x00"  # an icon directory
    assert ico.data.count(b"\x89PNG") == 2  # 16 and 32 px
    svg = client.get(links['type="image/svg+xml"'], buffered=True)
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
