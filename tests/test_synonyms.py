"""Staff-edited synonyms: validated by check, applied to queries."""

from __future__ import annotations

from tests.test_content import problems_of


def test_synonyms_match_words_and_phrases(make_app, write_article, content_dir):
    write_article(
        "sv",
        "refund-time",
        title="När får jag tillbaka pengarna?",
        body="Återbetalningen görs inom 5 bankdagar.",
        contexts=["order.returns"],
    )
    write_article(
        "sv",
        "delivery-time",
        title="Hur lång tid tar leveransen?",
        body="Leveransen tar 1–3 dagar.",
        contexts=["checkout.delivery"],
    )
    client = make_app().test_client()

    def top(q: str) -> list[str]:
        return [
            a["id"]
            for a in client.get("/api/v1/answers", query_string={"locale": "sv", "q": q}).json[
                "answers"
            ]
        ]

    assert top("refund") == []
    (content_dir / "_synonyms").mkdir()
    (content_dir / "_synonyms" / "sv.yml").write_text(
        "- [återbetalning, refund, money back]\n- [leverans, frakt, delivery]\n", encoding="utf-8"
    )
    client = make_app().test_client()
    assert top("refund") == ["refund-time"]
    assert top("money back") == ["refund-time"]
    assert top("delivery") == ["delivery-time"]


def test_bad_synonyms_are_reported_with_line(content_dir, write_article):
    write_article("sv", "a", title="Fråga", body="Svar.")
    (content_dir / "_synonyms").mkdir()
    (content_dir / "_synonyms" / "sv.yml").write_text(
        "- [retur, returnera]\n- [ensam]\n- just text\n- [Retur, skicka tillbaka]\n",
        encoding="utf-8",
    )
    (content_dir / "_synonyms" / "da.yml").write_text("- [a, b\n", encoding="utf-8")
    (content_dir / "_synonyms" / "notes.txt").write_text("x", encoding="utf-8")
    assert problems_of(content_dir) == [
        "content/_synonyms/da.yml:2: bad YAML: expected ',' or ']', but got '<stream end>'",
        "content/_synonyms/notes.txt:0: expected <locale>.yml, e.g. sv.yml",
        "content/_synonyms/sv.yml:2: a group needs at least two members",
        "content/_synonyms/sv.yml:3: a group must be a list of words or phrases",
        "content/_synonyms/sv.yml:4: 'Retur' is already in the group on line 1",
    ]


def test_phrases_match_inflections_and_a_stop_word_between_but_not_a_negation():
    from faq_engine.analysis import analyzer_for
    from faq_engine.analysis.synonyms import Synonyms

    synonyms = Synonyms.build(
        analyzer_for("sv"),
        [("leveransadress", "byta adress"), ("orderbekräftelse", "gick igenom")],
    )

    def surfaces(text: str) -> list[str]:
        return [w.surface for w in synonyms.expand(text)]

    assert "byter adressen" in surfaces("jag byter adressen")  # inflected words
    assert "gick nu igenom" in surfaces("gick nu igenom")  # one stop word between
    assert surfaces("betalningen gick inte igenom") == ["betalningen", "gick", "igenom"]
