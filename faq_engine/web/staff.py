"""The staff workspace: recurring questions from past tickets, promoted into FAQ articles.

Every page needs a signed-in staff member; every form carries a CSRF token (Flask-WTF).
Publishing validates the draft exactly as ``faq-engine check`` does, writes the article
atomically with its previous version kept, and reloads the engine so the answer is live.
"""

from __future__ import annotations

import functools
import re
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from ..content.frontmatter import FrontMatterError, compose, parse
from ..content.loader import check_article
from ..content.publish import article_path, diff, history, publish
from ..content.render import render as render_markdown
from ..mining.clusters import LENIENT, Cluster
from ..mining.tickets import FORMATS, import_file
from ..models import AnswerRequest
from ..search import rank
from .figures import ticket_clusters
from .services import get_services
from .site import N_, gettext, render

bp = Blueprint("staff", __name__, url_prefix="/staff")
ROLES = ("editor", "admin")


@bp.context_processor
def content_problems() -> dict[str, Any]:
    """Broken content files, shown on every workspace page until they are fixed."""
    return {"content_problems": get_services().engine.content.problems}


def login_required(role: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            email = session.get("staff")
            user = get_services().storage.user(email) if email else None
            if user is None:
                session.pop("staff", None)
                return redirect(url_for("staff.login", next=request.full_path))
            if role is not None and user["role"] != role:
                abort(403)
            g.staff = user
            return view(*args, **kwargs)

        return wrapped

    return decorate


def staff_locale() -> str:
    """The signed-in member's language (their setting), else the workspace's."""
    chosen = (getattr(g, "staff", None) or {}).get("locale")
    return str(chosen or get_services().settings["FAQ_STAFF_LOCALE"])


def page(template: str, **context: Any) -> str:
    locale = staff_locale()
    return render(f"staff/{template}", locale, staff=getattr(g, "staff", None), **context)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error = None
    if request.method == "POST":
        email = (request.form.get("email") or "").strip()
        user = get_services().storage.user(email) if email else None
        if user and check_password_hash(user["password_hash"], request.form.get("password", "")):
            session.clear()
            session["staff"] = user["email"]
            target = request.args.get("next") or ""
            # Only a path on this site: never send a signed-in user elsewhere.
            if not target.startswith("/staff") or target.startswith("//"):
                target = url_for("staff.dashboard")
            return redirect(target)
        error = N_("Wrong e-mail address or password.")
    return page("login.html", error=error), 401 if error else 200


@bp.post("/logout")
def logout() -> Any:
    session.clear()
    return redirect(url_for("staff.login"))


@bp.get("/")
@login_required()
def home() -> Any:
    return redirect(url_for("staff.dashboard"))


def _cluster(cluster_id: str) -> Cluster:
    locale = cluster_id.split("-", 1)[0]
    if locale not in get_services().engine.locales:
        abort(404)
    found = next((c for c in ticket_clusters(locale) if c.id == cluster_id), None)
    if found is None:
        abort(404)
    return found


@bp.route("/import", methods=["GET", "POST"])
@login_required()
def import_tickets() -> Any:
    """Upload an export: the same import as ``faq-engine tickets import``."""
    summary = None
    if request.method == "POST":
        upload = request.files.get("file")
        fmt = request.form.get("format", "")
        if upload is None or not upload.filename or fmt not in FORMATS:
            abort(400, "choose a file and its format")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export"
            upload.save(path)
            try:
                summary = import_file(path, fmt, get_services().storage)
            except ValueError as exc:
                flash(str(exc), "error")
    return page("import.html", summary=summary, formats=FORMATS)


@bp.get("/clusters")
@login_required()
def clusters() -> Any:
    engine = get_services().engine
    locales = engine.locales
    locale = request.args.get("locale") or next(
        (x for x in ("sv", "da", "pl", "nl") if x in locales), locales[0]
    )
    if locale not in locales:
        abort(404)
    gaps = request.args.get("gaps") == "1"
    order = request.args.get("sort", "size")
    shown = [c for c in ticket_clusters(locale) if not gaps or c.article is None]
    if order == "trend":
        shown.sort(key=lambda c: (-(c.trend or 0.0), -c.size))
    return page(
        "clusters.html", clusters=shown, chosen=locale, locales=locales, gaps=gaps, sort=order
    )


@bp.get("/clusters/<cluster_id>")
@login_required()
def cluster(cluster_id: str) -> Any:
    found = _cluster(cluster_id)
    wanted = set(found.tickets)
    tickets = [t for t in get_services().storage.iter_tickets(found.locale) if t.id in wanted]
    article = get_services().engine.content.get(found.locale, found.article or "")
    return page("cluster.html", cluster=found, tickets=tickets[:200], article=article)


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold().replace("ł", "l").replace("ø", "o"))
    ascii_text = folded.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "new-article"


def suggest_draft(locale: str, label: str, questions: Sequence[str], source: str) -> str:
    """A draft for a recurring question: its label as title, its phrasings as questions,
    the contexts of the nearest articles."""
    engine = get_services().engine
    nearest = rank(
        AnswerRequest(locale, label, limit=3),
        engine.sources(locale),
        engine.vocabulary,
        calibration=LENIENT,
    )
    contexts: list[str] = []
    for answer in nearest.answers:
        for context in answer.article.contexts:
            if context not in contexts:
                contexts.append(context)
    title = label if len(label) <= 120 else label[:117].rsplit(" ", 1)[0] + "…"
    asked = [q if len(q) <= 140 else q[:137].rsplit(" ", 1)[0] + "…" for q in questions]
    fields = {
        "title": title,
        "contexts": contexts[:3] or ["general"],
        "questions": [q for q in asked if q != title][:5],
        "source": source,
    }
    return compose(fields, "")


def start_draft(
    locale: str, label: str, questions: Sequence[str], source: str, cluster: str | None = None
) -> Any:
    """Save a new draft for the question and open it in the editor."""
    article_id = _free_id(locale, _slug(label))
    text = suggest_draft(locale, label, questions, source)
    draft_id = get_services().storage.save_draft(
        locale, article_id, text, g.staff["email"], cluster
    )
    return redirect(url_for("staff.draft", draft_id=draft_id))


@bp.post("/clusters/<cluster_id>/promote")
@login_required()
def promote(cluster_id: str) -> Any:
    found = _cluster(cluster_id)
    return start_draft(found.locale, found.label, found.questions, f"tickets {found.id}", found.id)


def _free_id(locale: str, wanted: str) -> str:
    content = get_services().engine.content
    candidate, n = wanted, 2
    while content.get(locale, candidate) is not None:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


@bp.post("/clusters/<cluster_id>/phrasings")
@login_required()
def add_phrasings(cluster_id: str) -> Any:
    """A covered cluster's questions become ``questions`` of the article that answers it."""
    found = _cluster(cluster_id)
    services = get_services()
    if found.article is None:
        abort(400, "this cluster has no article yet: promote it instead")
    path = article_path(services.engine.content_dir, found.locale, found.article)
    text = path.read_text(encoding="utf-8")
    parsed = parse(text)
    chosen = [q.strip() for q in request.form.getlist("question") if q.strip()]
    questions = list(parsed.meta.get("questions") or [])
    seen = {q.casefold() for q in questions} | {str(parsed.meta.get("title", "")).casefold()}
    questions += [q for q in chosen if q.casefold() not in seen]
    meta = {**parsed.meta, "questions": questions}
    return _publish_checked(found.locale, found.article, compose(meta, parsed.body), None)


def _publish_checked(locale: str, article_id: str, text: str, draft_id: int | None) -> Any:
    services = get_services()
    problems = check_article(text, article_id, f"{locale}/{article_id}.md", services.vocabulary)
    if problems:
        for problem in problems:
            flash(str(problem), "error")
        return redirect(request.referrer or url_for("staff.clusters"))
    publish(services.engine.content_dir, locale, article_id, text)
    services.engine.reload()
    if draft_id is not None:
        services.storage.close_draft(draft_id, "published")
    flash(gettext("Published: %(id)s is live.", id=article_id), "ok")
    return redirect(url_for("staff.article_history", locale=locale, article_id=article_id))


@bp.route("/drafts/<int:draft_id>", methods=["GET", "POST"])
@login_required()
def draft(draft_id: int) -> Any:
    storage = get_services().storage
    found = storage.draft(draft_id)
    if found is None or found["status"] != "draft":
        abort(404)
    text, article_id = found["text"], found["article"]
    if request.method == "POST":
        text = request.form.get("text", "").replace("\r\n", "\n")
        article_id = (request.form.get("article") or article_id).strip()
        action = request.form.get("action")
        storage.save_draft(
            found["locale"], article_id, text, g.staff["email"], found["cluster"], draft_id
        )
        if action == "discard":
            storage.close_draft(draft_id, "discarded")
            return redirect(url_for("staff.drafts"))
        if action == "publish":
            return _publish_checked(found["locale"], article_id, text, draft_id)
    problems = check_article(
        text, article_id, f"{found['locale']}/{article_id}.md", get_services().vocabulary
    )
    preview = ""
    try:
        body = parse(text).body
        preview = render_markdown(
            body,
            lambda other: url_for("site.help_article", locale=found["locale"], article_id=other),
        )
    except FrontMatterError:
        pass
    return page(
        "draft.html",
        draft=found,
        text=text,
        article_id=article_id,
        problems=problems,
        preview=preview,
    )


@bp.get("/drafts")
@login_required()
def drafts() -> Any:
    return page("drafts.html", drafts=get_services().storage.open_drafts())


@bp.get("/articles/<locale>/<article_id>/history")
@login_required()
def article_history(locale: str, article_id: str) -> Any:
    engine = get_services().engine
    path = article_path(engine.content_dir, locale, article_id)
    if not path.exists():
        abort(404)
    current = path.read_text(encoding="utf-8")
    versions = [
        (v, diff(v.path.read_text(encoding="utf-8"), current, v.path.name, path.name))
        for v in history(engine.content_dir, locale, article_id)
    ]
    return page(
        "history.html", of_locale=locale, article_id=article_id, current=current, versions=versions
    )


@bp.post("/articles/<locale>/<article_id>/restore")
@login_required()
def restore(locale: str, article_id: str) -> Any:
    engine = get_services().engine
    wanted = request.form.get("version", "")
    version = next(
        (v for v in history(engine.content_dir, locale, article_id) if v.path.name == wanted), None
    )
    if version is None:
        abort(404)
    return _publish_checked(locale, article_id, version.path.read_text(encoding="utf-8"), None)


@bp.route("/users", methods=["GET", "POST"])
@login_required(role="admin")
def users() -> Any:
    storage = get_services().storage
    if request.method == "POST":
        email = (request.form.get("email") or "").strip()
        if request.form.get("action") == "remove":
            if email.casefold() == g.staff["email"]:
                abort(400, "you cannot remove yourself")
            storage.remove_user(email)
        else:
            role = request.form.get("role", "editor")
            password = request.form.get("password", "")
            if role not in ROLES or "@" not in email or len(password) < 12:
                abort(400, "an e-mail address, a role and a password of 12 or more characters")
            storage.add_user(email, generate_password_hash(password), role)
        return redirect(url_for("staff.users"))
    return page("users.html", users=storage.users(), roles=ROLES)
