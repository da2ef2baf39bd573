"""The monthly report's figures as tables ``(key, header, rows)``: the shape both spreadsheet exports start from.

The keys and headers here are the report's codes (``top20_share``,
``by_kind``), as its JSON names them: the CSV writes them as they are (one
fact per row, for pivot tables and scripts), and the workbook
(``reports.workbook``) turns them into words for people.
"""
from __future__ import annotations

from typing import Any

Section = tuple[str, list[str], list[list[Any]]]
SUMMARY = ("organisation", "organisation_name", "month", "currency", "hours", "value", "volunteer_hours",
           "active_volunteers", "places_needed", "places_filled", "fill_rate", "no_shows", "no_show_rate",
           "median_hours", "top20_share", "gini")
BREAKDOWNS = (("by_role", "Role", "hours"), ("by_site", "Site", "hours"), ("by_kind", "Kind", "hours"),
              ("by_stage", "Stage", "hours"), ("by_contributor_type", "Contributor type", "hours"),
              ("value_by_kind", "Kind", "value"), ("by_week", "Week commencing", "hours"))
COMPARED = ("hours", "value", "active_volunteers", "places_needed", "places_filled")
#: the ``peer_support`` block's counts (DESIGN.md, "Peer support"), as its rows run
PEER_SUPPORT_COUNTS = ("registered", "ward_visit_due", "ward_visit_done", "follow_up_due", "follow_up_done")


def _summary(f: dict[str, Any]) -> list[list[Any]]:
    rows = [[key, f.get(key)] for key in SUMMARY]
    for key in ("new_volunteers", "lapsed_volunteers"):
        rows.append([key, None if f.get(key) is None else len(f[key])])
    warnings = f.get("load_warnings") or {}
    rows += [["load_warnings_raised", warnings.get("raised")], ["load_warnings_resolved", warnings.get("resolved")]]
    return rows


def _comparisons(f: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for which, comparison in sorted((f.get("comparisons") or {}).items()):
        if comparison is None:
            continue
        for metric in COMPARED:
            c = comparison["changes"].get(metric) or {}
            rows.append([which, comparison.get("month"), metric, c.get("base"), c.get("change"), c.get("percent")])
    return rows


def sections(f: dict[str, Any]) -> list[Section]:
    """Return the report as tables ``(key, header, rows)``: the summary, one per breakdown, the lists."""
    result: list[Section] = [("summary", ["figure", "value"], _summary(f))]
    result.append(("by_volunteer", ["name", "email", "hours"],
                   [[p["name"], p["email"], p["hours"]] for p in f["by_volunteer"]]))
    for key, title, unit in BREAKDOWNS:
        result.append((key, [title.lower(), unit], [[k, v] for k, v in sorted((f.get(key) or {}).items())]))
    result.append(("comparisons", ["compared_with", "month", "figure", "base", "change", "percent"],
                   _comparisons(f)))
    for key in ("new_volunteers", "lapsed_volunteers"):
        result.append((key, ["name", "email"], [[p["name"], p["email"]] for p in f.get(key) or []]))
    result.append(("adjustments", ["month", "entries", "hours", "value"],
                   [[a["month"], a["entries"], a["hours"], a["value"]] for a in f.get("adjustments") or []]))
    result.append(("thank_you", ["name"], [[name] for name in f.get("thank_you") or []]))
    if f.get("peer_support"):
        result.append(("peer_support", ["figure", "mode", "number"], _peer_support(f["peer_support"])))
    return result


def _peer_support(block: dict[str, Any]) -> list[list[Any]]:
    """The ``peer_support`` block as rows: the counts, then contacts and their hours by mode."""
    rows: list[list[Any]] = [[key, None, block[key]] for key in PEER_SUPPORT_COUNTS]
    for key in ("contacts", "contact_hours"):
        rows += [[key, mode, value] for mode, value in block[key].items()]
    return rows
