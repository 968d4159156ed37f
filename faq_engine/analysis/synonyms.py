"""Staff-edited synonyms: ``content/_synonyms/<locale>.yml``.

The file is a YAML list of groups; each group lists words and phrases that mean the same to a
shopper of that shop, e.g. ``[återbetalning, refund, pengarna tillbaka]``. A query word found
in a group also matches every one-word member of the group; a phrase of several words is
matched as a whole and stands for the group's one-word members.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from ..errors import Problem
from .analyzer import WORD, Analyzer, Word


@dataclass(frozen=True)
class Synonyms:
    analyzer: Analyzer
    groups: tuple[tuple[str, ...], ...] = ()
    _by_form: dict[str, frozenset[str]] = field(default_factory=dict, compare=False)
    _phrases: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = ()

    @classmethod
    def build(cls, analyzer: Analyzer, groups: list[tuple[str, ...]]) -> Synonyms:
        by_form: dict[str, set[str]] = {}
        phrases = []
        for group in groups:
            single = [m for m in group if len(WORD.findall(m)) == 1]
            forms = frozenset().union(*(w.forms for m in single for w in analyzer.words(m)))
            for member in single:
                for word in analyzer.words(member):
                    for form in word.forms:
                        by_form.setdefault(form, set()).update(forms)
            for member in group:
                tokens = tuple(analyzer.fold(t.casefold()) for t in WORD.findall(member))
                if len(tokens) > 1 and forms:
                    phrases.append((tokens, forms))
        return cls(
            analyzer,
            tuple(groups),
            {k: frozenset(v) for k, v in by_form.items()},
            tuple(phrases),
        )

    def expand(self, text: str) -> list[Word]:
        """The query's words, each also matching its synonyms; known phrases as one word."""
        tokens = WORD.findall(text)
        folded = [self.analyzer.fold(t.casefold()) for t in tokens]
        used = [False] * len(tokens)
        phrases = []
        for phrase, forms in self._phrases:
            n = len(phrase)
            for i in range(len(tokens) - n + 1):
                if tuple(folded[i : i + n]) == phrase and not any(used[i : i + n]):
                    used[i : i + n] = [True] * n
                    phrases.append(Word(" ".join(folded[i : i + n]), forms))
                    break
        words = []
        for token, taken in zip(tokens, used, strict=True):
            word = None if taken else self.analyzer.word(token)
            if word is None:
                continue
            more = frozenset().union(*(self._by_form.get(f, frozenset()) for f in word.forms))
            words.append(replace(word, forms=word.forms | more) if more else word)
        return words + phrases


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
