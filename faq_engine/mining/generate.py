"""Ticket exports for trying the workspace and for scale tests, made from real-looking seeds.

Each generated ticket is a seed ticket with fresh personal data (the names, e-mail addresses,
phone numbers the redactor finds are swapped for others of the same market), a fresh order
number and a date spread over the period: the wording stays as people wrote it.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..analysis.analyzer import EMAIL
from .people import name_spans

FIRST = {
    "sv": ["Anna", "Erik", "Maja", "Johan", "Sara", "Oskar", "Elin", "Karin", "Lars", "Ebba"],
    "da": ["Mette", "Lars", "Sofie", "Mads", "Camilla", "Jesper", "Ida", "Rasmus", "Louise"],
    "pl": ["Anna", "Piotr", "Katarzyna", "Tomasz", "Agnieszka", "Michał", "Magdalena", "Jan"],
    "nl": ["Sanne", "Daan", "Lotte", "Bram", "Emma", "Jeroen", "Fleur", "Thijs", "Anouk"],
}
LAST = {
    "sv": ["Lindqvist", "Johansson", "Berg", "Nilsson", "Sandström", "Holm", "Ek", "Wallin"],
    "da": ["Nielsen", "Hansen", "Møller", "Kjær", "Rasmussen", "Holst", "Bak", "Lund"],
    "pl": ["Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kamińska", "Zieliński", "Mazur"],
    "nl": ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "de Boer", "Mulder", "Bos"],
}
PHONES = {
    "sv": "07{}-{}{}{} {}{} {}{}",
    "da": "{}{} {}{} {}{} {}{}",
    "pl": "60{} {}{}{} {}{}{}",
    "nl": "06-{}{}{}{}{}{}{}{}",
}
PHONE_LIKE = re.compile(r"(?<!\d)(?:\+\d{2}[ -]?)?\(?0?\d{1,3}\)?(?:[ -]?\d{2,4}){2,4}(?!\d)")
ORDER = re.compile(r"(?<!\d)1\d{5}(?!\d)")


def read_seeds(paths: Iterable[Path]) -> list[dict[str, Any]]:
    seeds = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                if isinstance(record, dict) and record.get("locale") in FIRST:
                    seeds.append(record)
    if not seeds:
        raise ValueError("no seed tickets in sv, da, pl or nl")
    return seeds


def generate(
    seeds: list[dict[str, Any]],
    count: int,
    seed: int = 1,
    start: dt.datetime = dt.datetime(2026, 8, 1, tzinfo=dt.UTC),
    days: int = 120,
) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    service = random.Random(seed + 1)  # replies and requesters: the wording draws stay as they were
    for number in range(1, count + 1):
        base = rng.choice(seeds)
        locale = base["locale"]
        person = f"{rng.choice(FIRST[locale])} {rng.choice(LAST[locale])}"
        moment = start + dt.timedelta(seconds=rng.randrange(days * 86400))
        ticket = {
            "id": f"gen-{number:07d}",
            "locale": locale,
            "created_at": moment.isoformat(),
            "channel": base.get("channel") or "email",
            "subject": _vary(str(base.get("subject") or ""), locale, person, rng),
            "body": _vary(str(base.get("body") or ""), locale, person, rng),
        }
        ticket.update(_handling(service, moment, locale, person))
        if "topic" in base:
            ticket["topic"] = base["topic"]
        yield ticket


def _handling(rng: random.Random, created: dt.datetime, locale: str, person: str) -> dict[str, Any]:
    """Who wrote (some people write again within days), when support first replied (mostly
    within the 24-hour promise, slower over weekends) and whether it was solved."""
    writer = (
        person if rng.random() < 0.9 else f"{rng.choice(FIRST[locale])} {rng.choice(LAST[locale])}"
    )
    address = writer.casefold().replace(" ", ".").replace("ø", "o").replace("ś", "s")
    requester = f"{address}{rng.randrange(4) or ''}@example.com"
    hours = rng.lognormvariate(1.8, 0.9) + (30 if created.weekday() >= 5 else 0)
    replied = (created + dt.timedelta(hours=hours)).replace(microsecond=0)
    fields: dict[str, Any] = {"requester": requester, "first_reply_at": replied.isoformat()}
    if rng.random() < 0.86:
        fields["status"] = "solved"
        solved = replied + dt.timedelta(minutes=rng.randrange(5, 4320))
        fields["solved_at"] = solved.isoformat()
    else:
        fields["status"] = "open"
    return fields


def _vary(text: str, locale: str, person: str, rng: random.Random) -> str:
    address = person.casefold().replace(" ", ".").replace("ø", "o").replace("ś", "s")
    text = EMAIL.sub(
        lambda m: (
            m.group()
            if "norrgarn" in m.group()  # the shop's own address stays
            else f"{address}@example.{rng.choice(['com', 'net', 'org'])}"
        ),
        text,
    )
    text = ORDER.sub(lambda _: str(rng.randrange(100000, 199999)), text)
    text = PHONE_LIKE.sub(
        lambda m: (
            PHONES[locale].format(*(rng.randrange(10) for _ in range(8)))
            if sum(ch.isdigit() for ch in m.group()) >= 8
            else m.group()
        ),
        text,
    )
    for start, end in sorted(name_spans(text), reverse=True):
        text = text[:start] + person + text[end:]
    return text
