from __future__ import annotations

import os
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from faq_engine import create_app

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
WriteArticle = Callable[..., Path]
# The server scripts/setup-tests.sh starts; .ci/run exports the same.
POSTGRES = os.environ.get(
    "FAQ_TEST_POSTGRES_URL", "postgresql+psycopg://faq_test:faq_test@127.0.0.1:5432/faq_test"
)


def _postgres_or_skip() -> sa.Engine:
    """The server's maintenance connection; in CI a missing server fails the test."""
    engine = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        engine.dispose()
        reason = f"no PostgreSQL server at FAQ_TEST_POSTGRES_URL ({POSTGRES}): {exc.orig}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason + "; sh scripts/setup-tests.sh starts one")
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind: a SQLite file, or a new database on the server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    yield from _new_postgres_database()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty database on the test server (several instances of the app share it)."""
    yield from _new_postgres_database()


def _new_postgres_database() -> Iterator[str]:
    admin = _postgres_or_skip()
    name = f"faq_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def article_text(
    title: str | None = "A title",
    body: str = "Some body text.",
    **meta: object,
) -> str:
    import yaml

    front = dict(meta)
    if title is not None:
        front = {"title": title, **front}
    return (
        "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body + "\n"
    )


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    return folder


@pytest.fixture
def write_article(content_dir: Path) -> WriteArticle:
    def write(locale: str, article_id: str, raw: str | None = None, **fields: object) -> Path:
        path = content_dir / locale / f"{article_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            textwrap.dedent(raw) if raw is not None else article_text(**fields), encoding="utf-8"
        )
        return path

    return write


@pytest.fixture
def make_app(tmp_path: Path, content_dir: Path):  # type: ignore[no-untyped-def]
    def make(**config: object):  # type: ignore[no-untyped-def]
        settings = {
            "FAQ_CONTENT_DIR": str(content_dir),
            "FAQ_INSTANCE_DIR": str(tmp_path / "instance"),
            "TESTING": True,
            **config,
        }
        return create_app(settings)

    return make


@pytest.fixture
def shop(write_article: WriteArticle) -> None:
    """A small shop in Swedish (and one English-only article) covering the context rules."""
    sv = [
        (
            "delivery-time",
            "Hur lång tid tar leveransen?",
            ["checkout.delivery", "order.tracking"],
            [],
            ["När kommer mitt paket?"],
            "Leveransen tar 1–3 vardagar med PostNord.",
        ),
        (
            "delivery-cost",
            "Vad kostar frakten?",
            ["checkout.delivery", "cart"],
            [],
            ["Vad kostar leveransen?"],
            "Frakten kostar 49 kr. Fri frakt över 599 kr.",
        ),
        (
            "payment-methods",
            "Hur kan jag betala?",
            ["checkout.payment"],
            [],
            ["Vilka betalsätt finns?"],
            "Du kan betala med kort, Swish och Klarna faktura.",
        ),
        (
            "return-cost",
            "Kostar det att returnera?",
            ["checkout.returns", "order.returns"],
            [],
            ["Är returen gratis?"],
            "En retur kostar 49 kr som dras från återbetalningen.",
        ),
        (
            "track-order",
            "Var är mitt paket?",
            ["order.tracking"],
            [],
            ["Hur spårar jag min order?"],
            "Spåra paketet med länken i leveransbeskedet.",
        ),
        (
            "care-wool",
            "Hur tvättar jag ull?",
            ["product.care"],
            ["wool"],
            ["Kan ull tvättas i maskin?"],
            "Tvätta ull i ullprogram på 30 grader och torka plant.",
        ),
        (
            "care-silk",
            "Hur tvättar jag siden?",
            ["product.care"],
            ["silk"],
            ["Kan siden tvättas i maskin?"],
            "Handtvätta siden i ljummet vatten utan att vrida.",
        ),
        (
            "contact-customer-service",
            "Hur kontaktar jag kundservice?",
            ["general"],
            [],
            ["Hur når jag er?"],
            "Chatta med oss vardagar 08–17 eller mejla oss.",
        ),
    ]
    for article_id, title, contexts, categories, questions, body in sv:
        fields: dict[str, object] = {"contexts": contexts, "questions": questions}
        if categories:
            fields["categories"] = categories
        write_article("sv", article_id, title=title, body=body, **fields)
    write_article(
        "en",
        "size-guide",
        title="Which size should I choose?",
        body="Measure your chest and compare with the size chart.",
        contexts=["product.sizing"],
        questions=["What size am I?"],
    )
    write_article(
        "en",
        "delivery-time",
        title="How long does delivery take?",
        body="Delivery takes 2-5 days.",
        contexts=["checkout.delivery"],
    )
