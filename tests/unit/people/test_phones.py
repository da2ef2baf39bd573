"""Phone numbers are refused when malformed and stored in E.164 (the form SMS providers take)."""
from __future__ import annotations

import pytest

from volunteers.people.domain.phones import PhoneError, can_take_texts, for_display, to_e164


@pytest.mark.parametrize("typed", ["07911 123456", "+44 7911 123456", "0044 7911 123456", " (07911) 123-456 "])
def test_a_uk_mobile_typed_any_usual_way_is_stored_in_e164(typed: str) -> None:
    assert to_e164(typed) == "+447911123456"


def test_a_number_from_another_country_keeps_its_country_code() -> None:
    assert to_e164("+33 6 12 34 56 78") == "+33612345678"
    assert to_e164("06 12 34 56 78", region="FR") == "+33612345678"


@pytest.mark.parametrize("typed, words", [
    ("", "Give a phone number"),
    ("call me", "not a phone number"),
    ("12", "does not exist"),
    ("07700 900123", "does not exist"),  # Ofcom's range for drama: never a real line
    ("+44 7911 12345678", "does not exist"),
])
def test_a_malformed_number_is_refused_with_words_for_the_form(typed: str, words: str) -> None:
    with pytest.raises(PhoneError, match=words):
        to_e164(typed)


def test_a_landline_is_valid_but_cannot_take_texts() -> None:
    landline = to_e164("01865 270000")
    assert landline == "+441865270000"
    assert not can_take_texts(landline)
    assert can_take_texts(to_e164("07911 123456"))


def test_numbers_are_shown_as_people_write_them_at_home() -> None:
    assert for_display("+447911123456") == "07911 123456"
