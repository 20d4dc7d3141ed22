"""Pages for people: the widget script, the demo knowledge-base page, the full-page chat and article pages.

Everything taken from the corpus is escaped before it reaches HTML; article
bodies go through markdown-it with raw HTML disabled (so ``<script>`` in an
article is shown as text) and the pages carry a Content-Security-Policy that
allows scripts from this origin only, as a second line of defence.
"""

from __future__ import annotations

import hashlib
import html
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

router = APIRouter(include_in_schema=False)

STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "static"

WIDGET_CACHE = "public, max-age=300, stale-while-revalidate=86400"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
PAGE_HEADERS = {
    "Cache-Control": "no-cache",
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
ARTICLES_MARK = "<!-- vixshield:articles -->"

_cache: dict[str, tuple[tuple[int, int], bytes, str]] = {}
_cache_lock = threading.Lock()


def _asset(name: str) -> tuple[bytes, str]:
    """The bytes of a static file and a strong ETag, re-read only when the file changes."""
    path = STATIC_DIR / name
    st = path.stat()
    key = (st.st_mtime_ns, st.st_size)
    with _cache_lock:
        hit = _cache.get(name)
        if hit and hit[0] == key:
            return hit[1], hit[2]
        body = path.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        _cache[name] = (key, body, etag)
        return body, etag


def _etag_matches(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match", "")
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(",")) or header.strip() == "*"


@router.api_route("/widget.js", methods=["GET", "HEAD"])
def widget_js(request: Request) -> Response:
    body, etag = _asset("widget.js")
    headers = {
        "Cache-Control": WIDGET_CACHE,
        "ETag": etag,
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if _etag_matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


# --- articles -------------------------------------------------------------------


def _articles(request: Request) -> Mapping[str, Any] | None:
    assistant = getattr(request.app.state, "assistant", None)
    index = getattr(assistant, "index", None)
    try:
        articles = getattr(index, "articles", None)
    except Exception:  # the index is not loaded yet (IndexNotReady) or failed to load
        return None
    if articles is None:
        return None
    if isinstance(articles, Mapping):
        return articles
    return {getattr(a, "id", str(i)): a for i, a in enumerate(articles)}


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _http_url(url: Any) -> str | None:
    if isinstance(url, str) and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


_md = None


def _markdown(text: str) -> str:
    """Article Markdown to HTML with raw HTML disabled and only safe link schemes (markdown-it's validateLink)."""
    global _md
    try:
        if _md is None:
            from markdown_it import MarkdownIt

            md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
            md.enable("table")
            md.disable("image")  # no remote images on our pages
            _md = md
        return _md.render(text or "")
    except ImportError:  # pragma: no cover - markdown-it comes with rich
        return "<pre>" + _e(text) + "</pre>"


def _article_list(articles: Mapping[str, Any], limit: int = 60) -> str:
    by_cat: dict[str, list[Any]] = {}
    for art in list(articles.values())[: max(limit, 0) or None]:
        by_cat.setdefault(str(getattr(art, "category", "") or "Articles"), []).append(art)
    parts = ['<section class="kb-list" aria-labelledby="kb-list-h"><h2 id="kb-list-h">Browse the knowledge base</h2>']
    for cat in sorted(by_cat):
        parts.append(f'<div class="kb-cat"><h3>{_e(cat.replace("-", " ").title())}</h3><ul>')
        for art in sorted(by_cat[cat], key=lambda a: str(getattr(a, "title", ""))):
            aid = str(getattr(art, "id", ""))
            href = "/articles/" + _e(_quote(aid))
            parts.append(f'<li><a href="{href}">{_e(getattr(art, "title", aid))}</a></li>')
        parts.append("</ul></div>")
    parts.append("</section>")
    return "".join(parts)


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def _page(name: str, request: Request) -> HTMLResponse:
    body, _ = _asset(name)
    text = body.decode("utf-8")
    if ARTICLES_MARK in text:
        articles = _articles(request)
        if articles:
            text = text.replace(ARTICLES_MARK, _article_list(articles))
    return HTMLResponse(text, headers=PAGE_HEADERS)


@router.api_route("/", methods=["GET", "HEAD"])
def demo_page(request: Request) -> HTMLResponse:
    """A demo knowledge-base page with the widget embedded by one script tag."""
    return _page("demo.html", request)


@router.api_route("/chat", methods=["GET", "HEAD"])
def chat_page(request: Request) -> HTMLResponse:
    """The full-page chat: the same widget, filling the window."""
    return _page("chat.html", request)


ARTICLE_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{title} · VixShield Knowledge Base</title>
<style>
  :root {{ --accent: #0b6efd; --ink: #14213d; --muted: #5b6478; --line: #e3e7ef; }}
  * {{ box-sizing: border-box; }}
  body {{ margin: 0; font: 16px/1.65 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; color: var(--ink); background: #f6f8fc; }}
  header.top {{ background: #0a2a5e; color: #fff; }}
  header.top .in {{ max-width: 860px; margin: 0 auto; padding: 14px 20px; display: flex; gap: 16px; align-items: center; }}
  header.top a {{ color: #fff; text-decoration: none; font-weight: 650; }}
  main {{ max-width: 860px; margin: 24px auto 80px; padding: 28px 32px; background: #fff; border: 1px solid var(--line); border-radius: 14px; }}
  h1 {{ margin: 0 0 6px; font-size: 28px; line-height: 1.25; }}
  .meta {{ color: var(--muted); font-size: 14px; margin-bottom: 18px; }}
  .tags span {{ display: inline-block; background: #eef3ff; color: var(--accent); border-radius: 999px; padding: 1px 10px; margin: 0 6px 6px 0; font-size: 13px; }}
  article a {{ color: var(--accent); }}
  article pre, article code {{ font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 14px; background: #f3f5f9; border-radius: 4px; }}
  article pre {{ padding: 12px; overflow-x: auto; }}
  article table {{ border-collapse: collapse; }} article th, article td {{ border: 1px solid var(--line); padding: 4px 10px; }}
  .disclaimer {{ color: var(--muted); font-size: 13px; border-top: 1px solid var(--line); margin-top: 28px; padding-top: 12px; }}
  @media (max-width: 600px) {{ main {{ margin: 0; border-radius: 0; padding: 20px 16px; border: 0; }} h1 {{ font-size: 23px; }} }}
</style>
</head>
<body>
<header class="top"><div class="in"><a href="/">VixShield Knowledge Base</a></div></header>
<main>
<article>
<h1>{title}</h1>
<div class="meta">{meta}</div>
{tags}
<div class="body">{body}</div>
{original}
</article>
<p class="disclaimer">Educational, not financial advice.</p>
</main>
<script src="/widget.js" data-api="" defer></script>
</body>
</html>
"""


def _glossary(request: Request):
    assistant = getattr(request.app.state, "assistant", None)
    try:
        return getattr(getattr(assistant, "index", None), "glossary", None)
    except Exception:  # index not loaded yet
        return None


GLOSSARY_TEMPLATE = ARTICLE_TEMPLATE.replace("<h1>{title}</h1>", "<h1>{title}</h1>").replace(
    "</style>", "  dt {{ font-weight: 650; margin-top: 18px; scroll-margin-top: 16px; }} dd {{ margin: 4px 0 0; }} dt:target {{ color: var(--accent); }} .aka, .rel {{ color: var(--muted); font-size: 14px; }}\n</style>"
)


@router.api_route("/glossary", methods=["GET", "HEAD"])
def glossary_page(request: Request) -> Response:
    """Every glossary term on one page, each with an anchor (#<term id>) that citation chips link to."""
    glossary = _glossary(request)
    if glossary is None:
        return JSONResponse({"detail": "the knowledge base is not loaded yet"}, status_code=503, headers={"Retry-After": "5"})
    terms = sorted(glossary, key=lambda t: str(getattr(t, "term", "")).lower())
    articles = _articles(request) or {}
    items = []
    for t in terms:
        tid = str(getattr(t, "id", ""))
        aliases = [a for a in (getattr(t, "aliases", ()) or ()) if a]
        related = [r for r in (getattr(t, "related", ()) or ()) if r]
        sources = [sid for sid in (getattr(t, "sources", ()) or ()) if sid in articles]
        parts = [f'<dt id="{_e(tid)}">{_e(getattr(t, "term", tid))}</dt><dd>']
        parts.append(f"<p>{_e(getattr(t, 'definition', ''))}</p>")
        if aliases:
            parts.append(f'<p class="aka">Also: {_e(", ".join(aliases))}</p>')
        if related:
            links = ", ".join(f'<a href="#{_e(r)}">{_e(r.replace("-", " "))}</a>' for r in related)
            parts.append(f'<p class="rel">Related: {links}</p>')
        if sources:
            links = ", ".join(
                f'<a href="/articles/{_e(_quote(sid))}">{_e(getattr(articles[sid], "title", sid))}</a>' for sid in sources[:5]
            )
            parts.append(f'<p class="rel">Articles: {links}</p>')
        parts.append("</dd>")
        items.append("".join(parts))
    page = GLOSSARY_TEMPLATE.format(
        title="Glossary",
        meta=f"{len(terms)} terms of the VixShield methodology and of options trading",
        tags="",
        body="<dl>" + "".join(items) + "</dl>",
        original="",
    )
    return HTMLResponse(page, headers=PAGE_HEADERS)


@router.api_route("/articles/{article_id}", methods=["GET", "HEAD"])
def article_page(article_id: str, request: Request) -> Response:
    articles = _articles(request)
    if articles is None:
        return JSONResponse({"detail": "the knowledge base is not loaded yet"}, status_code=503, headers={"Retry-After": "5"})
    art = articles.get(article_id)
    if art is None:
        return JSONResponse({"detail": f"no article with id {article_id!r}"}, status_code=404)
    meta = [
        _e(str(getattr(art, "category", "") or "").replace("-", " ").title()),
        _e(getattr(art, "author", "") or ""),
        _e(getattr(art, "date", "") or ""),
    ]
    tags = getattr(art, "tags", None) or []
    if isinstance(tags, str):
        tags = [tags]
    original = _http_url(getattr(art, "url", None))
    page = ARTICLE_TEMPLATE.format(
        title=_e(getattr(art, "title", article_id)),
        meta=" · ".join(m for m in meta if m),
        tags=('<div class="tags">' + "".join(f"<span>{_e(t)}</span>" for t in tags) + "</div>") if tags else "",
        body=_markdown(str(getattr(art, "body", "") or "")),
        original=(f'<p class="original">Original article: <a href="{_e(original)}" rel="noopener noreferrer nofollow">{_e(original)}</a></p>' if original else ""),
    )
    return HTMLResponse(page, headers=PAGE_HEADERS)
