"""The OpenAPI 3.1 description covers the whole v1 API, and the live server keeps to it.

The property-based part runs schemathesis (every check: no server error, statuses, content
types, headers and bodies as described, invalid input refused, valid input accepted)
against `faq-engine serve` on the demo content, with an API key for /api/v1/stats.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from faq_engine.analytics.keys import hash_key, new_key
from faq_engine.storage import Storage
from faq_engine.web.served import Served, serving

from .conftest import ROOT

NOT_DESCRIBED = {"/api/v1/openapi.json", "/api/v1/docs"}  # the description and its page


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    from faq_engine import create_app

    app = create_app({"FAQ_INSTANCE_DIR": str(tmp_path_factory.mktemp("openapi")), "TESTING": True})
    return app, app.test_client()


def test_the_description_is_valid_openapi_3_1_and_covers_every_v1_route(client) -> None:
    app, http = client
    spec = http.get("/api/v1/openapi.json").get_json()
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    described = {
        (path, method.upper()) for path, methods in spec["paths"].items() for method in methods
    }
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule in NOT_DESCRIBED:
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        routes |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes and routes <= described, routes - described
    schemas = spec["components"]["schemas"]
    assert schemas["Locale"]["enum"] == ["da", "en", "nl", "pl", "sv"]
    assert "checkout.delivery" in schemas["OptionalContext"]["enum"]
    assert "wool" in schemas["OptionalCategory"]["enum"]


def test_the_docs_page_is_local_and_lists_every_operation(client) -> None:
    _, http = client
    spec = http.get("/api/v1/openapi.json").get_json()
    page = http.get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert f'id="{operation["operationId"]}"' in html
            assert f"{method.upper()}</span> {path}" in html
    assert "<script" not in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html), "nothing from another host"
    policy = page.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "script-src 'self'" in policy


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, str]]:
    base = tmp_path_factory.mktemp("live-openapi")
    instance = base / "instance"
    instance.mkdir()
    storage = Storage(f"sqlite:///{instance / 'faq-engine.db'}")
    key = new_key()
    storage.add_api_key("schemathesis", hash_key(key))
    storage.engine.dispose()
    settings = {
        "FAQ_CONTENT_DIR": ROOT / "content",
        "FAQ_INSTANCE_DIR": instance,
        "FAQ_WORKERS": 2,
        # Limits have tests of their own; here they would answer most requests with 429.
        "FAQ_RATE_LIMIT_API": "",
        "FAQ_RATE_LIMIT_FEEDBACK": "",
    }
    with serving(settings, base / "server.log") as served:
        yield served, key


def test_the_live_server_keeps_to_its_description(live: tuple[Served, str]) -> None:
    served, key = live
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{served.url}/api/v1/openapi.json",
            "--header",
            f"Authorization: Bearer {key}",
            "--max-examples",
            "60",
        ],
        cwd=ROOT,  # schemathesis.toml
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = run.stdout + run.stderr
    assert run.returncode == 0, report[-6000:]
    assert "Tested: 9" in report, report[-2000:]
    errors = [line for line in Path(served.log).read_text().splitlines() if '"status": 5' in line]
    assert errors == []
