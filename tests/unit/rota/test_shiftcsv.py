"""The shifts CSV: strict parsing with every error reported, and a round-tripping export."""

import json
from datetime import date, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volunteers.rota.domain.shiftcsv import (
    EXPORT_COLUMNS,
    CsvImportError,
    RowError,
    ShiftRow,
    parse_shifts_csv,
    row_hours,
    shifts_to_json_objects,
    write_shifts_csv,
    write_shifts_json,
)

LONDON = ZoneInfo("Europe/London")
HEADER = "date,start,end,role,site,needed,volunteers,status\n"


def errors_of(text: str | bytes) -> list[tuple[int, str]]:
    with pytest.raises(CsvImportError) as info:
        parse_shifts_csv(text, "shifts.csv")
    return [(e.line, e.field) for e in info.value.errors]


def test_parses_a_good_file() -> None:
    rows = parse_shifts_csv(
        HEADER
        + "2026-11-03,09:00,12:00,Shop counter,Village hall shop,2,Ann@Example.org; bob@example.org,\n"
        + "2026-11-03,22:00,06:00,Helpline on call,Helpline (remote),1,,planned\n"
        + "2026-10-25,00:00,06:00,Helpline on call,Helpline (remote),1,cat@example.org,Attended\n",
        "shifts.csv")
    assert rows[0] == ShiftRow(2, date(2026, 11, 3), time(9), time(12), "Shop counter",
                               "Village hall shop", 2, ("ann@example.org", "bob@example.org"),
                               "planned")
    assert rows[1].volunteer_emails == () and rows[1].end == time(6)
    assert rows[2].status == "attended" and rows[2].line == 4


def test_header_in_any_order_extra_columns_ignored_optional_columns_absent() -> None:
    rows = parse_shifts_csv("Notes,SITE,role,needed,end,start,date\n"
                            "call first,Hall,Café,1,14:00,9:30,2026-11-04\n")
    assert rows == [ShiftRow(2, date(2026, 11, 4), time(9, 30), time(14), "Café", "Hall", 1)]


def test_utf8_bom_is_accepted_from_bytes_and_text() -> None:
    body = (HEADER + "2026-11-03,09:00,12:00,Café,Salle des fêtes,1,,\n").encode("utf-8")
    for data in (b"\xef\xbb\xbf" + body, body, "\ufeff" + body.decode("utf-8")):
        assert parse_shifts_csv(data)[0].site == "Salle des fêtes"


def test_blank_lines_are_skipped_but_counted() -> None:
    text = HEADER + "\n,,,,,,,\n2026-11-03,09:00,12:00,R,S,0,,\n"
    assert errors_of(text) == [(4, "needed")]


def test_quoted_newline_counts_as_one_spreadsheet_line() -> None:
    text = HEADER + '2026-11-03,09:00,12:00,"Shop\ncounter",S,1,,\n2026-11-03,09:00,12:00,R,S,x,,\n'
    assert errors_of(text) == [(3, "needed")]


def test_every_error_is_reported_with_file_line_and_field() -> None:
    text = (HEADER
            + "2026-11-31,9am,12:00,,Hall,x,,maybe\n"
            + "2026-11-03,09:00,24:00,Shop,Hall,1,ann@example.org;bob@example.org,\n"
            + "2026-11-03,09:00,12:00,Shop,Hall,2,not-an-email;ann@example.org;ANN@example.org,\n")
    with pytest.raises(CsvImportError) as info:
        parse_shifts_csv(text, "rota.csv")
    err = info.value
    assert err.filename == "rota.csv"
    assert [(e.line, e.field) for e in err.errors] == [
        (2, "date"), (2, "start"), (2, "role"), (2, "needed"), (2, "status"),
        (3, "end"), (3, "volunteers"),
        (4, "volunteers"), (4, "volunteers"),
    ]
    lines = str(err).splitlines()
    assert "rota.csv:2: field 'needed': must be a whole number ≥ 1, got 'x'" in lines
    assert "rota.csv:2: field 'date': must be a date as YYYY-MM-DD, got '2026-11-31'" in lines
    assert "rota.csv:3: field 'volunteers': 2 volunteers listed but only 1 needed" in lines
    assert "rota.csv:4: field 'volunteers': not an e-mail address: 'not-an-email'" in lines
    assert "rota.csv:4: field 'volunteers': 'ann@example.org' is listed twice" in lines
    assert isinstance(err, ValueError)


@pytest.mark.parametrize("needed", ["0", "-1", "1.5", "two", "", "+2"])
def test_needed_must_be_a_whole_number_of_at_least_one(needed: str) -> None:
    assert errors_of(HEADER + f"2026-11-03,09:00,12:00,R,S,{needed},,\n") == [(2, "needed")]


@pytest.mark.parametrize("email", ["ann", "ann@", "@example.org", "ann@example", "a b@example.org",
                                   "ann..x@example.org", "ann@-example.org", "ann@example.c0m"])
def test_volunteer_emails_are_syntax_checked(email: str) -> None:
    assert errors_of(HEADER + f"2026-11-03,09:00,12:00,R,S,1,{email},\n") == [(2, "volunteers")]


@pytest.mark.parametrize("bad_date", ["03/11/2026", "2026-2-3", "20261103", "2026-02-30"])
def test_dates_must_be_iso(bad_date: str) -> None:
    assert errors_of(HEADER + f"{bad_date},09:00,12:00,R,S,1,,\n") == [(2, "date")]


def test_missing_and_duplicate_columns_are_header_errors() -> None:
    assert errors_of("date,start,role,site,volunteers,start\n") == \
        [(1, "start"), (1, "end"), (1, "needed")]


def test_empty_file_needs_a_header() -> None:
    for data in ("", "\n", b"\xef\xbb\xbf"):
        with pytest.raises(CsvImportError, match="x.csv:1: field 'header': header row required"):
            parse_shifts_csv(data, "x.csv")


def test_header_only_file_is_empty() -> None:
    assert parse_shifts_csv(HEADER) == []


def test_non_utf8_bytes_name_the_line() -> None:
    data = (HEADER + "2026-11-03,09:00,12:00,Caf").encode() + b"\xe9,S,1,,\n"
    assert errors_of(data) == [(2, "file")]


def test_unterminated_quote_is_reported() -> None:
    assert errors_of(HEADER + '2026-11-03,09:00,12:00,"Shop,S,1,,\n')[0][1] == "file"


def test_row_error_formats_itself() -> None:
    assert RowError(7, "end", "bad").format("f.csv") == "f.csv:7: field 'end': bad"


# -- export ------------------------------------------------------------------

ROWS = [
    ShiftRow(0, date(2026, 3, 29), time(0), time(6), "Helpline on call", "Helpline (remote)", 1,
             ("ann@example.org",), "attended"),
    ShiftRow(0, date(2026, 10, 25), time(0), time(6), "Helpline on call", "Helpline (remote)", 1),
    ShiftRow(0, date(2026, 11, 3), time(22), time(6), "Night, \"quiet\" line", "Hall", 2,
             ("ann@example.org", "bob@example.org"), "planned"),
    ShiftRow(0, date(2026, 11, 4), time(9), time(12, 20), "Café", "Salle des fêtes", 1),
]


def test_row_hours_are_real_lengths() -> None:
    assert [row_hours(r, LONDON) for r in ROWS[:3]] == [5, 7, 8]
    assert f"{row_hours(ROWS[3], LONDON):.2f}" == "3.33"


def test_export_writes_import_columns_plus_hours() -> None:
    text = write_shifts_csv((r, row_hours(r, LONDON)) for r in ROWS)
    lines = text.splitlines()
    assert lines[0] == ",".join(EXPORT_COLUMNS)
    assert lines[1] == "2026-03-29,00:00,06:00,Helpline on call,Helpline (remote),1,ann@example.org,attended,5.00"
    assert lines[2].endswith(",planned,7.00")
    assert lines[3] == ('2026-11-03,22:00,06:00,"Night, ""quiet"" line",Hall,2,'
                        'ann@example.org;bob@example.org,planned,8.00')
    assert lines[4].endswith(",3.33")
    assert text.endswith("\n") and "\r" not in text


def test_csv_export_round_trips_through_import_across_clock_changes_and_midnight() -> None:
    text = write_shifts_csv((r, row_hours(r, LONDON)) for r in ROWS)
    back = parse_shifts_csv(text, "export.csv")
    assert [r.__class__(0, *list(r.__dict__.values())[1:]) for r in back] == ROWS
    assert [r.line for r in back] == [2, 3, 4, 5]
    assert write_shifts_csv((r, row_hours(r, LONDON)) for r in back) == text


def test_json_export_has_the_same_keys_with_natural_types() -> None:
    pairs = [(r, row_hours(r, LONDON)) for r in ROWS]
    objects = shifts_to_json_objects(pairs)
    assert all(tuple(o) == EXPORT_COLUMNS for o in objects)
    assert objects[0] == {"date": "2026-03-29", "start": "00:00", "end": "06:00",
                          "role": "Helpline on call", "site": "Helpline (remote)", "needed": 1,
                          "volunteers": ["ann@example.org"], "status": "attended", "hours": 5.0}
    assert [o["hours"] for o in objects] == [5.0, 7.0, 8.0, 3.33]
    assert json.loads(write_shifts_json(pairs)) == objects
    assert "Salle des fêtes" in write_shifts_json(pairs)


_names = st.text("abcé ,;\"'-Zß0\n", min_size=1, max_size=12).map(str.strip).filter(bool)
_emails = st.builds("{}@{}.{}".format, st.text("abc1.", min_size=1, max_size=6),
                    st.text("xyz2", min_size=1, max_size=6), st.sampled_from(["org", "uk"])).filter(
    lambda e: not (e.startswith(".") or ".@" in e or ".." in e))


@st.composite
def shift_rows(draw: st.DrawFn) -> ShiftRow:
    needed = draw(st.integers(1, 5))
    emails = draw(st.lists(_emails, max_size=needed, unique=True))
    start = draw(st.times().map(lambda t: t.replace(second=0, microsecond=0)))
    end = draw(st.times().map(lambda t: t.replace(second=0, microsecond=0)))
    return ShiftRow(0, draw(st.dates(date(2000, 1, 1), date(2099, 12, 31))), start, end,
                    draw(_names), draw(_names), needed, tuple(emails),
                    draw(st.sampled_from(["planned", "attended"])))


@given(st.lists(shift_rows(), max_size=8))
def test_any_valid_rows_round_trip(rows: list[ShiftRow]) -> None:
    text = write_shifts_csv((r, Decimal(0)) for r in rows)
    back = parse_shifts_csv(text.encode("utf-8"))
    assert [(r.local_date, r.start, r.end, r.role, r.site, r.needed, r.volunteer_emails, r.status)
            for r in back] == \
        [(r.local_date, r.start, r.end, r.role, r.site, r.needed, r.volunteer_emails, r.status)
         for r in rows]
