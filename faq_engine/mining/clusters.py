"""Recurring questions: tickets grouped per locale by what they ask.

Each ticket is reduced to the customer's question (greeting, signature, quoted replies and
mail boilerplate dropped) and analysed exactly as search analyses a query (base forms,
compound parts, the locale's synonyms), plus the FAQ articles its words point at. Tickets are
grouped by cosine similarity of those idf-weighted terms: a ticket joins the most similar
group when it is similar enough, else starts one; a second pass moves each ticket to the
group it is now closest to. Each group is then given to the search engine itself: the
questions nearest its centre are searched, and their top answers vote, weighed by the
engine's confidence that they answer. A clear and confident winner is the article that
already answers the group, else the group is a content gap. Groups given the same article
become one when the engine is sure of it or when their centres are near enough.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import multiprocessing
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from ..models import AnswerRequest, Ticket
from ..search import Sources, rank
from ..search.answers import CALIBRATION
from ..vocabulary import Vocabulary
from .people import CLOSING, GREETING

SIMILAR = 0.4  # cosine at which a ticket joins a group
ARTICLE_WEIGHT = 1.5  # the FAQ article a ticket's words point at, as one more term
RECENT_DAYS = 28
# Suggesting contexts for a new article from its nearest ones may look further than a
# shopper's search would (which rather shows the contact block).
ANSWER_THRESHOLD = 0.2
QUESTION_CHARS = 400

_QUOTE_START = re.compile(
    r"(?im)^(?:>|-{2,}\s*(?:original|ursprungligt|oprindelig|oorspronkelijk|oryginalna|"
    r"forwarded|vidarebefordrat|videresendt|doorgestuurd|przekazana|wiadomość przekazana)"
    # Mail programs' own lines before a forwarded message, in the five languages.
    r"|(?:begin forwarded message|början på vidarebefordrat|start på videresendt|"
    r"begin doorgestuurd bericht|doorgestuurd bericht|początek przekazywanej wiadomości)"
    r"|(?:from|från|fra|van|od|sent|skickat|sendt|verzonden|wysłano|to|till|til|aan|do):\s"
    r"|(?:on|den|d\.|op|w dniu|dnia)\b.{0,80}\b(?:wrote|skrev|schreef|napisał)\b"
    r"|(?:skickat från|sendt fra|verzonden vanaf|verstuurd vanaf|wysłane z|sent from) )"
)
_CLOSING_LINE = re.compile(rf"(?im)^[ \t]*(?:{CLOSING})\b")
_GREETING_LINE = re.compile(rf"(?i)^[ \t]*(?:{GREETING})\b[^.!?\n]{{0,40}}[,.!:]?[ \t]*$")
# "Hej! Vill skicka ...", "Hoi Norrgarn, kan ik ...": a greeting before the question on the
# same line, with the shop's or the reader's name at most.
_GREETING_START = re.compile(
    rf"(?i)^[ \t]*(?:{GREETING})(?:[ \t]+(?:\[NAME\]|(?-i:[A-ZÅÄÖÆØ]\w+)))?[ \t]*[,.!:]+[ \t]*"
)
_SPACE = re.compile(r"\s+")
# "Sv: Re: VB:", "Antw:", "Odp:": what a mail program puts before a subject it answers.
_REPLY_PREFIX = re.compile(
    r"(?i)^(?:(?:re|sv|svar|vs|vb|fw|fwd|vl|odp|pd|antw|doorst|wg|aw|tr)(?:\[\d+\])?\s*:\s*)+"
)
LENIENT = replace(CALIBRATION, threshold=ANSWER_THRESHOLD)
# Whether an article already answers a group: each question's top answer, whatever its
# confidence (the vote weighs it), and the thresholds below, chosen on the labelled ticket
# sets (`faq-engine measure clusters`: homogeneity, completeness, column "article").
VOTING = replace(CALIBRATION, threshold=0.0)
VOTERS = 5  # questions nearest a group's centre that are searched
VOTE_CONFIDENCE = 0.1  # below it, a group's article is too uncertain: a gap
MERGE_CONFIDENCE = 0.5  # from it, groups given the same article become one
NEAR_ARTICLE = 0.15  # centre cosine from which a group given an article joins its group


def question_of(ticket: Ticket) -> str:
    """The customer's own question: the subject and the new text of the message."""
    body = ticket.body
    quoted = _QUOTE_START.search(body)
    if quoted:
        body = body[: quoted.start()]
    closing = _CLOSING_LINE.search(body)
    if closing and closing.start() > 0:
        body = body[: closing.start()]
    lines = [line for line in body.splitlines() if line.strip()]
    while lines and _GREETING_LINE.match(lines[0]):
        lines.pop(0)
    text = " ".join(lines)
    subject = _REPLY_PREFIX.sub("", ticket.subject.strip())
    if subject and subject.casefold() not in text.casefold():
        joint = " " if subject[-1] in ".?!:" else ". "
        text = f"{subject}{joint}{text}" if text else subject
    return _SPACE.sub(" ", text).strip()[:QUESTION_CHARS]


@dataclass
class Group:
    members: list[int] = field(default_factory=list)
    centroid: dict[str, float] = field(default_factory=dict)
    _norm: float | None = None

    def add(self, vector: dict[str, float]) -> None:
        for term, weight in vector.items():
            self.centroid[term] = self.centroid.get(term, 0.0) + weight
        self._norm = None

    def norm(self) -> float:
        if self._norm is None:
            self._norm = math.sqrt(sum(w * w for w in self.centroid.values()))
        return self._norm

    def cosine(self, other: Group) -> float:
        """Cosine of the two groups' centres."""
        small, large = sorted((self.centroid, other.centroid), key=len)
        dot = sum(w * large.get(t, 0.0) for t, w in small.items())
        return dot / ((self.norm() * other.norm()) or 1.0)


@dataclass(frozen=True)
class Cluster:
    id: str
    locale: str
    size: int
    label: str
    questions: tuple[str, ...]
    tickets: tuple[str, ...]
    article: str | None
    recent: int
    earlier: int
    trend: float | None  # tickets a day lately over tickets a day before; None: all recent

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "locale": self.locale,
            "size": self.size,
            "label": self.label,
            "questions": list(self.questions),
            "tickets": list(self.tickets),
            "article": self.article,
            "trend": {"recent": self.recent, "earlier": self.earlier, "ratio": self.trend},
        }


def cluster_tickets(
    tickets: Iterable[Ticket], sources: Sources, vocabulary: Vocabulary
) -> list[Cluster]:
    """The recurring questions of one locale's tickets, largest first."""
    tickets = list(tickets)
    if not tickets or sources.primary is None:
        return []
    index = sources.primary
    corpus = index.corpus
    locale = index.locale
    questions = [question_of(t) for t in tickets]
    bags: list[Counter[str]] = []
    document_frequency: Counter[str] = Counter()
    for text in questions:
        words = corpus.query_words(text)
        bag: Counter[str] = Counter()
        for word in words:
            for term in word.terms:
                if not term.startswith("en:"):
                    bag[term] += 1
        known = sorted({t for w in words for t in w.terms})
        for article_id in index.candidates(known, limit=1):
            bag["@" + article_id] += 1
        bags.append(bag)
        document_frequency.update(bag.keys())
    n = len(bags)
    vectors = [_vector(bag, document_frequency, n) for bag in bags]
    groups = _group(vectors)
    # Groups the search engine answers with the same article ask the same thing in other
    # words ("hur returnerar man" and "skicka tillbaka tröjan"): they become one when the
    # engine is sure enough; the largest group of an article takes the others in.
    # An article's group, and how sure the engine is of that article for it.
    by_article: dict[str, tuple[Group, float]] = {}
    merged: list[tuple[Group, str | None]] = []
    for group in sorted(groups, key=lambda g: (-len(g.members), g.members[0])):
        closest = _closest(group, vectors)
        label = _label(closest, questions)
        article, confidence = _article(closest, questions, label, sources, vocabulary, locale)
        if article is None or confidence < VOTE_CONFIDENCE:
            merged.append((group, None))
        elif article in by_article and (
            # Sure of both groups' article, or close in words: a group given its article
            # by a doubtful vote does not take in the groups sure of it.
            min(confidence, by_article[article][1]) >= MERGE_CONFIDENCE
            or group.cosine(by_article[article][0]) >= NEAR_ARTICLE
        ):
            target = by_article[article][0]
            target.members.extend(group.members)
            for i in group.members:
                target.add(vectors[i])
        else:
            by_article.setdefault(article, (group, confidence))
            merged.append((group, article))
    dates = [t.created_at for t in tickets if t.created_at]
    period = (min(dates), max(dates)) if dates else None
    clusters = []
    for group, article in merged:
        members = group.members
        label = _label(_closest(group, vectors), questions)
        recent, earlier, trend = _trend([tickets[i] for i in members], period)
        ids = tuple(tickets[i].id for i in members)
        digest = hashlib.sha1(f"{locale}|{'|'.join(sorted(ids)[:20])}".encode()).hexdigest()
        samples = tuple(dict.fromkeys(questions[i] for i in _closest(group, vectors)))[:5]
        clusters.append(
            Cluster(
                id=f"{locale}-{digest[:10]}",
                locale=locale,
                size=len(members),
                label=label,
                questions=samples,
                tickets=ids,
                article=article,
                recent=recent,
                earlier=earlier,
                trend=trend,
            )
        )
    clusters.sort(key=lambda c: (-c.size, c.label))
    return clusters


def _vector(bag: Counter[str], df: Counter[str], n: int) -> dict[str, float]:
    vector = {}
    for term, count in bag.items():
        weight = (1 + math.log(count)) * math.log(1 + n / df[term])
        if term.startswith("@"):
            weight *= ARTICLE_WEIGHT
        vector[term] = weight
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {t: w / norm for t, w in vector.items()}


def _cosine(vector: dict[str, float], centroid: dict[str, float], norm: float) -> float:
    return sum(w * centroid.get(t, 0.0) for t, w in vector.items()) / (norm or 1.0)


def _group(vectors: list[dict[str, float]]) -> list[Group]:
    groups: list[Group] = []
    postings: dict[str, set[int]] = defaultdict(set)  # term -> groups whose centroid has it
    norms: list[float] = []

    def best(vector: dict[str, float]) -> tuple[int, float]:
        candidates: set[int] = set()
        for term, _ in sorted(vector.items(), key=lambda item: -item[1])[:6]:
            candidates |= postings.get(term, set())
        found, similarity = -1, 0.0
        for g in candidates:
            s = _cosine(vector, groups[g].centroid, norms[g])
            if s > similarity:
                found, similarity = g, s
        return found, similarity

    assignment = []
    for i, vector in enumerate(vectors):
        g, similarity = best(vector)
        if g < 0 or similarity < SIMILAR:
            groups.append(Group())
            norms.append(0.0)
            g = len(groups) - 1
        groups[g].members.append(i)
        groups[g].add(vector)
        norms[g] = math.sqrt(sum(w * w for w in groups[g].centroid.values()))
        for term in vector:
            postings[term].add(g)
        assignment.append(g)
    # Second pass: each ticket moves to the group it is now closest to (centroids fixed).
    final: dict[int, Group] = {}
    for i, vector in enumerate(vectors):
        g, similarity = best(vector)
        if g < 0 or similarity < SIMILAR:
            g = assignment[i]
        final.setdefault(g, Group()).members.append(i)
    for group in final.values():
        for i in group.members:
            group.add(vectors[i])
    return list(final.values())


def _closest(group: Group, vectors: list[dict[str, float]]) -> list[int]:
    norm = math.sqrt(sum(w * w for w in group.centroid.values()))
    return sorted(group.members, key=lambda i: -_cosine(vectors[i], group.centroid, norm))


def _label(closest: list[int], questions: list[str]) -> str:
    """A short, typical question of the group: the first sentence of one of the questions
    closest to its centre, the shortest that still says something (three words or more)."""
    sentences = [_first_sentence(questions[i]) for i in closest[:5]]
    useful = [s for s in sentences if len(s.split()) >= 3] or sentences
    return min(useful, key=len)


def _first_sentence(text: str) -> str:
    text = _GREETING_START.sub("", text, count=1) or text
    match = re.match(r"(.+?[?!.])(?:\s|$)", text)
    sentence = match.group(1) if match else text
    return sentence if len(sentence) <= 160 else sentence[:157].rsplit(" ", 1)[0] + "…"


def _article(
    members: list[int],
    questions: list[str],
    label: str,
    sources: Sources,
    vocabulary: Vocabulary,
    locale: str,
) -> tuple[str | None, float]:
    """The article the search engine gives for the group's questions, if they agree on it,
    and how sure it is (0 to 1).

    Each of the questions closest to the group's centre (and its label) is searched; its top
    answer gets a vote weighed by the search's own confidence that it answers. The winner
    must hold most of the weight; its weight over the questions asked is the confidence.
    """
    votes: dict[str, float] = defaultdict(float)
    asked = list(dict.fromkeys([label, *(questions[i] for i in members[:VOTERS])]))[:VOTERS]
    for question in asked:
        result = rank(AnswerRequest(locale, question), sources, vocabulary, calibration=VOTING)
        if result.answers:
            votes[result.answers[0].article.id] += result.decision.get("probability", 0.0)
    if not votes:
        return None, 0.0
    article, weight = max(votes.items(), key=lambda item: (item[1], item[0]))
    if weight * 2 <= sum(votes.values()):
        return None, 0.0
    return article, weight / len(asked)


def _trend(
    members: list[Ticket], period: tuple[dt.datetime, dt.datetime] | None
) -> tuple[int, int, float | None]:
    """Tickets in the last weeks of the period, before them, and the ratio of their rates;
    ``period`` is the first and last ticket's time of the whole locale."""
    if period is None:
        return len(members), 0, None
    first, latest = period
    cut = latest - dt.timedelta(days=RECENT_DAYS)
    dated = [t.created_at for t in members if t.created_at]
    recent = sum(1 for moment in dated if moment > cut)
    earlier = len(dated) - recent
    before = max(1.0, (cut - first).total_seconds() / 86400)
    rate_recent = recent / RECENT_DAYS
    rate_before = earlier / before
    if not rate_before:
        return recent, earlier, None
    return recent, earlier, round(rate_recent / rate_before, 2)


_JOB: tuple[Callable[[str], list[Ticket]], Callable[[str], Sources], Vocabulary] | None = None


def cluster_locales(
    locales: list[str],
    load: Callable[[str], list[Ticket]],
    sources: Callable[[str], Sources],
    vocabulary: Vocabulary,
    workers: int = 1,
) -> dict[str, list[Cluster]]:
    """Each locale's clusters; with ``workers`` > 1, locales are clustered side by side in
    forked processes (they share the loaded engine and read their own tickets)."""
    global _JOB
    if workers <= 1 or len(locales) <= 1:
        return {loc: cluster_tickets(load(loc), sources(loc), vocabulary) for loc in locales}
    _JOB = (load, sources, vocabulary)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(workers, len(locales))) as pool:
            found = pool.map(_cluster_one, locales)
    finally:
        _JOB = None
    return dict(zip(locales, found, strict=True))


def _cluster_one(locale: str) -> list[Cluster]:
    assert _JOB is not None
    load, sources, vocabulary = _JOB
    return cluster_tickets(load(locale), sources(locale), vocabulary)
