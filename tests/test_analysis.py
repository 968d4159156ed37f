"""The analysis per locale: spellings that meet, stop words, and the question's wording."""

from __future__ import annotations

import pytest
import yaml

from faq_engine.analysis import analyzer_for
from faq_engine.analysis.analyzer import Analyzer
from faq_engine.search.calibration import titles_and_bodies


def forms(locale: str, token: str) -> frozenset[str]:
    word = analyzer_for(locale).word(token)
    assert word is not None, (locale, token)
    return word.forms


@pytest.mark.parametrize(
    ("locale", "written", "typed"),
    [
        ("da", "størrelse", "storrelse"),  # ø typed as a bare o
        ("da", "størrelse", "stoerrelse"),  # ... or as oe
        ("da", "ændre", "aendre"),
        ("da", "få", "fa"),  # å typed as a bare a
        ("da", "tåle", "taale"),  # ... or as aa
        ("sv", "hämta", "hamta"),
        ("sv", "försenad", "forsenad"),
        ("pl", "zamówienie", "zamowienie"),
        ("pl", "odebrać", "odebrac"),
        ("nl", "bijzonder", "byzonder"),
    ],
)
def test_a_word_typed_without_its_letters_meets_the_written_one(locale, written, typed):
    assert forms(locale, written) & forms(locale, typed)


@pytest.mark.parametrize(
    ("locale", "token"),
    [("da", "hvornår"), ("da", "hvornar"), ("sv", "gör"), ("nl", "doe"), ("pl", "czego")],
)
def test_question_words_and_fillers_are_stop_words_with_or_without_diacritics(locale, token):
    assert analyzer_for(locale).word(token) is None


def test_the_wording_keeps_stop_words_marked():
    wording = analyzer_for("sv").wording("Hur gör jag en retur?")
    assert {"~hur", "~jag", "~en"} <= wording
    assert forms("sv", "retur") <= wording


def test_a_query_of_stop_words_is_answered_by_the_question_put_like_it(make_app, write_article):
    # Ids in an order the wording must overturn: equally placed articles otherwise come
    # in the order of their ids.
    for article_id, title in (
        ("a-cost", "Vad kostar en retur?"),
        ("b-how", "Hur gör jag en retur?"),
        ("c-refund", "När får jag tillbaka pengarna?"),
    ):
        write_article(
            "sv", article_id, title=title, body="Text om returer.", contexts=["order.returns"]
        )
    client = make_app().test_client()

    def top(q: str) -> str:
        query = {"locale": "sv", "q": q, "context": "order.returns"}
        return client.get("/api/v1/answers", query_string=query).json["answers"][0]["id"]

    assert top("hur gör jag") == "b-how"
    assert top("när då") == "c-refund"


def test_titles_and_bodies_strips_questions_tags_and_synonyms(tmp_path, content_dir, write_article):
    write_article(
        "sv",
        "gift-card",
        title="Hur använder jag ett presentkort?",
        body="Ange koden i kassan.",
        questions=["presentkort"],
        tags=["gåvokort"],
    )
    (content_dir / "_synonyms").mkdir()
    (content_dir / "_synonyms" / "sv.yml").write_text("- [presentkort, gift card]\n")
    target = tmp_path / "bare"
    assert titles_and_bodies(content_dir, target) == 1
    assert not (target / "_synonyms").exists()
    text = (target / "sv" / "gift-card.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---")[1])
    assert meta["title"] == "Hur använder jag ett presentkort?"
    assert "questions" not in meta and "tags" not in meta
    assert text.rstrip().endswith("Ange koden i kassan.")


def _with_lexicon(locale: str, article_words: set[str]) -> Analyzer:
    """The locale's analysis when the articles use ``article_words`` (any inflection)."""
    analyzer = analyzer_for(locale)
    return analyzer.with_lexicon(frozenset().union(*(analyzer.forms(w) for w in article_words)))


def _split(locale: str, article_words: set[str], word: str) -> tuple[str, ...]:
    """How ``word`` splits when the articles use ``article_words`` (any inflection)."""
    split = _with_lexicon(locale, article_words).split
    assert split is not None
    return split(word)


@pytest.mark.parametrize(
    ("locale", "article_words", "word", "parts"),
    [
        ("sv", {"retur", "frakt"}, "returfrakt", ("retur", "frakt")),
        ("nl", {"verzend", "kosten"}, "verzendkosten", ("verzend", "kosten")),
        ("sv", {"presentkort", "saldo"}, "presentkortssaldo", ("presentkort", "saldo")),  # -s-
        # Three parts, each a word of the articles.
        ("nl", {"wachtwoord", "herstel", "mail"}, "wachtwoordherstelmail",
         ("wachtwoord", "herstel", "mail")),
        ("da", {"fragt", "fri", "grænse"}, "fragtfrigrænse", ("fragt", "fri", "grænse")),
    ],
)  # fmt: skip
def test_a_shoppers_compound_splits_into_the_parts_the_articles_use(
    locale, article_words, word, parts
):
    assert _split(locale, article_words, word) == parts


def test_a_compound_splits_only_when_every_part_is_a_word_of_the_articles():
    # "stövlar" is Swedish, but no article uses it: "läderstövlar" stays whole.
    assert _split("sv", {"läder", "skor"}, "läderstövlar") == ("läderstövlar",)
    assert _split("sv", {"returfrakt", "retur"}, "returfrakt") == ("returfrakt",)
    # Too short a word, or one with digits, is never split.
    assert _split("sv", {"ret", "ur"}, "retur") == ("retur",)
    assert _split("nl", {"verzend", "kosten"}, "verzend2kosten") == ("verzend2kosten",)


def test_the_wording_holds_a_compounds_parts():
    # "cadeaubonsaldo opvragen" is put like "hoe vraag ik het saldo van mijn cadeaubon op":
    # the parts meet the question's words, the whole compound does not.
    wording = _with_lexicon("nl", {"cadeaubon", "saldo"}).wording("cadeaubonsaldo opvragen")
    assert forms("nl", "cadeaubon") | forms("nl", "saldo") <= wording
    assert forms("nl", "cadeaubonsaldo") <= wording
    unsplit = analyzer_for("nl").wording("cadeaubonsaldo opvragen")
    assert not (forms("nl", "saldo") <= unsplit)
