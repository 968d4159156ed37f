"""Past tickets: import in every format, redaction at the door, languages, recurring questions."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import phonenumbers
import pytest
import sqlalchemy as sa
from stdnum import iban, luhn
from stdnum.pl import pesel

from faq_engine.mining.language import detect
from faq_engine.mining.quality import redaction_scores, v_measure
from faq_engine.mining.redact import redact
from faq_engine.mining.tickets import import_file
from faq_engine.storage import Storage, tickets
from tests.conftest import ROOT

TICKETS = ROOT / "tests" / "data" / "tickets"
REDACTION = ROOT / "tests" / "data" / "redaction"
LOCALES = sorted(p.stem for p in TICKETS.glob("*.jsonl"))
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def run(*args: str, stdin: str = "", db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "PYTHONPATH": str(ROOT)}
    if db is not None:
        env["DATABASE_URL"] = f"sqlite:///{db}"
        env["FAQ_INSTANCE_DIR"] = str(db.parent / "instance")
    return subprocess.run(
        [sys.executable, "-m", "faq_engine", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture
def storage(tmp_path: Path) -> Storage:
    return Storage(f"sqlite:///{tmp_path / 'db.sqlite'}")


def stored_text(storage: Storage) -> str:
    with storage.engine.connect() as connection:
        rows = connection.execute(sa.select(tickets.c.subject, tickets.c.body)).all()
    return "\n".join(f"{s}\n{b}" for s, b in rows)


@pytest.mark.parametrize("locale", LOCALES)
def test_import_is_redacted_and_idempotent(storage, locale):
    path = TICKETS / f"{locale}.jsonl"
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    summary = import_file(path, "jsonl", storage)
    assert summary.stored == len(lines) and summary.rejected == []
    again = import_file(path, "jsonl", storage)
    assert again.stored == len(lines) and storage.count_tickets() == len(lines)
    text = stored_text(storage)
    assert not EMAIL.search(text), EMAIL.search(text)
    originals = "\n".join(f"{t['subject']}\n{t['body']}" for t in lines)
    for address in set(EMAIL.findall(originals)) - {"kundservice@norrgarn.se"}:
        assert address not in text
    assert leftover_numbers(text, locale) == []


DATE_LIKE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")


def leftover_numbers(text: str, locale: str) -> list[str]:
    """Phone numbers, IBANs, card numbers and PESELs still in ``text``, found by their own
    libraries (not by the redactor)."""
    region = {"sv": "SE", "da": "DK", "pl": "PL", "nl": "NL"}[locale]
    found = [
        m.raw_string
        for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)
        if not DATE_LIKE.match(m.raw_string)
    ]
    pattern = r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"
    found += [m.group() for m in re.finditer(pattern, text) if iban.is_valid(m.group())]
    for run in re.findall(r"\d[\d -]{11,22}\d", text):
        digits = re.sub(r"\D", "", run)
        if 13 <= len(digits) <= 19 and luhn.is_valid(digits):
            found.append(run)
    return found + [n for n in re.findall(r"(?<!\d)\d{11}(?!\d)", text) if pesel.is_valid(n)]


def test_broken_rows_are_reported_by_number_and_the_rest_stored(storage, tmp_path):
    export = tmp_path / "export.jsonl"
    export.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "subject": "Var är mitt paket?", "body": "Order 100482"}),
                "{not json",
                json.dumps({"id": "b", "subject": "", "body": ""}),
                json.dumps({"id": "c", "subject": "x", "locale": "de"}),
                json.dumps({"id": "d", "subject": "Hej", "created_at": "igår"}),
                json.dumps(["a list"]),
                json.dumps({"subject": "Hvor er min pakke?", "body": "Ordre 104112"}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    summary = import_file(export, "jsonl", storage)
    reasons = {r.row: r.reason for r in summary.rejected}
    assert set(reasons) == {2, 3, 4, 5, 6}
    assert "JSON" in reasons[2] and "no subject" in reasons[3] and "'de'" in reasons[4]
    assert "created_at" in reasons[5] and "object" in reasons[6]
    assert summary.stored == 2
    stored = {t.id: t for t in storage.iter_tickets()}
    assert stored["a"].locale == "sv" and stored["7"].locale == "da"  # row number as id


def test_csv_with_mapped_columns(storage, tmp_path):
    export = tmp_path / "cases.csv"
    export.write_text(
        "Case,Title,Message,Opened\n"
        "17,Retur,Hur returnerar jag? Ring 070-123 45 67,2026-11-02T10:00:00+01:00\n"
        '18,"Pakke","Hvor er min pakke, mvh Mette Hansen",2026-11-03T11:00:00+01:00\n'
        "19,,,2026-11-03\n",
        encoding="utf-8",
    )
    mapping = {"id": "Case", "subject": "Title", "body": "Message", "created_at": "Opened"}
    summary = import_file(export, "csv", storage, mapping)
    assert summary.stored == 2 and [str(r) for r in summary.rejected] == [
        "row 3: no subject and no body"
    ]
    stored = {t.id: t for t in storage.iter_tickets()}
    assert "[PHONE]" in stored["17"].body and "070-123" not in stored["17"].body
    assert "Mette" not in stored["18"].body and stored["18"].locale == "da"
    with pytest.raises(ValueError, match="neither a subject nor a body"):
        import_file(export, "csv", storage, {"subject": "Nope", "body": "Nada"})


def test_freshdesk_export(storage, tmp_path):
    export = tmp_path / "freshdesk.csv"
    export.write_text(
        "Ticket ID,Subject,Description,Status,Source,Created time,Initial response time,"
        "Resolved time,Email\n"
        "901,Zwrot,Jak zwrócić sweter? Pozdrawiam Jan Kowalski,Closed,Email,"
        "2026-11-02 10:00:00,2026-11-02 12:30:00,2026-11-03 09:00:00,jan@example.pl\n",
        encoding="utf-8",
    )
    summary = import_file(export, "freshdesk", storage)
    assert summary.stored == 1
    (ticket,) = storage.iter_tickets()
    assert ticket.id == "901" and ticket.locale == "pl" and ticket.status == "Closed"
    assert "Kowalski" not in ticket.body and ticket.first_reply_at is not None
    assert ticket.requester and "jan@" not in ticket.requester


def test_zendesk_export_lines_and_page(storage, tmp_path):
    ticket = {
        "id": 55,
        "subject": "Waar is mijn pakket?",
        "description": "Ik wacht al een week. Groet, Jeroen de Vries, 06-12345678",
        "created_at": "2026-11-01T09:00:00Z",
        "via": {"channel": "email"},
        "requester_id": 7,
        "status": "solved",
        "comments": [
            {"author_id": 7, "public": True, "created_at": "2026-11-01T09:00:00Z"},
            {"author_id": 99, "public": True, "created_at": "2026-11-01T13:00:00Z"},
        ],
    }
    lines = tmp_path / "zendesk.json"
    lines.write_text(json.dumps(ticket) + "\n", encoding="utf-8")
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"tickets": [{**ticket, "id": 56}, "oops"]}), encoding="utf-8")
    assert import_file(lines, "zendesk", storage).stored == 1
    summary = import_file(page, "zendesk", storage)
    assert summary.stored == 1 and [r.row for r in summary.rejected] == [2]
    stored = {t.id: t for t in storage.iter_tickets()}
    assert stored["55"].locale == "nl" and stored["55"].channel == "email"
    assert "Jeroen" not in stored["55"].body and "[PHONE]" in stored["55"].body
    assert stored["55"].first_reply_at is not None and stored["55"].first_reply_at.hour == 13


@pytest.mark.parametrize("locale", LOCALES)
def test_language_of_each_ticket(locale):
    lines = [json.loads(line) for line in (TICKETS / f"{locale}.jsonl").read_text().splitlines()]
    found = [detect(f"{t['subject']}\n{t['body']}") for t in lines]
    assert sum(f == locale for f in found) / len(found) >= 0.97


def test_redaction_sets_per_locale():
    """Floors on the development sets the redactor was built against (targets: 0.99/0.98)."""
    records = [
        json.loads(line)
        for path in sorted(REDACTION.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    per_locale = {r["locale"] for r in records}
    assert len(per_locale) >= 3 and all(
        sum(r["locale"] == loc for r in records) >= 40 for loc in per_locale
    )
    scores = redaction_scores(records, redact)
    for locale, score in scores.items():
        assert score["recall"] >= 0.97, (locale, score)
        assert score["keep_precision"] >= 0.99, (locale, score)


@pytest.mark.parametrize(
    ("locale", "text", "gone", "kept"),
    [
        (
            "sv",
            "Hej! Jag heter Anna Lindqvist, ring 070-123 45 67. Order 100482, 1 299 kr.",
            ["Anna", "Lindqvist", "070-123 45 67"],
            ["100482", "1 299 kr"],
        ),
        (
            "da",
            "Min adresse er Nørrebrogade 45, 2. tv., 2200 København N. Mvh Lars Nielsen",
            ["Nørrebrogade 45", "2200 København", "Lars Nielsen"],
            ["Mvh"],
        ),
        (
            "pl",
            "Pozdrawiam, Katarzyna Nowak\nul. Marszałkowska 10/12 m. 5, 00-590 Warszawa",
            ["Katarzyna", "Marszałkowska 10", "00-590"],
            ["Pozdrawiam"],
        ),
        (
            "nl",
            "Met vriendelijke groet,\nJeroen de Vries\nKerkstraat 12A, 1017 GC Amsterdam",
            ["Jeroen de Vries", "Kerkstraat 12A", "1017 GC"],
            ["Met vriendelijke groet"],
        ),
        (
            "sv",
            "Paketet är på vägen 2 dagar, levereras till Malmö? storlek M",
            [],
            ["på vägen 2 dagar", "Malmö", "storlek M"],
        ),
        (
            "da",
            "ordrenummer 20265587 er ikke kommet, ring 20 12 34 56",
            ["20 12 34 56"],
            ["20265587"],
        ),
        ("sv", "Presentkort", [], ["Presentkort"]),  # a subject of one word
        ("sv", "Kan ni skicka till Granvägen 3 i Täby?", ["Granvägen 3"], ["i Täby"]),
        (
            "sv",
            "Fakturan ska till Berg Bygg AB.\nMvh Anders Berg",
            ["Anders Berg"],
            ["Berg Bygg AB"],
        ),
        ("pl", "Paczka nie doszła, zamówienie 120044. – Ewa K.", ["Ewa K."], ["120044"]),
        ("nl", "Top, dank jullie! Groetjes van sanne de jong", ["sanne de jong"], ["Top"]),
        ("da", "Send den til Storgata 8, 0155 Oslo", ["Storgata 8", "0155 Oslo"], ["Send"]),
    ],
)
def test_names_addresses_and_what_stays(locale, text, gone, kept):
    out = redact(text, locale)
    for piece in gone:
        assert piece not in out, (piece, out)
    for piece in kept:
        assert piece in out, (piece, out)


def test_clusters_cover_every_ticket_once_with_gaps_marked(tmp_path):
    path = TICKETS / "sv.jsonl"
    result = run("tickets", "clusters", "--from", str(path), "--format", "jsonl", "--json")
    assert result.returncode == 0, result.stderr
    clusters = json.loads(result.stdout)
    ids = [t for c in clusters for t in c["tickets"]]
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    assert sorted(ids) == sorted(t["id"] for t in lines)
    assert [c["size"] for c in clusters] == sorted((c["size"] for c in clusters), reverse=True)
    for cluster in clusters:
        assert set(cluster) >= {"id", "locale", "size", "label", "questions", "tickets", "article"}
        assert cluster["size"] == len(cluster["tickets"]) and cluster["locale"] == "sv"
        assert not EMAIL.search(cluster["label"])
    assert any(c["article"] is None for c in clusters)  # gaps
    assert any(c["article"] == "gift-card" for c in clusters)


@pytest.mark.parametrize("locale", LOCALES)
def test_cluster_quality_per_locale(locale):
    from faq_engine.config import load_settings, resolve_paths
    from faq_engine.engine import engine_from_settings
    from faq_engine.mining.clusters import cluster_tickets
    from faq_engine.mining.tickets import read_rows, to_ticket

    engine = engine_from_settings(resolve_paths(load_settings()))
    rows = list(read_rows(TICKETS / f"{locale}.jsonl", "jsonl"))
    found = [to_ticket(n, f, "jsonl", b"k") for n, f in rows]
    topic = {str(f["id"]): f["topic"] for _, f in rows}
    clusters = cluster_tickets(found, engine.sources(locale), engine.vocabulary)
    group = {t: c.id for c in clusters for t in c.tickets}
    h, _, v = v_measure([topic[t.id] for t in found], [group[t.id] for t in found])
    assert v >= 0.75 and h >= 0.9, (v, h)
    # The article that answers a ticket's group is its topic, or none for a gap topic.
    article = {t: c.article for c in clusters for t in c.tickets}
    known = engine.content.articles.get(locale, {})
    right = sum(article[t.id] == (topic[t.id] if topic[t.id] in known else None) for t in found)
    assert right / len(found) >= 0.52


def test_import_and_redact_commands(tmp_path):
    db = tmp_path / "db.sqlite"
    done = run("tickets", "import", str(TICKETS / "da.jsonl"), "--format", "jsonl", db=db)
    assert done.returncode == 0, done.stderr
    assert re.match(r"\d+ tickets stored \(da \d+\); 0 rows rejected", done.stdout)
    text = run("redact", "--locale", "sv", stdin="Mejla anna@example.se eller 070-123 45 67")
    assert text.stdout == "Mejla [EMAIL] eller [PHONE]"
    lines = run(
        "redact", "--locale", "pl", "--jsonl", stdin='{"text": "tel. 601 234 567", "x": 1}\nnope\n'
    )
    assert json.loads(lines.stdout) == {
        "text": "tel. 601 234 567",
        "x": 1,
        "redacted": "tel. [PHONE]",
    }
    assert lines.returncode == 1 and "line 2:" in lines.stderr


def test_v_measure_known_values():
    assert v_measure(["a", "a", "b", "b"], ["x", "x", "y", "y"]) == (1.0, 1.0, 1.0)
    h, c, v = v_measure(["a", "a", "b", "b"], ["x", "y", "z", "w"])
    assert h == 1.0 and c == pytest.approx(0.5) and v == pytest.approx(2 / 3)


def test_parallel_import_stores_the_same_as_serial(tmp_path):
    export = TICKETS / "nl.jsonl"
    serial = Storage(f"sqlite:///{tmp_path / 'one.sqlite'}")
    parallel = Storage(f"sqlite:///{tmp_path / 'two.sqlite'}")
    import_file(export, "jsonl", serial, batch_size=7)
    summary = import_file(export, "jsonl", parallel, batch_size=7, workers=2)
    assert summary.stored == serial.count_tickets()
    one = {t.id: (t.locale, t.subject, t.body) for t in serial.iter_tickets()}
    two = {t.id: (t.locale, t.subject, t.body) for t in parallel.iter_tickets()}
    assert one == two
