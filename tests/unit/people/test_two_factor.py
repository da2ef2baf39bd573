"""The pure rules of two-factor sign-in: which codes are accepted, recovery codes, who must enrol."""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from volunteers.people.domain import two_factor as rules

NOW = datetime(2026, 11, 30, 12, 0, 10, tzinfo=UTC)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _code(at: datetime) -> str:
    return pyotp.TOTP(SECRET).at(at)


def test_the_code_of_now_is_accepted_and_names_its_step() -> None:
    assert rules.accepted_step(SECRET, _code(NOW), NOW, None) == int(NOW.timestamp()) // 30


@pytest.mark.parametrize("offset_s", [-30, 30])
def test_a_code_one_step_either_side_is_accepted(offset_s: int) -> None:
    assert rules.accepted_step(SECRET, _code(NOW + timedelta(seconds=offset_s)), NOW, None) is not None


@pytest.mark.parametrize("offset_s", [-61, 61, -300])
def test_a_code_further_away_is_refused(offset_s: int) -> None:
    code = _code(NOW + timedelta(seconds=offset_s))
    if code in {_code(NOW + timedelta(seconds=s)) for s in (-30, 0, 30)}:
        pytest.skip("the far code happens to equal a near one")
    assert rules.accepted_step(SECRET, code, NOW, None) is None


def test_a_code_of_the_last_accepted_step_or_before_is_refused() -> None:
    step = rules.time_step(NOW)
    assert rules.accepted_step(SECRET, _code(NOW), NOW, step) is None  # replayed within its 30 seconds
    assert rules.accepted_step(SECRET, _code(NOW - timedelta(seconds=30)), NOW, step) is None
    assert rules.accepted_step(SECRET, _code(NOW + timedelta(seconds=30)), NOW, step) == step + 1


def test_spaces_and_hyphens_between_digits_are_fine_anything_else_is_not() -> None:
    code = _code(NOW)
    assert rules.accepted_step(SECRET, f" {code[:3]} {code[3:]} ", NOW, None) is not None
    assert rules.accepted_step(SECRET, f"{code[:3]}-{code[3:]}", NOW, None) is not None
    for typed in ("", "12345", "1234567", "abcdef", "١٢٣٤٥٦", None):
        assert rules.accepted_step(SECRET, typed, NOW, None) is None


def test_time_step_needs_an_aware_now() -> None:
    with pytest.raises(ValueError):
        rules.time_step(datetime(2026, 11, 30, 12, 0))


def test_recovery_codes_are_ten_different_readable_codes_of_about_79_bits() -> None:
    codes = rules.new_recovery_codes()
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4, 4]
        assert set("".join(groups)) <= set(rules.RECOVERY_ALPHABET)
        assert not set("".join(groups)) & set("01oil")
    assert rules.RECOVERY_CODE_LENGTH * 4.95 > 78  # log2(31) = 4.954...


def test_a_recovery_code_is_recognised_however_it_is_typed_and_hashed_as_normalised() -> None:
    code = "abcd-efgh-jkmn-pqrs"
    digest = hashlib.sha256(b"abcdefghjkmnpqrs").hexdigest()
    for typed in (code, code.upper(), " abcd efgh jkmn pqrs ", "abcdefghjkmnpqrs"):
        assert rules.hash_recovery_code(typed) == digest
    for typed in ("abcd-efgh-jkmn-pqr", "abcd-efgh-jkmn-pqrs1", "0bcd-efgh-jkmn-pqrs", "", None):
        assert rules.normalise_recovery_code(typed) is None


def test_only_coordinators_and_admins_of_an_organisation_that_requires_it_must_enrol() -> None:
    assert rules.enrolment_required("coordinator", True, False)
    assert rules.enrolment_required("admin", True, False)
    assert not rules.enrolment_required("volunteer", True, False)
    assert not rules.enrolment_required("coordinator", False, False)
    assert not rules.enrolment_required("admin", True, True)


def test_the_provisioning_address_carries_the_secret_account_and_issuer() -> None:
    uri = rules.provisioning_uri(SECRET, "sam@tackley.example", "volunteers")
    parsed = pyotp.parse_uri(uri)
    assert isinstance(parsed, pyotp.TOTP) and parsed.secret == SECRET and parsed.interval == 30
    assert parsed.digits == 6 and parsed.issuer == "volunteers" and parsed.name == "sam@tackley.example"
    assert rules.grouped_secret("ABCDEFGH12") == "ABCD EFGH 12"
    assert len(rules.new_secret()) == 32
