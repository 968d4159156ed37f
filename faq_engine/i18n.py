"""Locales, markets and their facts: contact channels, opening hours in the market's time zone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from babel import Locale, negotiate_locale
from babel.dates import format_time, get_day_names


def utc_now() -> dt.datetime:
    """The time every "open now" is worked out from (one place, so tests can set it)."""
    return dt.datetime.now(dt.UTC)


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(
    r"(?P<first>Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:-(?P<last>Mon|Tue|Wed|Thu|Fri|Sat|Sun))?"
    r"\s+(?P<opens>\d{1,2}:\d{2})-(?P<closes>\d{1,2}:\d{2})"
)


@dataclass(frozen=True)
class Opening:
    days: tuple[int, ...]  # 0 = Monday
    opens: dt.time
    closes: dt.time


def parse_hours(text: str) -> tuple[Opening, ...]:
    """``"Mon-Fri 08:00-17:00, Sat 10:00-14:00"`` → openings; unknown text → none."""
    openings = []
    for match in _HOURS.finditer(text):
        first = DAYS.index(match["first"].lower())
        last = DAYS.index((match["last"] or match["first"]).lower())
        openings.append(
            Opening(
                tuple(range(first, last + 1)),
                dt.time.fromisoformat(match["opens"].zfill(5)),
                dt.time.fromisoformat(match["closes"].zfill(5)),
            )
        )
    return tuple(openings)


def is_open(openings: tuple[Opening, ...], local: dt.datetime) -> bool:
    return any(local.weekday() in o.days and o.opens <= local.time() < o.closes for o in openings)


def next_opening(openings: tuple[Opening, ...], local: dt.datetime) -> dt.datetime | None:
    """When the channel next opens after ``local`` (a week ahead at most)."""
    for offset in range(8):
        day = (local + dt.timedelta(days=offset)).date()
        starts = sorted(o.opens for o in openings if day.weekday() in o.days)
        for opens in starts:
            moment = dt.datetime.combine(day, opens, tzinfo=local.tzinfo)
            if moment > local:
                return moment
    return None


def hours_text(openings: tuple[Opening, ...], locale: str) -> str:
    """Opening hours in the locale's words: "mån–fre 08:00–17:00, lör 10:00–14:00"."""
    names = get_day_names("abbreviated", locale=locale)
    parts = []
    for o in openings:
        days = names[o.days[0]] if len(o.days) == 1 else f"{names[o.days[0]]}–{names[o.days[-1]]}"
        opens = format_time(o.opens, "HH:mm", locale=locale)
        closes = format_time(o.closes, "HH:mm", locale=locale)
        parts.append(f"{days} {opens}–{closes}")
    return ", ".join(parts)


@dataclass(frozen=True)
class Channel:
    name: str
    openings: tuple[Opening, ...]
    described: dict[str, Any]  # what does not change between requests


class Market:
    """One market's facts; the contact block's fixed parts are prepared once."""

    def __init__(self, locale: str, facts: dict[str, Any]) -> None:
        self.locale = locale
        self.facts = facts
        self.country = str(facts["country"])
        self.currency = str(facts["currency"])
        self.timezone = str(facts["timezone"])
        self.zone = ZoneInfo(self.timezone)
        contact = dict(facts.get("contact") or {})
        self.email_response_hours = contact.pop("email_response_hours", None)
        self.channels = []
        self._last_contact: tuple[dt.datetime, dict[str, Any]] | None = None
        for name, value in contact.items():
            openings = parse_hours(str(value))
            described = {
                "channel": name,
                "hours": [
                    {
                        "days": [DAYS[d] for d in o.days],
                        "opens": o.opens.strftime("%H:%M"),
                        "closes": o.closes.strftime("%H:%M"),
                    }
                    for o in openings
                ],
                "hours_text": hours_text(openings, locale),
            }
            self.channels.append(Channel(name, openings, described))

    def contact(self, now: dt.datetime | None = None) -> dict[str, Any]:
        """How to reach a person, and whether each channel is open right now.

        Opening hours are whole minutes, so the block is the same for a whole minute: it is
        worked out once per minute (callers must not change it).
        """
        minute = (now or utc_now()).astimezone(self.zone)
        minute = minute.replace(second=0, microsecond=0)
        last = self._last_contact
        if last is not None and last[0] == minute:
            return last[1]
        block = self._contact(minute)
        self._last_contact = (minute, block)
        return block

    def person_reachable(self, now: dt.datetime | None = None) -> bool:
        """Whether a person answers right now: a channel with opening hours (chat, phone)
        is open. E-mail is always there, but is not a person now."""
        channels = self.contact(now)["channels"]
        return any(c.get("open_now") for c in channels if c["channel"] != "email")

    def _contact(self, local: dt.datetime) -> dict[str, Any]:
        channels: list[dict[str, Any]] = []
        for channel in self.channels:
            upcoming = next_opening(channel.openings, local)
            channels.append(
                {
                    **channel.described,
                    "open_now": is_open(channel.openings, local),
                    "next_opening": upcoming.isoformat() if upcoming else None,
                }
            )
        channels.append({"channel": "email", "response_hours": self.email_response_hours})
        return {
            "market": self.country,
            "timezone": self.timezone,
            "channels": channels,
            "email_response_hours": self.email_response_hours,
            "help_url": f"/{self.locale}/help",
            "checked_at": local.isoformat(),  # the market's time the block is worked out for
        }


class Markets:
    """The markets file: one market per locale, the shop's own facts beside them."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.shop = data.get("shop", {})
        self.by_locale = {
            locale: Market(locale, m) for locale, m in data.get("markets", {}).items()
        }

    @classmethod
    def load(cls, path: Path) -> Markets:
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")))

    def get(self, locale: str) -> Market | None:
        return self.by_locale.get(locale)


def negotiate(accept_language: str | None, served: list[str]) -> str | None:
    """The served locale that best fits an Accept-Language header, negotiated by Babel."""
    if not accept_language:
        return None
    preferred = []
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            preferred.append((quality, tag.replace("-", "_")))
    preferred.sort(key=lambda item: -item[0])
    tags = [tag for _, tag in preferred]
    found = negotiate_locale(tags, served, sep="_")
    if found is None:
        found = negotiate_locale([t.split("_")[0] for t in tags], served, sep="_")
    if found is None:
        return None
    # Babel answers with the tag as the header spells it ("Da"); language tags are
    # case-insensitive, so it is the served locale spelt as served.
    return next((locale for locale in served if locale.casefold() == found.casefold()), None)


def language_name(locale: str) -> str:
    try:
        return Locale.parse(locale).get_display_name(locale) or locale
    except (ValueError, LookupError):
        return locale


def load_catalogs(folder: Path) -> dict[str, Any]:
    """Every ``<locale>/LC_MESSAGES/messages.po`` under ``folder`` as gettext translations.

    Catalogs are compiled in memory when loaded, so editing a .po file needs no build step.
    Fuzzy entries are left out, as ``msgfmt`` does.
    """
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    catalogs: dict[str, Any] = {}
    for po in sorted(folder.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        buffer = BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        catalogs[po.parent.parent.name] = Translations(buffer)
    return catalogs
