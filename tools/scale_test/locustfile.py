"""The scale test's traffic: volunteers, racers for the last places, coordinators and report readers.

Run by tools/scale_test/run.py in Locust's own virtualenv (Locust brings gevent,
which the app must never import). The mix, by weight: volunteers open their
shifts and the open shifts, sign up and cancel (6); racers all try to take the
last place of the same dozen shifts, and give it back now and then so the race
goes on (3); coordinators open the board and a shift's panel and assign people
(2); a coordinator reads the monthly report and the warnings (1).

Every request is written (time, name, ms, status, ok) to SCALE_REQUEST_LOG so
run.py can tell errors during the node kill from the others; every sign-up or
assignment the app confirmed is written to SCALE_SIGNUP_LOG, so run.py can check
that each one exists in the database. A 409 on a full shift is the right answer
to a racer who lost, not an error.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import urllib3
from locust import HttpUser, between, events, task

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # run.py's throw-away certificate

PLAN = json.loads(Path(os.environ["SCALE_PLAN"]).read_text(encoding="utf-8"))
# open for the whole run, line-buffered, closed when Locust exits
_request_log = open(os.environ["SCALE_REQUEST_LOG"], "a", encoding="utf-8", buffering=1)  # noqa: SIM115
_signup_log = open(os.environ["SCALE_SIGNUP_LOG"], "a", encoding="utf-8", buffering=1)  # noqa: SIM115
_lock = threading.Lock()
_volunteers = itertools.cycle([(o, v) for o in PLAN["organisations"] for v in o["volunteers"][:60]])
_racers = itertools.cycle(PLAN["organisations"][0]["volunteers"][60:])
_coordinators = itertools.cycle(PLAN["organisations"])

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
SIGN_UP = re.compile(r'action="/me/shifts/(\d+)/sign-up"')
CANCEL = re.compile(r'href="/me/places/(\d+)/cancel"')


@events.request.add_listener
def _log_request(request_type: str, name: str, response_time: float, response_length: int, response: Any = None,
                 exception: Any = None, **_: Any) -> None:
    status = getattr(response, "status_code", 0) or 0
    with _lock:
        _request_log.write(f"{time.time():.3f},{name},{response_time:.1f},{status},{0 if exception else 1}\n")


def _record(kind: str, membership_id: int, shift_id: int) -> None:
    with _lock:
        _signup_log.write(json.dumps({"t": time.time(), "kind": kind, "membership_id": membership_id,
                                      "shift_id": shift_id}) + "\n")


class SignedIn(HttpUser):
    """A browser: signs in once, keeps its cookie, sends the CSRF token of the last page it read."""

    abstract = True
    wait_time = between(0.5, 2.0)
    email = ""
    csrf = ""

    def sign_in(self, email: str) -> None:
        self.client.verify = False  # run.py's throw-away certificate
        # Flask-WTF checks, over HTTPS, that a form came from this site (as browsers say in Referer)
        self.client.headers["Referer"] = f"{self.host}/"
        self.email = email
        for attempt in range(5):  # a sign-in lost to the node kill (a 503 from the queue) is tried again
            page = self.client.get("/login", name="/login")
            found = CSRF_INPUT.search(page.text or "") or CSRF_META.search(page.text or "")
            token = found.group(1) if found else ""
            with self.client.post("/login", data={"email": email, "password": PLAN["password"], "csrf_token": token},
                                  allow_redirects=False, name="/login [POST]", catch_response=True) as answer:
                if answer.status_code == 302:
                    return
                answer.failure(f"sign-in refused: {answer.status_code}")
            time.sleep(1 + attempt)

    def page(self, url: str, name: str) -> str:
        answer = self.client.get(url, name=name)
        found = CSRF_META.search(answer.text or "")
        if found:
            self.csrf = found.group(1)
        return answer.text or ""

    def post(self, url: str, name: str, data: dict[str, str], ok_location: str) -> bool:
        """POST a form; True when the app redirected to ``ok_location`` (its 'done'); a 409 is a fair refusal."""
        if not self.csrf:  # the page that carried the token was lost (a 503): read one first
            self.page("/me/shifts", "/me/shifts")
        with self.client.post(url, data={**data, "csrf_token": self.csrf}, allow_redirects=False, name=name,
                              catch_response=True) as answer:
            if answer.status_code in (302, 303) and ok_location in answer.headers.get("Location", ""):
                answer.success()
                return True
            if answer.status_code in (200, 409, 422):  # full, already on, asked to confirm: answers, not errors
                answer.success()
                return False
            answer.failure(f"unexpected {answer.status_code}")
            return False


class Volunteer(SignedIn):
    weight = 6

    def on_start(self) -> None:
        self.org, me = next(_volunteers)
        self.membership_id = me["membership_id"]
        self.sign_in(me["email"])

    @task(3)
    def my_shifts(self) -> None:
        self.page("/me/shifts", "/me/shifts")

    @task(3)
    def open_shifts(self) -> None:
        self.page("/me/shifts/open", "/me/shifts/open")

    @task(2)
    def sign_up(self) -> None:
        shifts = SIGN_UP.findall(self.page("/me/shifts/open", "/me/shifts/open"))
        if shifts:
            shift_id = int(random.choice(shifts[:20]))
            if self.post(f"/me/shifts/{shift_id}/sign-up", "/me/shifts/[id]/sign-up", {"confirmed": "1"},
                         "/me/shifts"):
                _record("self", self.membership_id, shift_id)

    @task(1)
    def cancel(self) -> None:
        places = CANCEL.findall(self.page("/me/shifts", "/me/shifts"))
        if places:
            place = random.choice(places)
            self.page(f"/me/places/{place}/cancel", "/me/places/[id]/cancel")
            self.post(f"/me/places/{place}/cancel", "/me/places/[id]/cancel [POST]", {}, "/me/shifts")


class Racer(SignedIn):
    """Everyone wants the last place of the same few shifts."""

    weight = 3

    def on_start(self) -> None:
        me = next(_racers)
        self.membership_id = me["membership_id"]
        self.sign_in(me["email"])
        self.page("/me/shifts", "/me/shifts")

    @task(4)
    def race(self) -> None:
        shift_id = random.choice(PLAN["race_shifts"])
        if self.post(f"/me/shifts/{shift_id}/sign-up", "/me/shifts/[id]/sign-up (race)", {"confirmed": "1"},
                     "/me/shifts"):
            _record("self", self.membership_id, shift_id)

    @task(1)
    def give_back(self) -> None:
        places = CANCEL.findall(self.page("/me/shifts", "/me/shifts"))
        if places:
            place = random.choice(places)
            self.post(f"/me/places/{place}/cancel", "/me/places/[id]/cancel [POST]", {}, "/me/shifts")


class Coordinator(SignedIn):
    weight = 2

    def on_start(self) -> None:
        self.org = next(_coordinators)
        self.sign_in(self.org["coordinator"]["email"])
        self.page("/rota", "/rota")

    @task(3)
    def board(self) -> None:
        self.page("/rota", "/rota")

    @task(2)
    def shift_panel(self) -> None:
        self.page(f"/rota/shifts/{random.choice(self.org['future_shifts'])}", "/rota/shifts/[id]")

    @task(1)
    def assign(self) -> None:
        shift_id = random.choice(self.org["future_shifts"])
        volunteer = random.choice(self.org["volunteers"])
        if self.post(f"/rota/shifts/{shift_id}/assign", "/rota/shifts/[id]/assign",
                     {"membership_id": str(volunteer["membership_id"]), "accept": "1", "confirming": "1",
                      "reason": "scale test"}, f"/rota/shifts/{shift_id}"):
            _record("coordinator", volunteer["membership_id"], shift_id)


class ReportReader(SignedIn):
    weight = 1

    def on_start(self) -> None:
        self.org = next(_coordinators)
        self.sign_in(self.org["coordinator"]["email"])
        self.page("/rota", "/rota")

    @task(1)
    def monthly_report(self) -> None:
        first = date.today().replace(day=1)
        month = f"{first.year - (first.month == 1)}-{(first.month - 2) % 12 + 1:02d}"
        self.page(f"/reports/monthly/{month}", "/reports/monthly/[month]")

    @task(1)
    def warnings(self) -> None:
        self.page("/warnings", "/warnings")
