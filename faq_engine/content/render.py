"""Markdown to HTML, then sanitised: nothing a shopper sees is raw Markdown output."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import urlsplit

import markdown
import nh3

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
    "dl",
    "dt",
    "dd",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

ARTICLE_LINK = re.compile(r"^(?:\./)?(?P<id>[a-z0-9-]+)\.md(?:#(?P<anchor>[\w-]*))?$")


def article_links(body: str) -> list[tuple[int, str]]:
    """(0-based body line, target id) of every relative link to another article."""
    found = []
    for number, line in enumerate(body.splitlines()):
        for target in re.findall(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", line):
            match = ARTICLE_LINK.match(target)
            if match:
                found.append((number, match["id"]))
    return found


def render(body: str, link_url: Callable[[str], str | None]) -> str:
    """Render Markdown and sanitise it; ``link_url(id)`` maps an article link to its URL.

    A link whose article does not exist loses its ``href`` (the text stays).
    """
    raw = markdown.markdown(body, extensions=["sane_lists", "tables"], output_format="html")

    def rewrite(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            match = ARTICLE_LINK.match(value.strip())
            if match:
                url = link_url(match["id"])
                if url and match["anchor"]:
                    url += "#" + match["anchor"]
                return url
            scheme = urlsplit(value.strip()).scheme.lower()
            if scheme and scheme not in URL_SCHEMES:
                return None
        return value

    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=rewrite,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def plain_text(safe_html: str) -> str:
    """The words of sanitised HTML, for snippets and indexing."""
    text = nh3.clean(re.sub(r"</(p|li|h\d|tr|blockquote)>", r" \g<0>", safe_html), tags=set())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def snippet(text: str, limit: int = 160) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"
