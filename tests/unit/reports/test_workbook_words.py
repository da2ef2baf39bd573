"""reports.workbook: the peer-support sheet and late adjustments in words, with number formats on every number."""
from __future__ import annotations

import io

import openpyxl

from volunteers.reports.workbook import xlsx_bytes

FIGURES = {
    "organisation": "surestart", "month": "2026-10", "currency": "GBP", "hours": 12.5, "value": 1234.5,
    "active_volunteers": 51, "fill_rate": 0.97,
    "by_volunteer": [], "by_kind": {"in_kind": 0, "time": 12.5},
    "adjustments": [{"month": "2026-09", "entries": 3, "hours": -1.5, "value": -22.5}],
    "peer_support": {"registered": 4, "ward_visit_due": 3, "ward_visit_done": 1, "follow_up_due": 3,
                     "follow_up_done": 1, "contacts": {"ward": 2, "group": 1},
                     "contact_hours": {"ward": 1, "group": 1.5}},
}


def _rows(book: openpyxl.Workbook, title: str) -> list[list[tuple[object, str]]]:
    return [[(c.value, c.number_format) for c in row] for row in book[title].iter_rows()]


def test_counts_shares_money_and_hours_carry_their_formats() -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(FIGURES)))
    summary = {row[0][0]: row[1] for row in _rows(book, "Summary")[1:]}
    assert summary["Active volunteers"] == (51, "#,##0")  # shown 51, not 51.00
    assert summary["Share of places filled"] == (0.97, "0%")  # shown 97%, not 0.97
    assert summary["Value of all contributions"] == (1234.5, "£#,##0.00")  # shown £1,234.50
    assert summary["Hours given"] == (12.5, "#,##0.0#")


def test_peer_support_and_adjustments_read_in_words() -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(FIGURES)))
    peer = _rows(book, "Peer support")
    assert [v for v, _ in peer[0]] == ["Figure", "Mode", "Number"]
    assert peer[1] == [("Supported people registered", "General"), (None, "General"), (4, "#,##0")]
    assert [("Contact hours", "General"), ("Group", "General"), (1.5, "#,##0.0#")] in peer
    assert [("Contacts", "General"), ("Ward", "General"), (2, "#,##0")] in peer
    adjustments = _rows(book, "Adjustments")
    assert [v for v, _ in adjustments[0]] == ["Month", "Entries", "Hours", "Value"]
    assert adjustments[1] == [("September 2026", "General"), (3, "#,##0"), (-1.5, "#,##0.0#"),
                              (-22.5, "£#,##0.00")]


def test_other_currencies_keep_their_symbol() -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({**FIGURES, "currency": "EUR"})))
    summary = {row[0][0]: row[1] for row in _rows(book, "Summary")[1:]}
    assert summary["Value of all contributions"] == (1234.5, '"€"#,##0.00')


def test_the_same_figures_give_the_same_bytes() -> None:
    assert xlsx_bytes(FIGURES) == xlsx_bytes(dict(FIGURES))
