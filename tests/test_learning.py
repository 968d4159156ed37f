"""The fitted parts of ranking: weights, the answer-or-not threshold, the English bridge,
and the shopper's page as a source of candidates."""

from __future__ import annotations

import random

from faq_engine.config import load_settings, resolve_paths
from faq_engine.engine import engine_from_settings
from faq_engine.index import fingerprint
from faq_engine.models import AnswerRequest
from faq_engine.search.answers import scored_candidates
from faq_engine.search.calibration import Calibration, with_threshold
from faq_engine.search.learning import Judged, fit_ranking, log_loss
from faq_engine.search.ranking import Weights


def test_fitting_learns_which_signal_finds_the_answer():
    rng = random.Random(7)
    queries = []
    for _ in range(60):
        # The judged answer has the best question overlap; BM25 is noise.
        candidates = [{"phrasing": rng.random() * 0.5, "bm25": rng.random()} for _ in range(6)]
        candidates[0]["phrasing"] = 0.6 + rng.random() * 0.4
        queries.append(Judged(tuple(candidates), (0,)))
    start = Weights(phrasing=0.0, bm25=1.0)
    fitted = fit_ranking(queries, start, steps=300)
    assert fitted.phrasing > 2 * abs(fitted.bm25)
    assert log_loss(queries, fitted) < log_loss(queries, start)


def test_threshold_is_the_lowest_that_declines_the_rate_asked_for():
    model = Calibration({"match": 10.0}, -5.0)
    samples = [({"match": m}, False) for m in (0.1, 0.2, 0.3, 0.45, 0.6)]
    samples += [({"match": 0.9}, True)]
    groups = ["sv"] * len(samples)
    # Declining 80 % of the five unanswerable queries means all but the 0.6 one.
    chosen = with_threshold(model, samples, groups, 0.8)
    declined = [model.probability(f) < chosen.threshold for f, label in samples if not label]
    assert declined == [True, True, True, True, False]
    assert with_threshold(model, samples, groups, 0.8).threshold < model.probability({"match": 0.6})


def _engine(content_dir, tmp_path):
    settings = load_settings(
        {"FAQ_CONTENT_DIR": str(content_dir), "FAQ_INSTANCE_DIR": str(tmp_path / "instance")}
    )
    return engine_from_settings(resolve_paths(settings))


def test_english_words_mixed_in_match_through_the_english_article(
    make_app, shop, write_article, content_dir
):
    client = make_app().test_client()

    def ids(q: str) -> list[str]:
        reply = client.get("/api/v1/answers", query_string={"locale": "sv", "q": q})
        return [a["id"] for a in reply.json["answers"]]

    assert ids("payment options") == []
    write_article(
        "en",
        "payment-methods",
        title="How can I pay?",
        body="Pay by card, Swish or Klarna invoice. Every payment option is shown at checkout.",
        contexts=["checkout.payment"],
    )
    client = make_app().test_client()
    assert ids("payment options")[:1] == ["payment-methods"]


def test_the_english_article_is_part_of_the_index_fingerprint(shop, content_dir, tmp_path):
    engine = _engine(content_dir, tmp_path)
    articles = engine.articles("sv")
    corpus = engine.sources("sv").primary.corpus
    assert corpus.bridged["delivery-time"]
    assert fingerprint("sv", articles, corpus.bridged) != fingerprint("sv", articles)


def test_the_shoppers_page_gives_candidates_that_share_no_word(shop, content_dir, tmp_path):
    engine = _engine(content_dir, tmp_path)
    request = AnswerRequest("sv", "blir det dyrt", "checkout.delivery")
    scored, _ = scored_candidates(request, engine.sources("sv"), engine.vocabulary)
    found = {s.article.id for s in scored}
    assert {"delivery-time", "delivery-cost"} <= found
    assert "care-wool" not in found
    without_page = AnswerRequest("sv", "blir det dyrt")
    assert not scored_candidates(without_page, engine.sources("sv"), engine.vocabulary)[0]
