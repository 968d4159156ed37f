"""The embeddable help widget: ``/widget.js`` and its strings, ``/widget/<locale>.json``.

The script and its stylesheet are read once per app and served as one file (the stylesheet
goes into the script, where the widget puts it in its shadow root). The strings come from the
same Babel catalogs as the help pages.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request

from ..config import PROJECT_ROOT
from .services import get_services
from .site import CHANNELS, N_, translations_for

bp = Blueprint("widget", __name__)
WIDGET_DIR = PROJECT_ROOT / "static" / "widget"
PLACEHOLDER = "__CSS__"  # where the stylesheet goes in the script

# What the widget says, by key; msgids are English and translated in locales/.
STRINGS: dict[str, str] = {
    "heading": N_("Questions? Find the answer here"),
    "label": N_("Search the help"),
    "placeholder": N_("Ask a question, e.g. how long delivery takes"),
    "answers": N_("Answers"),
    "found": N_("Answers found: %(num)s"),
    "none": N_("No answer found"),
    "no_answer": N_("We have no answer to that question yet. Our customer service will help you."),
    "did_you_mean": N_("Showing answers for “%(suggestion)s”"),
    "contact": N_("Contact customer service"),
    "contact_link": N_("Contact us"),
    "open_now": N_("open now"),
    "opens_at": N_("opens at %(time)s"),
    "opens_day": N_("opens %(day)s at %(time)s"),
    "closed": N_("closed"),
    "email": N_("E-mail: we answer within %(hours)s hours."),
    "help_search": N_("Search the help centre"),
    "read_more": N_("Open in the help centre"),
    "back": N_("Back to the answers"),
    "helpful": N_("Was this helpful?"),
    "yes": N_("Yes"),
    "no": N_("No"),
    "thanks": N_("Thank you for your feedback!"),
    "error": N_("The help could not be reached. Please try again."),
}


@cache
def bundle(folder: Path = WIDGET_DIR) -> tuple[bytes, str]:
    """The widget's script with its stylesheet inside, and an ETag for it."""
    script = (folder / "widget.js").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", (folder / "widget.css").read_text(encoding="utf-8"), flags=re.S)
    css = " ".join(line.strip() for line in css.splitlines() if line.strip())
    if script.count(PLACEHOLDER) != 1:
        raise ValueError(f"{folder / 'widget.js'} must hold {PLACEHOLDER!r} exactly once")
    body = script.replace(PLACEHOLDER, json.dumps(css, ensure_ascii=False)).encode("utf-8")
    return body, hashlib.sha256(body).hexdigest()[:16]


def strings_for(locale: str) -> dict[str, Any]:
    translations = translations_for(locale)

    def say(message: str) -> str:
        return translations.gettext(message) if translations else message

    return {
        **{key: say(message) for key, message in STRINGS.items()},
        "channels": {key: say(message) for key, message in CHANNELS.items()},
    }


@bp.get("/widget.js")
def script() -> Any:
    body, etag = bundle()
    response = Response(body, mimetype="text/javascript")
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response.make_conditional(request)


@bp.get("/widget/<locale>.json")
def strings(locale: str) -> Any:
    if locale not in get_services().engine.locales:
        abort(404)
    response = jsonify({"locale": locale, "strings": strings_for(locale)})
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
