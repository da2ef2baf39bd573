"""Property: no query string makes a main page answer 5xx, for a coordinator or a volunteer.

Hypothesis throws huge, negative and fractional numbers, months and dates at
the ends of the calendar, unicode and empty strings at the query arguments
the pages read (and at the month in the report URLs). ``TESTING`` re-raises
any unhandled error, so a crash fails the test with its traceback.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROUTES = ("/people", "/rota", "/rota/print", "/rota/fill", "/rota/export", "/rota/requests", "/warnings",
          "/reports", "/me/statement", "/me/shifts", "/me/shifts/open", "/me/hours", "/contributions",
          "/attendance", "/approvals", "/rates", "/people/new", "/rota/shifts/new", "/")
NAMES = ("q", "status", "role", "site", "qualification", "expiring", "view", "month", "week", "year", "member",
         "date", "day", "from", "to", "format", "gaps", "kind", "next", "page")

TRICKY = st.sampled_from([
    "", " ", "0", "-1", "1", "2147483647", "2147483648", "99999999999999999999", "9" * 5000, "1e300", "-1e300",
    "NaN", "Infinity", "0x10", "1.5", "٣", "9999-12", "0001-01", "0000-00", "2026-13", "2026-10",
    "9999-12-31", "0001-01-01", "2026-02-30", "2026-10-25", "week", "month", "csv", "json", "xlsx",
    "../../etc/passwd", "<script>", "'; drop table person; --", "\u202e", "🙂", "a\x00b",
])
VALUES = st.one_of(
    TRICKY,
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
)
QUERIES = st.dictionaries(st.sampled_from(NAMES), VALUES, min_size=1, max_size=3)
MONTHS = st.one_of(TRICKY, st.from_regex(r"\A[0-9]{4}-[0-9]{2}\Z"), st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#%"), min_size=1, max_size=12))


def assert_no_5xx(client, url: str, query: dict[str, str]) -> None:
    response = client.get(url, query_string=query)
    assert response.status_code < 500, (url, query, response.status_code)


@pytest.mark.parametrize("email", ["coordinator@tackley.example", "ann@example.org"])
def test_no_query_string_gives_a_5xx(client, auth, org, email) -> None:
    auth.login(email)

    @settings(max_examples=120, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(route=st.sampled_from(ROUTES), query=QUERIES)
    def check(route: str, query: dict[str, str]) -> None:
        assert_no_5xx(client, route, query)

    check()


@pytest.mark.parametrize("email", ["coordinator@tackley.example", "ann@example.org"])
def test_no_month_in_a_report_url_gives_a_5xx(client, auth, org, email) -> None:
    auth.login(email)

    @settings(max_examples=40, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(month=MONTHS, kind=st.sampled_from(["/reports/monthly/{}", "/reports/monthly/{}.csv",
                                               "/reports/monthly/{}.xlsx", "/reports/network/{}"]))
    def check(month: str, kind: str) -> None:
        assert_no_5xx(client, kind.format(month), {})

    check()
