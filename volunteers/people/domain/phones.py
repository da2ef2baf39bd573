"""Phone numbers as texts need them: parsed with Google's libphonenumber rules, kept in E.164.

A number typed as people say it ("07911 123456", "+44 7911 123456",
"(01865) 555 012") is read in the organisation's country (GB unless told)
and stored as ``+447911123456``, the form every SMS provider accepts. A
number that cannot be a real one (too short, an unused range) is refused,
with words the form can show under the field.
"""
from __future__ import annotations

DEFAULT_REGION = "GB"

# ``phonenumbers`` (its metadata: about 1 MB a web worker) is imported by each function: only the pages and
# jobs that take or text a number use it (tests/unit/architecture/test_heavy_imports.py).


class PhoneError(ValueError):
    """The typed number is not a valid phone number; the message is for the person who typed it."""


def to_e164(typed: str, region: str = DEFAULT_REGION) -> str:
    """Return ``typed`` in E.164 (``+447911123456``) or raise :class:`PhoneError`."""
    import phonenumbers

    text = (typed or "").strip()
    if not text:
        raise PhoneError("Give a phone number.")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise PhoneError("That is not a phone number: use digits, e.g. 07911 123456 or +44 7911 123456.") \
            from error
    if not phonenumbers.is_valid_number(number):
        raise PhoneError("That number does not exist: check the digits and the country code.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def can_take_texts(e164: str) -> bool:
    """Whether the number is a mobile (or may be one: some countries don't tell mobiles apart)."""
    import phonenumbers

    kind = phonenumbers.number_type(phonenumbers.parse(e164))
    return kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def for_display(e164: str) -> str:
    """The number as people in its own country write it (``07911 123456``)."""
    import phonenumbers

    return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.NATIONAL)
