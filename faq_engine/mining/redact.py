"""Replace personal data in free text with typed placeholders before it is stored or shown.

Each kind is found by the library that knows it best: phone numbers by ``phonenumbers``,
national IDs, IBANs and card numbers by their checksums in ``python-stdnum``.
"""

from __future__ import annotations

import re

import phonenumbers
from stdnum import iban, luhn
from stdnum.dk import cpr
from stdnum.nl import bsn
from stdnum.pl import pesel
from stdnum.se import personnummer

from ..analysis.analyzer import EMAIL
from .people import redact_addresses, redact_names, replace_spans

IBAN_CANDIDATE = re.compile(
    r"\b(?:[A-Z]{2}|[a-z]{2})\d{2}(?:[ ]?[A-Z0-9]{4}|[ ]?[a-z0-9]{4}){2,7}"
    r"(?:[ ]?[A-Z0-9]{1,4}|[ ]?[a-z0-9]{1,4})?\b"
)
# A Polish account number (NRB) is its IBAN without the "PL": 26 digits, 2 + 6 groups of 4.
NRB_CANDIDATE = re.compile(r"(?<![\w-])\d{2}(?:[ ]?\d{4}){6}(?![\w-])")
DIGIT_RUN = re.compile(r"(?<![\w-])\+?\d[\d .-]{7,22}\d(?![\w-])")
REGIONS = {"sv": "SE", "da": "DK", "pl": "PL", "nl": "NL", "en": "SE"}
MARKET_REGIONS = ("SE", "DK", "PL", "NL")

ID_SHAPE = re.compile(r"^\d{6}[-+]\d{4}$|^\d{8}[-+]?\d{4}$")


def _iban(match: re.Match[str]) -> str:
    """``[IBAN]`` for the longest valid IBAN the candidate starts with (a candidate may run
    into the next word: "PL34 3740 ... 2979 tak"), and what follows it."""
    found = match.group()
    while found:
        if iban.is_valid(found):
            return "[IBAN]" + match.group()[len(found) :]
        if " " not in found:
            break
        found = found.rsplit(" ", 1)[0]
    return match.group()


def _is_coordination_number(raw: str) -> bool:
    """A Swedish samordningsnummer: a personnummer whose day of birth is raised by 60."""
    compact = raw.replace(" ", "")
    match = re.fullmatch(r"(\d{2,4}\d{2})([6-9]\d)([-+]?\d{4})", compact)
    if not match or not 61 <= int(match.group(2)) <= 91:
        return False
    day = int(match.group(2)) - 60
    born = f"{match.group(1)}{day:02d}{match.group(3)}"
    if not re.search(r"[-+]", born):
        born = f"{born[:-4]}-{born[-4:]}"
    try:
        personnummer.get_birth_date(born)
    except ValueError:
        return False
    return luhn.is_valid(re.sub(r"\D", "", compact)[-10:])


ORDER_SHAPE = re.compile(r"^(?:19|20)\d{2}-\d{4,6}$")  # "2026-58120": an order number


def _is_national_id(digits: str, raw: str) -> bool:
    if ORDER_SHAPE.match(raw.strip()):
        return False
    if len(digits) in (10, 12) and _is_coordination_number(raw):
        return True
    if len(digits) == 9 and bsn.is_valid(digits):
        return True
    if len(digits) == 11 and pesel.is_valid(digits):
        return True
    if len(digits) in (10, 12) and personnummer.is_valid(raw.replace(" ", "")):
        return True
    return len(digits) == 10 and cpr.is_valid(digits)


TRUNK_PREFIX_REGIONS = {"SE", "NL"}  # national numbers there are written with a leading 0


def _is_phone(raw: str, region: str) -> bool:
    raw = raw.strip()
    if region in TRUNK_PREFIX_REGIONS and not raw.startswith(("0", "+")):
        return False
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(raw, region))
    except phonenumbers.NumberParseException:
        return False


def _digit_kind(raw: str, region: str) -> str | None:
    digits = re.sub(r"\D", "", raw)
    if 13 <= len(digits) <= 19 and luhn.is_valid(digits):
        return "[CARD]"
    # A national ID written the way IDs are (YYMMDD-NNNN) is an ID even where the same
    # digits would also dial; otherwise a number that dials in the market is a phone.
    if ID_SHAPE.match(raw.strip()) and _is_national_id(digits, raw):
        return "[ID]"
    if _is_phone(raw, region):
        return "[PHONE]"
    # "31 09 77 52": four pairs is how Danes write a phone number, allocated or not yet.
    if region == "DK" and re.fullmatch(r"(?:\+45[ ]?)?\d{2}(?:[ .-]\d{2}){3}", raw.strip()):
        return "[PHONE]"
    # Written as a phone number is written (spaced or dashed), it may dial in a neighbouring
    # market: a Dutch mobile in a Polish message.
    if re.search(r"\d[ -]\d", raw) and any(
        _is_phone(raw, other) for other in MARKET_REGIONS if other != region
    ):
        return "[PHONE]"
    if _is_national_id(digits, raw):
        return "[ID]"
    return None


# Numbers that are not personal data whatever they look like: said to be an order, parcel,
# invoice or product number, or written as a date.
LABELLED = re.compile(
    r"(?i)(?<!\w)(?:order|ordre|ordrenummer|ordrenr|ordernr|ordernummer|bestelling|bestelnummer|"
    r"zamówieni[ae]|zamowieni[ae]|numer zamówienia|nr zamówienia|faktura|factuur|invoice|"
    r"paket|pakke|pakket|paczk[ai]|przesyłk[ai]|sändning|forsendelse|zending|tracking|"
    r"kolli|kollinummer|artikelnummer|art\.?nr|ean|sku|kvitto|kvittonr|kvittonummer|"
    r"kvittering|bon|paragon|receipt|spår|spårnr|spårningsnummer|sporingsnummer|sporingsnr|"
    r"sporing|track & trace|track and trace|barcode|streepjescode|rma|reklamacji|"
    r"reklamation|klacht|kod|code|koden)"
    r"[\s:.#-]*(?:nummer|number|numer|nr\.?|no\.?)?[\s:.#-]*$"
)
DATE = re.compile(
    r"\b(?:(?:0?[1-9]|[12]\d|3[01])([./])(?:0?[1-9]|1[0-2])\1(?:19|20)?\d{2}"
    r"|(?:0?[1-9]|[12]\d|3[01])-(?:0?[1-9]|1[0-2])-(?:19|20)\d{2}"
    r"|(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))\b"
)


def _protected(text: str, start: int, raw: str) -> bool:
    return bool(DATE.search(raw) or LABELLED.search(text[max(0, start - 40) : start]))


def redact(text: str, locale: str = "en") -> str:
    """``text`` with e-mails, phone numbers, IDs, IBANs, card numbers, addresses and
    people's names replaced by ``[EMAIL]``, ``[PHONE]``, ``[ID]``, ``[IBAN]``, ``[CARD]``,
    ``[ADDRESS]`` and ``[NAME]``."""
    text = EMAIL.sub("[EMAIL]", text)
    text = IBAN_CANDIDATE.sub(_iban, text)
    text = NRB_CANDIDATE.sub(
        lambda m: "[IBAN]" if iban.is_valid("PL" + m.group()) else m.group(), text
    )
    region = REGIONS.get(locale, "SE")
    text = DIGIT_RUN.sub(
        lambda m: (
            m.group()
            if _protected(m.string, m.start(), m.group())
            else _digit_kind(m.group(), region) or m.group()
        ),
        text,
    )
    spans = [
        (match.start, match.end)
        for match in phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.VALID
        )
        if not _protected(text, match.start, match.raw_string)
        and not re.search(r"[\w-]\Z", text[: match.start])  # "NG-GK-4471-2290"
    ]
    text = replace_spans(text, spans, "[PHONE]")
    return redact_names(redact_addresses(text))
