"""The staff workspace end to end: sign in, see recurring questions, promote a gap into a
published article that the API then answers with; every route guarded, every form CSRF'd."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from werkzeug.security import generate_password_hash

from faq_engine import create_app
from faq_engine.content import publish as publishing
from faq_engine.mining.tickets import import_file
from faq_engine.web.services import get_services
from tests.conftest import ROOT

PASSWORD = "correct horse battery staple"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("staff")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    app = create_app(
        {
            "FAQ_CONTENT_DIR": str(content),
            "FAQ_INSTANCE_DIR": str(base / "instance"),
            "FAQ_SECURE_COOKIES": "0",
            "FAQ_RATE_LIMIT_LOGIN": "",  # these tests sign in often; test_limits has the limit
            "TESTING": True,
        }
    )
    with app.app_context():
        storage = get_services().storage
        storage.add_user("editor@example.com", generate_password_hash(PASSWORD), "editor")
        storage.add_user("admin@example.com", generate_password_hash(PASSWORD), "admin")
        import_file(ROOT / "samples" / "tickets.jsonl", "jsonl", storage)  # the sample export
    return app, content


def token(client, path: str = "/staff/login") -> str:
    found = TOKEN.search(client.get(path).get_data(as_text=True))
    assert found, path
    return found.group(1)


def submit(client, url: str, form_page: str | None = None, **fields):
    """POST a form's ``fields`` to ``url`` with the CSRF token of the page the form is on."""
    return client.post(url, data={"csrf_token": token(client, form_page or url), **fields})


def signed_in(app, email: str = "editor@example.com"):
    client = app.test_client()
    response = client.post(
        "/staff/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token(client)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def test_every_staff_route_refuses_an_anonymous_user(workspace):
    app, _ = workspace
    client = app.test_client()
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/staff")]
    assert len(rules) >= 10
    for rule in rules:
        if rule.endpoint == "staff.login":
            continue
        url = re.sub(
            r"<(?:\w+:)?(\w+)>", lambda m: "1" if m.group(1) == "draft_id" else "sv", rule.rule
        )
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if method == "POST":
                assert response.status_code == 400, (url, method)  # no CSRF token
            else:
                assert response.status_code == 302, (url, method)
                assert "/staff/login" in response.headers["Location"]


def test_forms_without_a_csrf_token_are_refused(workspace):
    app, _ = workspace
    client = app.test_client()
    response = client.post(
        "/staff/login", data={"email": "editor@example.com", "password": PASSWORD}
    )
    assert response.status_code == 400
    wrong = client.post(
        "/staff/login",
        data={"email": "editor@example.com", "password": "nope", "csrf_token": token(client)},
    )
    assert wrong.status_code == 401
    signed = signed_in(app)
    assert signed.post("/staff/logout").status_code == 400  # still needs the token
    assert signed.get("/staff/clusters").status_code == 200


def test_session_cookie_is_http_only_and_same_site(workspace):
    app, _ = workspace
    client = app.test_client()
    response = client.post(
        "/staff/login",
        data={"email": "editor@example.com", "password": PASSWORD, "csrf_token": token(client)},
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    secure = create_app({"FAQ_INSTANCE_DIR": str(app.instance_path)})
    assert secure.config["SESSION_COOKIE_SECURE"] is True


def test_promote_a_gap_and_find_it_through_the_api(workspace):
    app, content = workspace
    client = signed_in(app)
    page = client.get("/staff/clusters?locale=sv&gaps=1").get_data(as_text=True)
    links = re.findall(r'href="/staff/clusters/(sv-[0-9a-f]+)">([^<]+)</a>', page)
    assert links, page[:2000]
    wrapping = next(
        (cid for cid, label in links if re.search(r"slå in|presentförpack|inslag", label, re.I)),
        links[0][0],
    )
    cluster_page = client.get(f"/staff/clusters/{wrapping}").get_data(as_text=True)
    assert "Promote" in cluster_page and "[EMAIL]" not in cluster_page.split("<ol")[0]
    promoted = submit(client, f"/staff/clusters/{wrapping}/promote", f"/staff/clusters/{wrapping}")
    assert promoted.status_code == 302
    draft_url = promoted.headers["Location"]
    draft = client.get(draft_url).get_data(as_text=True)
    assert "title:" in draft and "the article has no body" in draft
    text = (
        "---\n"
        "title: Kan ni slå in mitt paket som present?\n"
        "contexts: [checkout.delivery, cart]\n"
        "questions:\n  - Har ni presentinslagning?\n  - Kan man få paketet inslaget?\n"
        "---\n"
        "Ja! Välj **presentinslagning** i kassan, så slår vi in varorna i papper och snöre "
        "och lägger med ett kort med din hälsning.\n<script>alert(1)</script>\n"
    )
    preview = submit(
        client,
        draft_url,
        article="gift-wrapping",
        text=text,
        action="preview",
    ).get_data(as_text=True)
    assert "<strong>presentinslagning</strong>" in preview and "<script>alert(1)" not in preview
    published = submit(
        client,
        draft_url,
        article="gift-wrapping",
        text=text,
        action="publish",
    )
    assert published.status_code == 302
    assert (content / "sv" / "gift-wrapping.md").read_text(encoding="utf-8").startswith("---")
    answer = (
        app.test_client()
        .get("/api/v1/answers?locale=sv&q=kan+ni+sl%C3%A5+in+paketet+som+present")
        .json
    )
    assert answer["answers"] and answer["answers"][0]["id"] == "gift-wrapping"
    assert "<script>" not in answer["answers"][0]["html"]
    drafts = client.get("/staff/drafts").get_data(as_text=True)
    assert "gift-wrapping is live" in drafts  # the flash after publishing
    assert f'href="{draft_url.replace("http://localhost", "")}"' not in drafts


def test_a_draft_with_problems_cannot_be_published(workspace):
    app, content = workspace
    client = signed_in(app)
    page = client.get("/staff/clusters?locale=sv&gaps=1").get_data(as_text=True)
    cluster_id = re.findall(r'href="/staff/clusters/(sv-[0-9a-f]+)"', page)[-1]
    promoted = submit(
        client, f"/staff/clusters/{cluster_id}/promote", f"/staff/clusters/{cluster_id}"
    )
    draft_url = promoted.headers["Location"]
    bad = "---\ntitle: Något\ncontexts: [checkout.nowhere]\n---\nText.\n"
    submit(
        client,
        draft_url,
        article="bad-one",
        text=bad,
        action="publish",
    )
    assert not (content / "sv" / "bad-one.md").exists()
    shown = client.get(draft_url).get_data(as_text=True)
    assert "unknown context &#39;checkout.nowhere&#39;" in shown and "sv/bad-one.md:3" in shown


def test_add_phrasings_keeps_history_and_restores(workspace):
    app, content = workspace
    client = signed_in(app)
    page = client.get("/staff/clusters?locale=sv").get_data(as_text=True)
    covered = re.findall(
        r'href="/staff/clusters/(sv-[0-9a-f]+)">[^<]+</a></td>\s*<td[^>]*>[^<]*</td>\s*<td>([a-z-]+)</td>',
        page,
    )
    assert covered, "no covered cluster"
    cluster_id, article_id = covered[0]
    path = content / "sv" / f"{article_id}.md"
    before = path.read_text(encoding="utf-8")
    cluster_page = client.get(f"/staff/clusters/{cluster_id}").get_data(as_text=True)
    questions = re.findall(r'name="question" value="([^"]+)"', cluster_page)
    response = submit(
        client,
        f"/staff/clusters/{cluster_id}/phrasings",
        f"/staff/clusters/{cluster_id}",
        question=questions[:1],
    )
    assert response.status_code == 302
    after = path.read_text(encoding="utf-8")
    assert after != before
    history_url = f"/staff/articles/sv/{article_id}/history"
    history = client.get(history_url).get_data(as_text=True)
    version = re.search(r'name="version" value="([^"]+)"', history).group(1)
    submit(client, f"/staff/articles/sv/{article_id}/restore", history_url, version=version)
    assert path.read_text(encoding="utf-8") == before


def test_a_crash_in_the_middle_of_publishing_leaves_the_old_article(workspace, monkeypatch):
    _, content = workspace
    path = content / "sv" / "delivery-time.md"
    before = path.read_text(encoding="utf-8")

    def crash(src, dst):  # the process dies between writing the new text and the rename
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        publishing.publish(content, "sv", "delivery-time", before.replace("dagar", "veckor"))
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == before
    assert not list(path.parent.glob(".delivery-time-*.tmp"))


def test_only_admins_manage_users(workspace):
    app, _ = workspace
    editor = signed_in(app)
    assert editor.get("/staff/users").status_code == 403
    admin = signed_in(app, "admin@example.com")
    response = submit(
        admin, "/staff/users", email="new@example.com", password="x" * 12, role="editor"
    )
    assert response.status_code == 302
    assert "new@example.com" in admin.get("/staff/users").get_data(as_text=True)


def test_upload_an_export_from_the_workspace(workspace):
    import io

    app, _ = workspace
    client = signed_in(app)
    export = (
        '{"id": "up-1", "subject": "Hvor er min pakke?", "body": "Mvh Mette Hansen, 20 12 34 56"}\n'
        "{broken\n"
    )
    response = client.post(
        "/staff/import",
        data={
            "csrf_token": token(client, "/staff/import"),
            "format": "jsonl",
            "file": (io.BytesIO(export.encode()), "export.jsonl"),
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "row 2:" in page
    with app.app_context():
        stored = {t.id: t for t in get_services().storage.iter_tickets("da")}
    assert "Mette" not in stored["up-1"].body and "[PHONE]" in stored["up-1"].body


def test_every_state_changing_route_needs_a_csrf_token_even_signed_in(workspace):
    app, _ = workspace
    client = signed_in(app, "admin@example.com")
    changing = {"POST", "PUT", "PATCH", "DELETE"}
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            continue  # the JSON API takes no cookies, so no cross-site request can use one
        url = re.sub(
            r"<(?:\w+:)?(\w+)>", lambda m: "1" if m.group(1) == "draft_id" else "sv", rule.rule
        )
        for method in sorted(rule.methods & changing):
            response = client.open(
                url, method=method, data={"anything": "1"}, headers={"Accept": "application/json"}
            )
            assert response.status_code == 400, (url, method)
            assert "CSRF token" in response.get_json()["error"]["message"], (url, method)
            checked += 1
    assert checked >= 10
    assert client.get("/staff/clusters").status_code == 200  # still signed in


def test_staff_see_broken_content_files_on_every_page(workspace):
    app, content = workspace
    broken = content / "sv" / "broken-draft.md"
    broken.write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    with app.app_context():
        engine = get_services().engine
        engine.reload()
    try:
        client = signed_in(app)
        for page in ("/staff/dashboard", "/staff/clusters", "/staff/drafts"):
            html = client.get(page).get_data(as_text=True)
            assert "1 problem in the content files" in html, page
            assert "sv/broken-draft.md:2" in html, page
        assert client.get("/api/v1/answers?q=retur&locale=sv").get_json()["answers"]
    finally:
        broken.unlink()
        with app.app_context():
            engine.reload()
    html = signed_in(app).get("/staff/clusters").get_data(as_text=True)
    assert "problem in the content files" not in html
