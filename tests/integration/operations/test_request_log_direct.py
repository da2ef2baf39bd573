"""The request line written straight to the production handler's stream is the line the logging machinery
would write for the same request: every field, once; with another listener the record goes the usual way."""
from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.integration.auth_support import seed, send, sign_in
from volunteers.operations import requestlog

FIELDS = ["ts", "level", "logger", "msg", "request_id", "method", "path", "endpoint", "status", "duration_ms",
          "org", "client"]


@pytest.fixture()
def stream(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """The request logger as ``configure_logging`` leaves it in production, writing to a buffer."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(requestlog.JsonFormatter())
    log = requestlog.log
    monkeypatch.setattr(log, "handlers", [handler])
    monkeypatch.setattr(log, "propagate", False)
    monkeypatch.setattr(requestlog, "_own_handler", handler)
    level = log.level
    log.setLevel(logging.INFO)
    yield out
    log.setLevel(level)


def _lines(out: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_direct_line_carries_every_field_in_the_formatter_s_order(app, client, stream, monkeypatch) -> None:
    seed(app)
    sign_in(client)
    stream.truncate(0)
    stream.seek(0)
    monkeypatch.setattr(requestlog.log, "handlers", [requestlog._own_handler])  # pytest's own capture: not now
    made: list[logging.LogRecord] = []
    monkeypatch.setattr(requestlog.log, "handle", made.append)  # the machinery is not used at all
    send(client, "GET", "/me/shifts", headers={"X-Request-ID": "abc-123"})
    [line] = _lines(stream)
    assert made == []
    assert list(line) == FIELDS
    assert (line["request_id"], line["method"], line["path"], line["endpoint"], line["status"], line["org"]) == (
        "abc-123", "GET", "/me/shifts", "me.shifts", 200, "tackley")
    assert (line["level"], line["logger"], line["msg"]) == ("info", "volunteers.requests", "request")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["ts"])

    record = logging.LogRecord("volunteers.requests", logging.INFO, __file__, 1, "request", None, None)
    record.fields = {k: v for k, v in line.items() if k not in ("ts", "level", "logger", "msg")}
    formatted = json.loads(requestlog.JsonFormatter().format(record))
    assert {k: v for k, v in formatted.items() if k != "ts"} == {k: v for k, v in line.items() if k != "ts"}


def test_with_another_listener_the_record_goes_through_logging_and_the_line_is_written_once(
        client, stream) -> None:
    captured: list[logging.LogRecord] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            captured.append(record)

    extra = Capture()
    requestlog.log.handlers = [requestlog._own_handler]  # pytest's own capture aside (the fixture restores the list)
    requestlog.log.addHandler(extra)
    try:
        made = client.get("/healthz").headers["X-Request-ID"]
    finally:
        requestlog.log.removeHandler(extra)
    assert [r.fields["request_id"] for r in captured] == [made]  # type: ignore[attr-defined]
    assert [line["request_id"] for line in _lines(stream)] == [made]


@pytest.mark.parametrize("at", [datetime(2026, 11, 30, 12, 0, 0, 123456, UTC),
                                datetime(2026, 3, 29, 0, 59, 59, 999000, UTC), datetime(2026, 1, 1, 0, 0, 0, 0, UTC)])
def test_the_timestamp_is_the_utc_instant_to_the_millisecond(at: datetime) -> None:
    assert requestlog.timestamp(at.timestamp()) == at.isoformat(timespec="milliseconds")


def test_a_made_request_id_is_32_hex_digits_and_new_each_time() -> None:
    made = {requestlog.request_id_from(None) for _ in range(100)}
    assert len(made) == 100 and all(re.fullmatch(r"[0-9a-f]{32}", m) for m in made)
