"""Monthly report figures, checked against numbers worked out by hand here."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from volunteers.core.timeutil import Month
from volunteers.reports.domain.canonical import canonical_json, figures_hash
from volunteers.reports.domain.entries import Entry, Person, PlaceRow
from volunteers.reports.domain.monthly import monthly_figures

LONDON = ZoneInfo("Europe/London")
D = Decimal
DESIGN_KEYS = {"organisation", "month", "hours", "value", "active_volunteers", "places_needed",
               "places_filled", "by_volunteer", "by_role", "by_site", "by_kind", "by_stage"}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def entry(key: str, name: str, hours: str, value: str, at: datetime, *, email: str | None = None,
          kind: str = "time", stage: str = "delivery", ctype: str = "volunteer",
          role: str | None = "Shop counter", site: str | None = "Village hall shop",
          status: str = "approved", approved_at: datetime | None = None,
          month: str | None = None) -> Entry:
    return Entry(key, name, email if email is not None else (f"{name.lower()}@example.org"
                                                            if ctype == "volunteer" else None),
                 kind, stage, ctype, role, site, D(hours), D(value), at,
                 month or str(Month.containing(at, LONDON)), status, approved_at or at)


AS_OF = utc(2026, 11, 2, 9)
ENTRIES = [
    entry("m1", "Ann", "3", "36.63", utc(2026, 10, 3, 8)),
    # the 00:00-06:00 night shift on 25 Oct 2026: 7 real hours
    entry("m1", "Ann", "7", "85.47", utc(2026, 10, 24, 23), role="Helpline on call",
          site="Helpline (remote)"),
    entry("m2", "Bob", "2.5", "30.525", utc(2026, 10, 10, 9)),
    entry("m2", "Bob", "-0.5", "-6.105", utc(2026, 10, 10, 9), approved_at=utc(2026, 10, 12)),
    entry("m3", "Cat", "1.5", "27.96", utc(2026, 10, 31, 23, 30), kind="expertise",
          stage="planning", role=None, site=None),
    entry("g1", "Tackley WI", "0", "40", utc(2026, 10, 15, 12), kind="in_kind",
          ctype="community_group", role=None, site=None),
    # never counted: pending, rejected, other months, approved after the issue time
    entry("m4", "Dan", "4", "48.84", utc(2026, 10, 5, 9), status="pending"),
    entry("m5", "Eve", "4", "48.84", utc(2026, 10, 5, 9), status="rejected"),
    entry("m4", "Dan", "5", "61.05", utc(2026, 10, 6, 9), approved_at=utc(2026, 11, 5)),
    entry("m1", "Ann", "2", "24.42", utc(2026, 11, 1, 9)),
    entry("m1", "Ann", "6", "73.26", utc(2026, 9, 30, 22, 30)),  # 23:30 BST on 30 Sep
    # adjustments: September was issued on 2 Oct
    entry("m2", "Bob", "2", "24.42", utc(2026, 9, 20, 9), approved_at=utc(2026, 10, 20)),
    entry("m3", "Cat", "1", "12.21", utc(2026, 9, 21, 9), approved_at=utc(2026, 10, 1)),
    entry("m3", "Cat", "1", "12.21", utc(2026, 8, 21, 9), approved_at=utc(2026, 10, 21)),
]
PLACES = [
    PlaceRow(1, utc(2026, 9, 30, 23, 30), needed=2, filled=2, no_shows=1),  # 1 Oct 00:30 BST
    PlaceRow(2, utc(2026, 10, 24, 23), needed=1, filled=1),
    PlaceRow(3, utc(2026, 10, 31, 23, 30), needed=3, filled=1),  # 31 Oct 23:30 GMT
    PlaceRow(4, utc(2026, 9, 30, 22, 30), needed=5, filled=5),  # 30 Sep 23:30 BST: September
    PlaceRow(5, utc(2026, 11, 1, 0), needed=5, filled=0),  # November
]
PREVIOUS = {"month": "2026-09", "hours": 10.0, "value": "250", "active_volunteers": 3,
            "places_needed": 0, "places_filled": 4}


@pytest.fixture(scope="module")
def figures() -> dict:
    return monthly_figures(
        ENTRIES, PLACES, Month(2026, 10), LONDON, organisation="Tackley Village Shop", as_of=AS_OF,
        issued={"2026-09": utc(2026, 10, 2, 9)}, previous_month_figures=PREVIOUS,
        ever_active_before={"m2", "m9"},
        previously_active=[Person("m2", "Bob", "bob@example.org"),
                           Person("m9", "Zed", "zed@example.org")])


def test_has_every_key_design_promises(figures: dict) -> None:
    assert set(figures) >= DESIGN_KEYS
    assert figures["organisation"] == "Tackley Village Shop" and figures["month"] == "2026-10"


def test_totals_count_only_approved_entries_of_the_month_known_at_issue(figures: dict) -> None:
    assert figures["hours"] == 3 + 7 + D("2.5") - D("0.5") + D("1.5")  # 13.5
    assert figures["value"] == D("214.48")  # 36.63+85.47+30.525-6.105+27.96+40 = 214.48
    assert figures["volunteer_hours"] == D("13.50")
    assert figures["active_volunteers"] == 3


def test_breakdowns(figures: dict) -> None:
    assert figures["by_role"] == {"Shop counter": D("5.00"), "Helpline on call": D("7.00"),
                                  "unspecified": D("1.50")}
    assert figures["by_site"] == {"Village hall shop": D("5.00"), "Helpline (remote)": D("7.00"),
                                  "unspecified": D("1.50")}
    assert figures["by_kind"] == {"time": D("12.00"), "expertise": D("1.50"), "in_kind": D("0.00")}
    assert figures["by_stage"] == {"delivery": D("12.00"), "planning": D("1.50")}
    assert figures["by_contributor_type"] == {"volunteer": D("13.50"), "community_group": D("0.00")}
    assert figures["value_by_kind"] == {"time": D("146.52"), "expertise": D("27.96"),
                                        "in_kind": D("40.00")}


def test_by_volunteer_lists_people_with_hours_by_name(figures: dict) -> None:
    assert figures["by_volunteer"] == [
        {"email": "ann@example.org", "name": "Ann", "hours": D("10.00")},
        {"email": "bob@example.org", "name": "Bob", "hours": D("2.00")},
        {"email": "cat@example.org", "name": "Cat", "hours": D("1.50")},
    ]


def test_spread_of_effort(figures: dict) -> None:
    assert figures["median_hours"] == D("2.00")
    # Gini over (1.5, 2, 10): ((-2)(1.5) + 0(2) + 2(10)) / (3 × 13.5) = 17 / 40.5
    assert figures["gini"] == (D(17) / D("40.5")).quantize(D("0.0001"))
    # the top 20% of 3 people is one person: 10 of 13.5 hours
    assert figures["top20_share"] == (D(10) / D("13.5")).quantize(D("0.0001"))


def test_places_by_local_start_month(figures: dict) -> None:
    assert (figures["places_needed"], figures["places_filled"], figures["no_shows"]) == (6, 4, 1)
    assert figures["fill_rate"] == D("0.6667")
    assert figures["no_show_rate"] == D("0.2500")


def test_new_and_lapsed_volunteers(figures: dict) -> None:
    assert figures["new_volunteers"] == [{"email": "ann@example.org", "name": "Ann"},
                                         {"email": "cat@example.org", "name": "Cat"}]
    assert figures["lapsed_volunteers"] == [{"email": "zed@example.org", "name": "Zed"}]


def test_thank_you_names_everyone_who_gave(figures: dict) -> None:
    assert figures["thank_you"] == ["Ann", "Bob", "Cat", "Tackley WI"]


def test_adjustments_are_late_approvals_for_issued_months(figures: dict) -> None:
    # Bob's September 2 h was approved after September's report went out; Cat's
    # was in it; August was never issued, so there is nothing to adjust.
    assert figures["adjustments"] == [{"month": "2026-09", "entries": 1, "hours": D("2.00"),
                                       "value": D("24.42")}]


def test_comparisons_absolute_and_percent(figures: dict) -> None:
    prev = figures["comparisons"]["previous_month"]
    assert prev["month"] == "2026-09"
    assert prev["changes"]["hours"] == {"base": D("10.00"), "change": D("3.50"), "percent": D("35.0")}
    assert prev["changes"]["value"] == {"base": D("250.00"), "change": D("-35.52"),
                                        "percent": D("-14.2")}
    assert prev["changes"]["active_volunteers"] == {"base": 3, "change": 0, "percent": D("0.0")}
    assert prev["changes"]["places_needed"] == {"base": 0, "change": 6, "percent": None}
    assert figures["comparisons"]["same_month_last_year"] is None


def test_next_report_does_not_repeat_adjustments() -> None:
    issued = {"2026-09": utc(2026, 10, 2, 9), "2026-10": AS_OF}
    nov = monthly_figures(ENTRIES, PLACES, Month(2026, 11), LONDON, as_of=utc(2026, 12, 1, 9),
                          issued=issued)
    # Dan's 5 h for October were approved on 5 Nov, after October was issued
    assert nov["adjustments"] == [{"month": "2026-10", "entries": 1, "hours": D("5.00"),
                                   "value": D("61.05")}]
    assert nov["hours"] == D("2.00")


def test_empty_month_has_none_where_there_is_no_base() -> None:
    f = monthly_figures([], [], Month(2026, 2), "Europe/London")
    assert f["hours"] == 0 and f["active_volunteers"] == 0 and f["by_volunteer"] == []
    assert f["median_hours"] is f["gini"] is f["top20_share"] is None
    assert f["fill_rate"] is f["no_show_rate"] is None
    assert f["new_volunteers"] is f["lapsed_volunteers"] is None
    assert f["comparisons"] == {"previous_month": None, "same_month_last_year": None}
    json.loads(canonical_json(f))


def test_frozen_figures_reproduce_byte_for_byte(figures: dict) -> None:
    again = monthly_figures(
        list(reversed(ENTRIES)), list(reversed(PLACES)), Month(2026, 10), LONDON,
        organisation="Tackley Village Shop", as_of=AS_OF, issued={"2026-09": utc(2026, 10, 2, 9)},
        previous_month_figures=PREVIOUS, ever_active_before={"m9", "m2"},
        previously_active=[Person("m9", "Zed", "zed@example.org"), Person("m2", "Bob", "bob@example.org")])
    assert canonical_json(again) == canonical_json(figures)
    stored = canonical_json(figures)
    assert figures_hash(json.loads(stored)) == figures_hash(figures)


def test_last_year_comparison_can_use_a_frozen_report(figures: dict) -> None:
    last_year = json.loads(canonical_json(figures))
    f = monthly_figures(ENTRIES, PLACES, Month(2026, 10), LONDON, as_of=AS_OF, same_month_last_year=last_year)
    assert f["comparisons"]["same_month_last_year"]["changes"]["hours"] == \
        {"base": D("13.50"), "change": D("0.00"), "percent": D("0.0")}


def test_entries_are_validated() -> None:
    with pytest.raises(ValueError, match="Decimal"):
        Entry("k", "n", None, "time", "delivery", "volunteer", None, None, 1.5, D(0),
              utc(2026, 1, 1), "2026-01")
    with pytest.raises(ValueError, match="aware"):
        Entry("k", "n", None, "time", "delivery", "volunteer", None, None, D(1), D(0),
              datetime(2026, 1, 1), "2026-01")
    with pytest.raises(ValueError, match="YYYY-MM"):
        Entry("k", "n", None, "time", "delivery", "volunteer", None, None, D(1), D(0),
              utc(2026, 1, 1), "2026-1")
    with pytest.raises(ValueError, match="inconsistent"):
        PlaceRow(1, utc(2026, 1, 1), needed=1, filled=1, no_shows=2)


# -- properties: totals equal the sum of their breakdowns ---------------------

_KEYS = ["m1", "m2", "m3", "m4", "m5", "g1"]
_hours = st.decimals(min_value=D("-3"), max_value=D("12"), places=4)


@st.composite
def month_entries(draw: st.DrawFn) -> Entry:
    key = draw(st.sampled_from(_KEYS))
    return Entry(
        key, key.upper(), f"{key}@example.org" if key != "g1" else None,
        draw(st.sampled_from(["time", "expertise", "money", "in_kind"])),
        draw(st.sampled_from(["delivery", "planning", "design"])),
        "community_group" if key == "g1" else draw(st.sampled_from(["volunteer", "service_user"])),
        draw(st.sampled_from([None, "Shop counter", "Post Office counter", "Café"])),
        draw(st.sampled_from([None, "Hall", "Ward"])),
        draw(_hours), draw(st.decimals(min_value=D("-50"), max_value=D("500"), places=3)),
        utc(2026, 11, draw(st.integers(1, 30)), 12), "2026-11",
        draw(st.sampled_from(["approved", "approved", "pending"])))


@settings(max_examples=200)
@given(st.lists(month_entries(), max_size=40))
def test_totals_equal_the_sum_of_their_breakdowns(entries: list[Entry]) -> None:
    f = monthly_figures(entries, [], Month(2026, 11), LONDON)
    approved = [e for e in entries if e.status == "approved"]
    exact = sum((e.hours for e in approved), D(0))
    assert abs(f["hours"] - exact) <= D("0.005")
    for name in ("by_role", "by_site", "by_kind", "by_stage", "by_contributor_type"):
        assert sum(f[name].values(), D(0)) == f["hours"], name
    assert sum(f["value_by_kind"].values(), D(0)) == f["value"]
    assert sum((v["hours"] for v in f["by_volunteer"]), D(0)) == f["volunteer_hours"]
    assert f["active_volunteers"] == len(f["by_volunteer"])
    assert all(v["hours"] >= 0 for v in f["by_volunteer"])  # > 0 exactly; a few seconds may show 0.00
    names = [v["name"] for v in f["by_volunteer"]]
    assert names == sorted(names)


@settings(max_examples=50)
@given(st.lists(month_entries(), max_size=25), st.randoms())
def test_order_of_rows_never_changes_the_hash(entries: list[Entry], rnd: object) -> None:
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert figures_hash(monthly_figures(entries, [], Month(2026, 11), LONDON)) == \
        figures_hash(monthly_figures(shuffled, [], Month(2026, 11), LONDON))


# -- the two ways of adding up agree wherever both are allowed -------------------

def _groups(entries: list[Entry]) -> list[tuple]:
    return [(e.contributor_key, e.contributor_name, e.email, e.kind, e.stage, e.contributor_type, e.role, e.site,
             e.hours, e.value, e.occurred_at) for e in entries]


@settings(max_examples=200)
@given(st.lists(month_entries(), max_size=40))
def test_one_pass_tally_agrees_with_adding_up_in_order_when_sums_are_exact(entries: list[Entry]) -> None:
    from volunteers.reports.domain.monthly import _sums_are_exact, _tally, _tally_in_order

    groups = _groups(entries)
    assert _sums_are_exact(groups)  # four places of hours, three of value: exact in any order
    fast, ordered = _tally(groups), _tally_in_order(groups)
    assert fast[:2] == ordered[:2]
    assert [dict(b) for b in fast[2]] == [dict(b) for b in ordered[2]]
    assert {k: v[:2] for k, v in fast[3].items()} == {k: v[:2] for k, v in ordered[3].items()}
    # each contributor's latest group gives their name, e-mail and type
    told = {k: (v[2][1], v[2][2], v[2][5]) for k, v in fast[3].items()}
    assert told == {k: (v[2][1], v[2][2], v[2][5]) for k, v in ordered[3].items()}


def test_sums_that_would_round_are_added_up_in_order() -> None:
    from volunteers.reports.domain.monthly import _sums_are_exact

    third = D(1) / D(3)  # 0.3333… to 28 digits: the order of adding can move the last digit
    entry = Entry("m1", "M1", None, "time", "delivery", "volunteer", None, None, third, third,
                  utc(2026, 11, 2, 12), "2026-11")
    assert not _sums_are_exact(_groups([entry] * 7))
    f = monthly_figures([entry] * 7, [], Month(2026, 11), LONDON)
    assert abs(f["hours"] - D(7) / D(3)) <= D("0.005")
