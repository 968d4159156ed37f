"""Staff-edited synonyms: ``content/_synonyms/<locale>.yml``.

The file is a YAML list of groups; each group lists words and phrases that mean the same to a
shopper of that shop, e.g. ``[återbetalning, refund, pengarna tillbaka]``. A query word found
in a group also matches every one-word member of the group; a phrase of several words is
matched as a whole and stands for the group's one-word members.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path

import yaml

from ..errors import Problem
from .analyzer import WORD, Analyzer, Word


@dataclass(frozen=True)
class Meaning:
    """What a group stands for: its one-word members' forms, and its first phrase's words."""

    forms: frozenset[str]
    parts: tuple[frozenset[str], ...]


@dataclass(frozen=True)
class Synonyms:
    analyzer: Analyzer
    groups: tuple[tuple[str, ...], ...] = ()
    _by_form: dict[str, Meaning] = field(default_factory=dict, compare=False)
    _phrases: tuple[tuple[tuple[frozenset[str], ...], Meaning], ...] = ()
    # Which phrases (by position in ``_phrases``) can start with a word of this key.
    _starting: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False)
    _key: Callable[[str], frozenset[str]] = field(default=lambda t: frozenset(), compare=False)

    @classmethod
    def build(cls, analyzer: Analyzer, groups: list[tuple[str, ...]]) -> Synonyms:
        by_form: dict[str, Meaning] = {}
        phrases = []
        for group in groups:
            single = [m for m in group if len(WORD.findall(m)) == 1]
            multi = [m for m in group if len(WORD.findall(m)) > 1]
            forms = frozenset().union(*(w.forms for m in single for w in analyzer.words(m)))
            parts = tuple(w.forms for w in analyzer.words(multi[0])) if multi else ()
            if not forms and not parts:
                continue
            meaning = Meaning(forms, parts)
            for member in single:
                for word in analyzer.words(member):
                    for form in word.forms:
                        by_form.setdefault(form, meaning)
            for member in multi:
                phrases.append((_keys(analyzer, member), meaning))
        # Longer phrases first, so "numer przesyłki" wins over a shorter overlapping one.
        phrases.sort(key=lambda item: -len(item[0]))
        starting: dict[str, list[int]] = {}
        for number, (phrase, _) in enumerate(phrases):
            for key in phrase[0]:
                starting.setdefault(key, []).append(number)
        return cls(
            analyzer,
            tuple(groups),
            by_form,
            tuple(phrases),
            {k: tuple(v) for k, v in starting.items()},
            lru_cache(maxsize=65536)(partial(_key, analyzer)),
        )

    def expand(self, text: str) -> list[Word]:
        """The query's words, each also matching its synonyms; known phrases as one word."""
        tokens = WORD.findall(text)
        keys = [self._key(t) for t in tokens]
        stops = [self.analyzer.word(t) is None and t.casefold() not in NEGATIONS for t in tokens]
        used = [False] * len(tokens)
        candidates = {n for ks in keys for k in ks for n in self._starting.get(k, ())}
        phrases = []
        for number in sorted(candidates):
            phrase, group = self._phrases[number]
            for i in range(len(tokens)):
                span = _span(phrase, keys, i, stops)
                if span is None or any(used[i:span]):
                    continue
                used[i:span] = [True] * (span - i)
                inner = [
                    t for t, stop in zip(tokens[i:span], stops[i:span], strict=True) if not stop
                ]
                surface = " ".join(self.analyzer.fold(t.casefold()) for t in tokens[i:span])
                own = tuple(w.forms for w in self.analyzer.words(" ".join(inner)))
                forms = group.forms or frozenset().union(*own)
                phrases.append(Word(surface, forms, group.parts or own))
                break
        words = []
        for token, taken in zip(tokens, used, strict=True):
            word = None if taken else self.analyzer.word(token)
            if word is None:
                continue
            meaning = next((self._by_form[f] for f in word.forms if f in self._by_form), None)
            if meaning is not None:
                word = replace(
                    word, forms=word.forms | meaning.forms, parts=word.parts or meaning.parts
                )
            words.append(word)
        return words + phrases


# Stop words that turn a phrase's meaning round: never passed over inside a phrase.
NEGATIONS = frozenset({"inte", "ej", "icke", "ikke", "ik", "nie", "niet", "geen", "not", "no"})


def _span(
    phrase: tuple[frozenset[str], ...], keys: list[frozenset[str]], start: int, stops: list[bool]
) -> int | None:
    """Where ``phrase`` ends when it starts at token ``start``, else None.

    One stop word may stand between two of its words, as shoppers write them: "przestańcie
    mi wysyłać" is "przestańcie wysyłać", "stoppe mine mails" is "stoppe mails"; a negation
    ("går ikke igennem") is never passed over.
    """
    at = start
    for number, want in enumerate(phrase):
        if at < len(keys) and not want.isdisjoint(keys[at]):
            at += 1
            continue
        if number and at + 1 < len(keys) and stops[at] and not want.isdisjoint(keys[at + 1]):
            at += 2
            continue
        return None
    return at


def _key(analyzer: Analyzer, token: str) -> frozenset[str]:
    """What a phrase's word matches in a query: the word as typed (diacritics folded) or,
    for a word that is not a stop word, any of its base forms ("byter adressen" is
    "byta adress")."""
    word = analyzer.word(token)
    typed = analyzer.fold(token.casefold())
    return frozenset({typed}) | (word.forms if word is not None else frozenset())


def _keys(analyzer: Analyzer, phrase: str) -> tuple[frozenset[str], ...]:
    return tuple(_key(analyzer, t) for t in WORD.findall(phrase))


def synonyms_path(content_dir: Path, locale: str) -> Path:
    return content_dir / "_synonyms" / f"{locale}.yml"


def load_synonyms(path: Path, shown: str) -> tuple[list[tuple[str, ...]], list[Problem]]:
    """The groups of a synonyms file, and a problem for each thing wrong with it."""
    if not path.exists():
        return [], []
    problems: list[Problem] = []
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return [], [Problem(shown, line, f"bad YAML: {getattr(exc, 'problem', exc)}")]
    if node is None:
        return [], []
    if not isinstance(node, yaml.SequenceNode):
        return [], [Problem(shown, 1, "synonyms must be a list of groups, e.g. - [a, b, c]")]
    groups: list[tuple[str, ...]] = []
    seen: dict[str, int] = {}
    for item in node.value:
        line = item.start_mark.line + 1
        members = (
            [m.value.strip() for m in item.value if isinstance(m, yaml.ScalarNode)]
            if isinstance(item, yaml.SequenceNode)
            else []
        )
        if not isinstance(item, yaml.SequenceNode) or len(members) != len(item.value):
            problems.append(Problem(shown, line, "a group must be a list of words or phrases"))
            continue
        members = [m for m in members if m]
        if len(members) < 2:
            problems.append(Problem(shown, line, "a group needs at least two members"))
            continue
        for member in members:
            key = member.casefold()
            if key in seen:
                problems.append(
                    Problem(shown, line, f"{member!r} is already in the group on line {seen[key]}")
                )
            seen.setdefault(key, line)
        groups.append(tuple(members))
    return groups, problems
