"""Plain BM25 without language analysis: what every ``eval`` figure is compared against.

Lower-cased words, no stemming, folding, stop words, compounds, typo correction, context or
no-answer decision: the top five BM25F hits over title, questions, tags and body.
"""

from __future__ import annotations

from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.query import Or, Term

from .content import ContentSet
from .models import Answer, AnswerRequest, AnswerResult

FIELDS = ("title", "questions", "tags", "body")


class Baseline:
    def __init__(self, content: ContentSet) -> None:
        self.analyzer = RegexTokenizer(r"\w+") | LowercaseFilter()
        schema = Schema(id=ID(stored=True), **{f: TEXT(analyzer=self.analyzer) for f in FIELDS})
        self.indexes = {}
        self.articles = content.articles
        for locale, by_id in content.articles.items():
            ix = RamStorage().create_index(schema)
            writer = ix.writer()
            for a in by_id.values():
                writer.add_document(
                    id=a.id,
                    title=a.title,
                    questions="\n".join(a.questions),
                    tags=" ".join(a.tags),
                    body=a.text,
                )
            writer.commit()
            self.indexes[locale] = ix

    def answers(self, request: AnswerRequest) -> AnswerResult:
        terms = sorted({t.text for t in self.analyzer(request.query)})
        ix = self.indexes.get(request.locale)
        if ix is None or not terms:
            return AnswerResult(request, ())
        query = Or([Term(f, t) for t in terms for f in FIELDS])
        with ix.searcher() as searcher:
            hits = searcher.search(query, limit=request.limit)
            found = [(hit["id"], hit.score) for hit in hits]
        by_id = self.articles[request.locale]
        return AnswerResult(request, tuple(Answer(by_id[i], s) for i, s in found))
