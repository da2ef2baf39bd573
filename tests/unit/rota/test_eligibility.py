"""Who may take a shift, and the plain-English reasons why not."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from volunteers.people.domain.availability import parse_availability
from volunteers.rota.domain.eligibility import (
    NOT_QUALIFIED,
    ON_LEAVE,
    OVERLAP,
    UNAVAILABLE,
    Candidate,
    EligibilityIndex,
    OpenShift,
    check,
)

LONDON = ZoneInfo("Europe/London")


def shift(day: int, hour: int = 9, hours: int = 3, **kwargs: object) -> OpenShift:
    start = datetime(2026, 11, day, hour, tzinfo=LONDON)
    return OpenShift(kwargs.pop("id", f"s{day}"), start, start + timedelta(hours=hours),
                     kwargs.pop("role", "Post Office counter"), "Village hall", **kwargs)


def test_qualification_valid_until_its_expiry_date() -> None:
    ann = Candidate("ann", "Ann", qualifications={"Post Office training": date(2026, 11, 15)})
    needs = {"required_qualifications": ("Post Office training",)}
    assert check(ann, shift(14, **needs), LONDON) == []
    assert check(ann, shift(15, **needs), LONDON) == []
    (reason,) = check(ann, shift(16, **needs), LONDON)
    assert reason.code == NOT_QUALIFIED
    assert reason.message == "Post Office training expired on 15 Nov 2026"


def test_missing_qualification_and_never_expiring_one() -> None:
    bob = Candidate("bob", "Bob", qualifications={"DBS check": None})
    assert check(bob, shift(20, required_qualifications=("DBS check",)), LONDON) == []
    (reason,) = check(bob, shift(20, required_qualifications=("Post Office training",)), LONDON)
    assert (reason.code, reason.message) == (NOT_QUALIFIED, "has no Post Office training")


def test_qualification_judged_on_local_date() -> None:
    # 00:30 local on 1 Jul is still 30 Jun in UTC: the local date counts.
    cat = Candidate("cat", "Cat", qualifications={"DBS check": date(2026, 6, 30)})
    start = datetime(2026, 7, 1, 0, 30, tzinfo=LONDON)
    night = OpenShift("n", start, start + timedelta(hours=2), "Helpline", "Remote",
                      required_qualifications=("DBS check",))
    assert [r.code for r in check(cat, night, LONDON)] == [NOT_QUALIFIED]


def test_outside_availability() -> None:
    dee = Candidate("dee", "Dee", availability=parse_availability("Mon 09:00-13:00"))
    assert check(dee, shift(2), LONDON) == []  # Monday 2 Nov 09:00-12:00
    (reason,) = check(dee, shift(3), LONDON)
    assert reason.code == UNAVAILABLE
    assert "Tue 3 Nov 2026 09:00–12:00" in reason.message


def test_on_leave_any_date_the_shift_touches() -> None:
    eve = Candidate("eve", "Eve", leave=((date(2026, 11, 10), date(2026, 11, 12)),))
    assert check(eve, shift(9), LONDON) == []
    assert [r.code for r in check(eve, shift(11), LONDON)] == [ON_LEAVE]
    overnight = shift(9, hour=22, hours=4)  # runs into the 10th
    (reason,) = check(eve, overnight, LONDON)
    assert reason.message == "on leave 10 Nov 2026 – 12 Nov 2026"


def test_overlap_with_a_duty_elsewhere_but_touching_is_fine() -> None:
    busy = (datetime(2026, 11, 5, 11, tzinfo=LONDON), datetime(2026, 11, 5, 14, tzinfo=LONDON))
    fay = Candidate("fay", "Fay", busy=(busy,))
    assert [r.code for r in check(fay, shift(5), LONDON)] == [OVERLAP]
    assert check(fay, shift(5, hour=8, hours=3), LONDON) == []


def test_every_reason_is_given_at_once() -> None:
    gus = Candidate("gus", "Gus", availability=parse_availability("Sun 10:00-11:00"),
                    leave=((date(2026, 11, 5), date(2026, 11, 5)),),
                    busy=((datetime(2026, 11, 5, 10, tzinfo=LONDON),
                           datetime(2026, 11, 5, 11, tzinfo=LONDON)),))
    reasons = check(gus, shift(5, required_qualifications=("DBS check",)), LONDON)
    assert [r.code for r in reasons] == [NOT_QUALIFIED, UNAVAILABLE, ON_LEAVE, OVERLAP]


def test_index_agrees_with_check() -> None:
    people = [
        Candidate("a", "A", qualifications={"PO": date(2026, 11, 15)}),
        Candidate("b", "B", qualifications={"PO": None}, availability=parse_availability("Mon 08:00-18:00")),
        Candidate("c", "C", qualifications={"PO": None}, leave=((date(2026, 11, 16), date(2026, 11, 16)),)),
        Candidate("d", "D"),
    ]
    index = EligibilityIndex(people, LONDON)
    for day in (2, 14, 16, 17):
        for needs in ((), ("PO",)):
            s = shift(day, required_qualifications=needs)
            found = index.assess(s)
            assert set(found.eligible) == {p.id for p in people if not check(p, s, LONDON)}
            assert set(found.eligible) <= set(found.qualified)


def test_index_leaves_out_people_already_on_the_shift() -> None:
    index = EligibilityIndex([Candidate("a", "A"), Candidate("b", "B")], LONDON)
    assert index.assess(shift(2, assigned=("a",), needed=2)).eligible == ("b",)
