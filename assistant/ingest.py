"""Import exported "Ask VixShield" knowledge-base pages into clean Markdown articles.

An exported page (see ``../shared/seeds/``) looks like this::

    [Category]                      optional, only with a byline
    Question (the title)
    [Author · Based on … · Month D, YYYY · N views]   optional byline
    [tag words]                     optional tags line, only after a byline
    VixShield Answer
    answer paragraphs, "- " or "•" bullets, maybe a heading line
    ⚠️ Risk Disclaimer: …           ┐
    📖 Glossary Terms Referenced    │ the footer: site chrome, dropped
    APA Citation / … Retrieved from URL │ (the URL is kept as the page's url)
    Put This Knowledge to Work / …  │
    Have a question about this? / … │
    0 / 1000 / Keep Reading         ┘

``parse_page`` turns that into an :class:`Article`; ``import_pages`` writes
``<out_dir>/<id>.md`` (YAML front matter, then the answer in Markdown) and
skips bad files with a reason; ``load_articles`` reads the folder back.
The full rules are in ``docs/corpus.md``.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml

from assistant.errors import VixShieldError

log = logging.getLogger(__name__)

MAX_ID_LENGTH = 80
ANSWER_MARKER = "vixshield answer"

# A line that starts with one of these ends the answer: everything after it is footer chrome.
FOOTER_MARKERS = (
    "⚠️ risk disclaimer",
    "⚠ risk disclaimer",
    "risk disclaimer:",
    "📖 glossary terms referenced",
    "glossary terms referenced",
    "apa citation",
    "put this knowledge to work",
    "have a question about this?",
    "keep reading",
)
# Chrome lines dropped wherever they appear (they normally sit in the footer).
CHROME_LINES = (
    re.compile(r"^vixshield answer$", re.I),
    re.compile(r"^vixshield delivers professional iron condor signals", re.I),
    re.compile(r"^start free trial\b", re.I),
    re.compile(r"^ask below\s*[—–-]", re.I),
    re.compile(r"^\d+\s*/\s*\d+$"),  # the "0 / 1000" character counter
)
BULLET = re.compile(r"^\s*[-•*◦▪‣–]\s+(?P<text>\S.*)$")
URL_IN_CITATION = re.compile(r"Retrieved from\s+(?P<url>https?://\S+)", re.I)
APA_AUTHOR = re.compile(r"^(?P<author>[^()]+?)\.\s+\(\d{4}[a-z]?\)\.")
VIEWS = re.compile(r"^\d[\d,]*\s+views?$", re.I)
BYLINE_SEPARATOR = re.compile(r"\s+[·•|]\s+")
DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%Y-%m-%d")
SENTENCE_END = ".!?:;,…\"'”’)"

# Multi-word phrases the tags line is split on (besides the glossary's names and aliases).
KNOWN_TAG_PHRASES = (
    "basis risk",
    "iron condor",
    "delta neutrality",
    "wrapped token",
    "smart contract",
    "time value",
    "extrinsic value",
    "liquidity drag",
    "hedge ratio",
    "term structure",
    "vix futures",
    "options strategies",
    "portfolio theory",
    "risk management",
    "spx mastery",
    "second engine",
    "private leverage layer",
    "time shifting",
    "time travel",
    "temporal theta",
    "false binary",
    "temporal layering",
)


class IngestError(VixShieldError):
    """A page that cannot be imported; the message says why."""

    status_code = 422


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    url: str | None
    category: str | None
    tags: tuple[str, ...]
    date: str | None  # ISO yyyy-mm-dd
    author: str | None
    body: str
    path: Path | None = None

    def front_matter(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "category": self.category,
            "tags": list(self.tags),
            "date": self.date,
            "author": self.author,
        }


@dataclass
class ImportReport:
    """``written``: every article the import produced (``unchanged``: those already identical on disk,
    not rewritten); ``skipped``: (file, reason) for each page that was not imported."""

    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)


# --- ids and small helpers ----------------------------------------------------------


def slugify(text: str, max_length: int = MAX_ID_LENGTH) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary to at most ``max_length``."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"['’]", "", text.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[:-1] if cut.endswith("-") else cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_length]
        slug = slug.strip("-")
    return slug


def _is_chrome(line: str) -> bool:
    return any(p.search(line) for p in CHROME_LINES)


def _is_footer_marker(line: str) -> bool:
    low = line.lower()
    return any(low.startswith(m) for m in FOOTER_MARKERS)


def _parse_date(text: str) -> str | None:
    cleaned = re.sub(r"\s+", " ", text.strip())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _parse_byline(line: str) -> tuple[str | None, str | None] | None:
    """(author, ISO date) from "Author · Based on … · May 7, 2026 · 3 views", or None if not a byline."""
    parts = [p.strip() for p in BYLINE_SEPARATOR.split(line.strip()) if p.strip()]
    if len(parts) < 2:
        return None
    dates = [d for d in (_parse_date(p) for p in parts) if d]
    meta = [p for p in parts if _parse_date(p) or VIEWS.match(p) or p.lower().startswith("based on")]
    if not dates and not any(VIEWS.match(p) for p in parts):
        return None
    author = parts[0] if parts[0] not in meta else None
    return author, (dates[0] if dates else None)


def _looks_like_category(line: str) -> bool:
    return len(line.split()) <= 5 and not line.endswith(tuple(SENTENCE_END))


def _looks_like_heading(line: str) -> bool:
    """A short title-case line without closing punctuation (the answer's own heading)."""
    if line.endswith(tuple(SENTENCE_END)) or re.search(r"[.!?]\s", line):
        return False
    words = line.split()
    if not 2 <= len(words) <= 20:
        return False
    long_words = [w for w in words if len(re.sub(r"\W", "", w)) >= 4]
    if not long_words:
        return False
    capitalised = sum(1 for w in long_words if w.lstrip("\"'“(")[:1].isupper())
    return capitalised / len(long_words) >= 0.6


def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", phrase.lower()))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def split_tags(line: str, phrases: tuple[str, ...] | list[str] = ()) -> tuple[str, ...]:
    """Split the page's space-separated tags line.

    The line has no separators, so multi-word tags are recognised by greedy longest match
    against known phrases (``KNOWN_TAG_PHRASES`` plus ``phrases``, e.g. the glossary's names
    and aliases), case-insensitively and ignoring a plural "s"; every other word is a tag of
    its own. The page's spelling is kept: "basis risk NFT correlation" -> ("basis risk", "NFT",
    "correlation").
    """
    words = line.split()
    known: set[tuple[str, ...]] = set()
    for phrase in (*KNOWN_TAG_PHRASES, *phrases):
        key = tuple(_singular(w) for w in _phrase_words(phrase))
        if len(key) > 1:
            known.add(key)
    longest = max((len(k) for k in known), default=1)
    keys = [_singular("".join(_phrase_words(w))) for w in words]
    tags: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            if n == 1 or tuple(keys[i : i + n]) in known:
                tag = " ".join(words[i : i + n])
                if tag not in tags:
                    tags.append(tag)
                i += n
                break
    return tuple(tags)


def glossary_phrases(glossary_path: Path) -> tuple[str, ...]:
    """The multi-word names and aliases of the glossary (read leniently: nothing if it is missing or bad)."""
    try:
        data = yaml.safe_load(glossary_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return ()
    entries = data.get("terms", data) if isinstance(data, dict) else data
    found: list[str] = []
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict):
            continue
        for name in [entry.get("term"), *(entry.get("aliases") or [])]:
            if isinstance(name, str) and len(name.split()) > 1 and "(" not in name:
                found.append(name)
    return tuple(found)


# --- parsing -------------------------------------------------------------------------


def parse_page(text: str, name: str, tag_phrases: tuple[str, ...] | list[str] = ()) -> Article:
    """Parse one exported page; ``name`` (the file name) is only used in error messages.

    Raises :class:`IngestError` with the reason when the page has no title or no answer text.
    """
    if "\x00" in text:
        raise IngestError(f"{name}: binary content (NUL bytes), not a text page")
    text = text.lstrip("\ufeff")
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if not any(line.strip() for line in lines):
        raise IngestError(f"{name}: empty page")

    marker = next((i for i, line in enumerate(lines) if line.strip().lower() == ANSWER_MARKER), None)
    if marker is None:
        # No "VixShield Answer" line: the first non-empty line is the title, the rest the answer.
        first = next(i for i, line in enumerate(lines) if line.strip())
        header, answer_lines = [lines[first].strip()], lines[first + 1 :]
    else:
        header = [line.strip() for line in lines[:marker] if line.strip()]
        answer_lines = lines[marker + 1 :]

    title, category, tags_line, author, iso_date = _parse_header(header, name)
    if _is_chrome(title) or _is_footer_marker(title) or not re.search(r"[^\W\d_]", title):
        raise IngestError(f"{name}: no title (the first line is {title[:40]!r})")
    article_id = slugify(title)
    if not article_id:
        raise IngestError(f"{name}: the title {title[:40]!r} gives an empty id")

    body_lines: list[str] = []
    footer: list[str] = []
    for i, line in enumerate(answer_lines):
        if _is_footer_marker(line.strip()):
            footer = answer_lines[i:]
            break
        body_lines.append(line)
    body = _render_body(body_lines)
    if not body:
        raise IngestError(f"{name}: no answer text after the title")

    url = None
    for line in footer:
        match = URL_IN_CITATION.search(line)
        if match:
            url = match.group("url").rstrip(".,;)")
            if author is None:
                apa = APA_AUTHOR.match(line.strip())
                author = apa.group("author").strip() if apa else None
            break

    tags = split_tags(tags_line, tag_phrases) if tags_line else ()
    return Article(
        id=article_id,
        title=title,
        url=url,
        category=category,
        tags=tags,
        date=iso_date,
        author=author,
        body=body,
    )


def _parse_header(header: list[str], name: str):
    """(title, category, tags line, author, date) from the lines before "VixShield Answer"."""
    if not header:
        raise IngestError(f"{name}: no title (nothing before 'VixShield Answer')")
    for b, line in enumerate(header):
        byline = _parse_byline(line)
        if byline is None:
            continue
        if b == 0:
            raise IngestError(f"{name}: no title (the page starts with its byline)")
        title = header[b - 1]
        category = " ".join(header[: b - 1]) or None
        tags_line = " ".join(header[b + 1 :]) or None
        return title, category, tags_line, byline[0], byline[1]
    if len(header) == 1:
        return header[0], None, None, None, None
    if len(header) == 2 and _looks_like_category(header[0]):
        return header[1], header[0], None, None, None
    raise IngestError(
        f"{name}: unrecognised header ({len(header)} lines before 'VixShield Answer' and no byline)"
    )


def _render_body(lines: list[str]) -> str:
    """Paragraphs separated by a blank line, bullets as "- " items, a heading line as "## "."""
    blocks: list[list[str]] = []
    in_list = False
    for raw in lines:
        line = raw.strip()
        if not line or _is_chrome(line):
            in_list = False if not line else in_list
            continue
        bullet = BULLET.match(line)
        if bullet:
            item = "- " + bullet.group("text").strip()
            if in_list:
                blocks[-1].append(item)
            else:
                blocks.append([item])
                in_list = True
            continue
        in_list = False
        blocks.append(["## " + line if _looks_like_heading(line) else line])
    return "\n\n".join("\n".join(block) for block in blocks)


# --- writing and reading ----------------------------------------------------------------


def render_article(article: Article) -> str:
    front = yaml.safe_dump(
        article.front_matter(), sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False
    )
    return f"---\n{front}---\n\n{article.body.strip()}\n"


def _write_if_changed(article: Article, out_dir: Path) -> tuple[Path, bool]:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{article.id}.md"
    data = render_article(article).encode("utf-8")
    try:
        if path.read_bytes() == data:
            return path, False
    except FileNotFoundError:
        pass
    fd, tmp = tempfile.mkstemp(prefix=f".{article.id}.", suffix=".tmp", dir=out_dir)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give it the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path, True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_article(article: Article, out_dir: Path) -> Path:
    """Write ``<out_dir>/<id>.md`` atomically; a file already holding the same bytes is left untouched."""
    return _write_if_changed(article, Path(out_dir))[0]


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        files.extend(sorted(path.glob("*.txt")) if path.is_dir() else [path])
    return files


def read_page(path: Path) -> str:
    """The page's text; raises IngestError for a missing, empty, binary or non-UTF-8 file."""
    limit = max_article_bytes()
    try:
        size = path.stat().st_size
        if limit and size > limit:
            raise IngestError(f"{path}: {size:,} bytes; the limit is {limit:,} (VIXSHIELD_MAX_ARTICLE_BYTES)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file") from None
    except OSError as err:
        raise IngestError(f"{path}: cannot read ({err.strerror})") from None
    if not data.strip():
        raise IngestError(f"{path}: empty file")
    if b"\x00" in data:
        raise IngestError(f"{path}: binary file (NUL bytes), not a text page")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise IngestError(f"{path}: not UTF-8 (bad byte at offset {err.start})") from None


def import_pages(
    paths: list[Path], out_dir: Path, tag_phrases: tuple[str, ...] | list[str] | None = None
) -> ImportReport:
    """Import pages (a directory stands for its ``*.txt`` files) into ``out_dir``.

    Bad pages are skipped with a logged warning and a (path, reason) entry in the report; the
    others still import. ``tag_phrases`` defaults to the glossary's multi-word names.
    """
    if tag_phrases is None:
        from assistant.settings import get_settings

        tag_phrases = glossary_phrases(get_settings().corpus_dir / "glossary.yaml")
    out_dir = Path(out_dir)
    report = ImportReport()
    seen: dict[str, Path] = {}
    for path in _expand(paths):
        try:
            article = parse_page(read_page(path), path.name, tag_phrases)
            if article.id in seen:
                raise IngestError(f"same id {article.id!r} as {seen[article.id]}")
        except IngestError as err:
            reason = str(err).removeprefix(f"{path}: ").removeprefix(f"{path.name}: ")
            log.warning("skipped %s: %s", path, reason)
            report.skipped.append((path, reason))
            continue
        seen[article.id] = path
        written, changed = _write_if_changed(article, out_dir)
        report.written.append(written)
        if not changed:
            report.unchanged.append(written)
    return report


def parse_article(text: str, path: Path | None = None) -> Article:
    """Parse an article file (front matter + Markdown body)."""
    where = path or "article"
    match = re.match(r"\A---\n(.*?\n)---\n(.*)\Z", text, re.S)
    if not match:
        raise IngestError(f"{where}: no YAML front matter")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as err:
        raise IngestError(f"{where}: bad front matter ({err})") from None
    if not isinstance(meta, dict) or not meta.get("id") or not meta.get("title"):
        raise IngestError(f"{where}: front matter needs an id and a title")
    when = meta.get("date")
    if isinstance(when, (date, datetime)):
        when = when.isoformat()[:10]
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    return Article(
        id=str(meta["id"]),
        title=str(meta["title"]),
        url=meta.get("url") or None,
        category=meta.get("category") or None,
        tags=tuple(str(t) for t in tags),
        date=str(when) if when else None,
        author=meta.get("author") or None,
        body=match.group(2).strip("\n"),
        path=path,
    )


def max_article_bytes() -> int:
    """The size cap on one article or imported page (``VIXSHIELD_MAX_ARTICLE_BYTES``)."""
    from assistant.settings import get_settings

    return int(get_settings().max_article_bytes)


def read_article(path: Path, limit: int | None = None) -> Article:
    """One article file, or IngestError saying why it cannot be used (too big, not UTF-8, no front matter...)."""
    limit = max_article_bytes() if limit is None else limit
    try:
        size = path.stat().st_size
        if limit and size > limit:
            raise IngestError(f"{path}: {size:,} bytes; the limit is {limit:,} (VIXSHIELD_MAX_ARTICLE_BYTES)")
        data = path.read_bytes()
    except OSError as err:
        raise IngestError(f"{path}: cannot read ({err.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise IngestError(f"{path}: not UTF-8 (bad byte at offset {err.start})") from None
    article = parse_article(text, path)
    if article.id != path.stem:
        raise IngestError(f"{path}: id {article.id!r} does not match the file name")
    return article


def load_articles(articles_dir: Path, limit: int | None = None) -> list[Article]:
    """Every usable ``*.md`` article in ``articles_dir`` (README.md aside), sorted by id.

    A bad file (over the size cap, not UTF-8, no or bad front matter, id not matching
    the file name) is skipped with one warning naming it and saying why; the rest load.
    """
    articles = []
    for path in sorted(Path(articles_dir).glob("*.md")):
        if path.name.lower() == "readme.md" or path.name.startswith("."):
            continue
        try:
            article = read_article(path, limit)
        except IngestError as err:
            reason = str(err).removeprefix(f"{path}: ")
            log.warning("skipped article %s: %s", path, reason)
            continue
        articles.append(article)
    return sorted(articles, key=lambda a: a.id)


__all__ = [
    "Article",
    "ImportReport",
    "IngestError",
    "import_pages",
    "load_articles",
    "read_article",
    "parse_article",
    "parse_page",
    "render_article",
    "slugify",
    "split_tags",
    "write_article",
]
