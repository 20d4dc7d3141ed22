"""The pages the app serves for people (no browser needed): /widget.js, /, /chat, /glossary, /articles/{id}."""

from __future__ import annotations

import re

import httpx
import pytest

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def http(app_server):
    with httpx.Client(base_url=app_server.base_url, timeout=30) as client:
        yield client


def test_widget_js_is_javascript_with_cache_headers_and_etag(http):
    r = http.get("/widget.js")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/javascript; charset=utf-8"
    assert "max-age=" in r.headers["cache-control"] and "public" in r.headers["cache-control"]
    assert r.headers["x-content-type-options"] == "nosniff"
    etag = r.headers["etag"]
    assert "attachShadow" in r.text
    # No HTML parsing of strings anywhere in the widget: it builds every node with DOM calls.
    assert not re.search(r"\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML|document\.write|createContextualFragment|\beval\(", r.text)
    again = http.get("/widget.js", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert http.head("/widget.js").status_code == 200


def test_demo_page_embeds_the_widget_with_one_script_tag(http):
    r = http.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    scripts = re.findall(r"<script\b[^>]*>", r.text)
    assert len(scripts) == 1 and 'src="/widget.js"' in scripts[0] and "data-suggestions=" in scripts[0]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert 'href="/articles/' in r.text  # the knowledge-base list comes from the corpus


def test_chat_page_uses_the_same_widget_in_page_mode(http):
    r = http.get("/chat")
    assert r.status_code == 200
    assert re.search(r'<script src="/widget.js"\s+data-mode="page"', r.text)


def test_article_page_renders_and_unknown_id_is_json_404(http, app_server):
    from assistant.ingest import load_articles
    from assistant.settings import ROOT

    article = load_articles(ROOT / "corpus" / "articles")[0]
    r = http.get(f"/articles/{article.id}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<h1>" + article.title.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;") in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]

    missing = http.get("/articles/no-such-article")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/json")
    assert "no-such-article" in missing.json()["detail"]


def test_glossary_page_has_an_anchor_per_term(http):
    r = http.get("/glossary")
    assert r.status_code == 200
    assert 'id="alvh"' in r.text and "Adaptive Layered VIX Hedge" in r.text
