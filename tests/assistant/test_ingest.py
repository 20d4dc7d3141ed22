"""Ingestion of exported knowledge-base pages: the five real seed pages and bad files.

The seed pages are byte-identical copies of ../shared/seeds/*.txt kept in
tests/data/pages/seeds/ so the tests run on any checkout.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest

from assistant.ingest import (
    Article,
    IngestError,
    import_pages,
    load_articles,
    read_article,
    parse_page,
    render_article,
    slugify,
    split_tags,
    write_article,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "data" / "pages" / "seeds"
BAD = ROOT / "tests" / "data" / "pages" / "bad"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
ARTICLES = ROOT / "corpus" / "articles"
SEED_FILES = sorted(SEEDS.glob("*.txt"))

# Site chrome as it appears on the pages, written out independently of the importer.
CHROME_LINE_PATTERNS = [
    r"VixShield Answer",
    r"Put This Knowledge to Work",
    r"VixShield delivers professional iron condor signals every trading day, built on the methodology behind these answers\.",
    r"Start Free Trial →",
    r"Have a question about this\?",
    r"Ask below — answered questions may be featured in our knowledge base\.",
    r"0 / 1000",
    r"APA Citation",
    r"VixShield Research Team\. \(2026\)\. .* Ask VixShield\. Retrieved from https://\S+",
    r"📖 Glossary Terms Referenced",
    r"Keep Reading",
    r"⚠️ Risk Disclaimer: .*",
    r"VixShield Research Team · Based on SPX Mastery by Russell Clark · .*",
]
CHROME_MARKERS = [
    "VixShield Answer",
    "Put This Knowledge to Work",
    "VixShield delivers",
    "Start Free Trial",
    "Have a question about this?",
    "Ask below",
    "0 / 1000",
    "APA Citation",
    "Retrieved from",
    "Glossary Terms Referenced",
    "Keep Reading",
    "Risk Disclaimer",
    "Options trading involves substantial risk of loss",
    "views",
    "·",
    "•",
]

EXPECTED_META = {
    "002_521b5bea6909575c.txt": {
        "category": "Portfolio Theory",
        "author": "VixShield Research Team",
        "date": "2026-05-07",
        "tags": ("ALVH", "Iron Condors", "NFT", "hedging"),
        "url": "https://www.vixshield.com/ask/does-the-alvh-hedge-concept-from-vixshield-iron-condors-actually-make-sense-for-nft-portfolio-drawdowns-or-is-this-just-",
    },
    "003_7ecefd4cd10c14ee.txt": {
        "category": "Options Strategies",
        "author": "VixShield Research Team",
        "date": "2026-05-07",
        "tags": ("basis risk", "NFT", "correlation"),
        "url": "https://www.vixshield.com/ask/basis-risk-from-using-vix-to-hedge-nfts-has-anyone-quantified-how-much-the-correlation-actually-breaks-during-defi-liqui",
    },
}
NO_META = {"category": None, "author": None, "date": None, "tags": (), "url": None}


def _parse(path: Path) -> Article:
    return parse_page(path.read_text(encoding="utf-8"), path.name)


def _answer_lines(path: Path, article: Article) -> list[str]:
    """The page's lines that are neither chrome nor header metadata (title, category, tags)."""
    header = {article.title, article.category, " ".join(article.tags)}
    keep = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line in header:
            continue
        if any(re.fullmatch(p, line) for p in CHROME_LINE_PATTERNS):
            continue
        keep.append(re.sub(r"^[-•]\s+", "", line))
    return keep


def _sentences(line: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", line) if s]


def test_seed_copies_match_the_shared_seeds():
    assert len(SEED_FILES) == 5
    if not SHARED_SEEDS.is_dir():
        pytest.skip("../shared/seeds is not on this machine")
    for path in SEED_FILES:
        assert path.read_bytes() == (SHARED_SEEDS / path.name).read_bytes(), path.name


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_metadata(path):
    article = _parse(path)
    expected = EXPECTED_META.get(path.name, NO_META)
    assert article.category == expected["category"]
    assert article.author == expected["author"]
    assert article.date == expected["date"]
    assert article.tags == expected["tags"]
    assert article.url == expected["url"]
    first_line = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    question = first_line if expected is NO_META else path.read_text(encoding="utf-8").splitlines()[2]
    assert article.title == question.strip()
    assert article.title.endswith("?")
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", article.id) and len(article.id) <= 80
    assert article.title.lower().replace("'", "").startswith(article.id.split("-")[0])


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_every_answer_sentence_is_kept_and_no_chrome_remains(path):
    article = _parse(path)
    lines = _answer_lines(path, article)
    assert len(lines) >= 8
    for line in lines:
        for sentence in _sentences(line):
            assert sentence in article.body, f"lost from {path.name}: {sentence[:80]!r}"
    rendered = render_article(article)
    for marker in CHROME_MARKERS:
        assert marker not in rendered, f"chrome {marker!r} left in {path.name}"
    # Nothing but the answer: the body is exactly the kept lines, in order.
    body_lines = [re.sub(r"^(## |- )", "", b) for b in article.body.split("\n") if b]
    assert body_lines == lines


def test_markdown_shape():
    by_name = {p.name: _parse(p) for p in SEED_FILES}
    basis = by_name["003_7ecefd4cd10c14ee.txt"].body
    assert basis.startswith(
        "## Basis Risk from Using VIX to Hedge NFTs: Quantifying Correlation Breakdowns During DeFi Liquidity Shocks\n\n"
    )
    assert basis.count("## ") == 1
    # "  • " bullets become "- " list items, one list without blank lines between the items.
    fluff = by_name["002_521b5bea6909575c.txt"].body
    assert "\n- Adaptive Layering Concept: Rather" in fluff
    assert "multi-sig treasury rules in DeFi (Decentralized Finance).\n- Time-Shifting / Time Travel (Trading Context):" in fluff
    jpeg = by_name["000_625cdb8cc8080f79.txt"].body
    assert "several mechanisms:\n\n- Fragmented ownership layers:" in jpeg
    assert "on-chain governance rights.\n\nParallel dynamics" in jpeg
    assert sum(a.body.count("## ") for a in by_name.values()) == 1  # only that heading is one
    for article in by_name.values():
        assert "\n\n\n" not in article.body
        for paragraph in article.body.split("\n\n"):
            assert paragraph.strip() == paragraph


def test_import_writes_the_committed_articles(tmp_path):
    report = import_pages([SEEDS], tmp_path / "articles")  # as `vixshield corpus import` does
    assert report.skipped == []
    assert len(report.written) == 5
    for path in report.written:
        committed = ARTICLES / path.name
        assert committed.is_file(), f"corpus/articles/{path.name} is missing: run `vixshield corpus import`"
        assert committed.read_bytes() == path.read_bytes(), f"corpus/articles/{path.name} is stale"
    assert sorted(p.name for p in ARTICLES.glob("*.md")) == sorted(p.name for p in report.written)


def test_reimport_is_idempotent(tmp_path):
    out = tmp_path / "articles"
    first = import_pages([SEEDS], out)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in first.written}
    second = import_pages([SEEDS], out)
    assert second.written == first.written
    assert second.unchanged == second.written
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in second.written} == before
    assert sorted(out.iterdir()) == sorted(first.written)  # no temporary files left behind


def test_changed_page_rewrites_its_article(tmp_path):
    pages = tmp_path / "pages"
    shutil.copytree(SEEDS, pages)
    out = tmp_path / "articles"
    import_pages([pages], out)
    page = pages / "000_625cdb8cc8080f79.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("critical risk factor", "key risk factor"), encoding="utf-8")
    report = import_pages([pages], out)
    assert len(report.unchanged) == 4
    changed = [p for p in report.written if p not in report.unchanged]
    assert len(changed) == 1 and "key risk factor" in changed[0].read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name, reason",
    [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("latin1.txt", "not UTF-8"),
        ("no_title.txt", "no title"),
        ("no_answer.txt", "no answer text"),
    ],
)
def test_bad_file_is_skipped_with_a_warning_and_good_ones_still_import(tmp_path, caplog, name, reason):
    pages = tmp_path / "pages"
    shutil.copytree(SEEDS, pages)
    shutil.copy(BAD / name, pages / name)
    with caplog.at_level(logging.WARNING, logger="assistant.ingest"):
        report = import_pages([pages], tmp_path / "articles")
    assert len(report.written) == 5
    assert len(report.skipped) == 1
    skipped_path, why = report.skipped[0]
    assert skipped_path == pages / name
    assert reason in why
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and name in warnings[0] and reason in warnings[0]


def test_all_bad_files_and_a_missing_one_together(tmp_path):
    missing = tmp_path / "nope.txt"
    report = import_pages([BAD, SEEDS / "001_a5d3d78c76093c6d.txt", missing], tmp_path / "out")
    assert [p.name for p in report.written] == [
        "russell-clark-compares-alvh-hedging-to-nft-ownership-does-the-hedge-create-the.md"
    ]
    assert sorted(p.name for p, _ in report.skipped) == sorted(
        ["binary.txt", "empty.txt", "latin1.txt", "no_answer.txt", "no_title.txt", "nope.txt"]
    )


def test_parse_page_errors_name_the_file():
    with pytest.raises(IngestError, match=r"x\.txt: empty"):
        parse_page(" \n\n", "x.txt")
    with pytest.raises(IngestError, match=r"x\.txt: no title"):
        parse_page("VixShield Answer\nSome answer.\n", "x.txt")
    with pytest.raises(IngestError, match=r"x\.txt: binary"):
        parse_page("Title?\x00\n", "x.txt")


def test_page_without_answer_marker_and_crlf():
    article = parse_page("What is the ALVH?\r\n\r\nIt is a layered hedge.\r\n\r\nKeep Reading\r\nOther page\r\n", "p.txt")
    assert article.title == "What is the ALVH?"
    assert article.body == "It is a layered hedge."
    assert article.id == "what-is-the-alvh"


def test_byline_only_gives_author_date_and_drops_views():
    page = (
        "Risk\n\nHow big is the hedge?\n\nJane Doe · Based on SPX Mastery by Russell Clark · December 25, 2025 · 1,204 views\n\n"
        "VixShield Answer\n\nSmall.\n"
    )
    article = parse_page(page, "p.txt")
    assert (article.category, article.author, article.date, article.tags) == ("Risk", "Jane Doe", "2025-12-25", ())
    assert "views" not in render_article(article)


def test_slugify():
    assert slugify("Russell Clark's SPX Mastery — 1:1 peg?") == "russell-clarks-spx-mastery-1-1-peg"
    assert slugify("Ünïcode Café") == "unicode-cafe"
    long = slugify("word " * 40)
    assert len(long) <= 80 and long.endswith("word") and not long.endswith("-")
    assert slugify("x" * 100) == "x" * 80


def test_split_tags():
    assert split_tags("basis risk NFT correlation") == ("basis risk", "NFT", "correlation")
    assert split_tags("ALVH Iron Condors NFT hedging") == ("ALVH", "Iron Condors", "NFT", "hedging")
    assert split_tags("Delta Neutrality wrapped tokens") == ("Delta Neutrality", "wrapped tokens")
    assert split_tags("NFT hedging", phrases=["NFT hedging"]) == ("NFT hedging",)


def test_load_articles_round_trip(tmp_path):
    articles = load_articles(ARTICLES)
    assert [a.id for a in articles] == sorted(a.id for a in articles)
    assert len(articles) == 5
    for article in articles:
        assert article.path == ARTICLES / f"{article.id}.md"
        written = write_article(article, tmp_path)
        assert written.read_bytes() == article.path.read_bytes()
    dated = [a for a in articles if a.date]
    assert len(dated) == 2 and all(a.date == "2026-05-07" for a in dated)


def test_load_articles_skips_bad_files_with_one_warning_each(tmp_path, caplog):
    """No front matter, invalid UTF-8, over the size cap: each skipped with a warning naming the file and why."""
    good = sorted(ARTICLES.glob("*.md"))[0]
    (tmp_path / good.name).write_bytes(good.read_bytes())
    (tmp_path / "bad.md").write_text("just text\n", encoding="utf-8")
    (tmp_path / "latin.md").write_bytes(b"---\nid: latin\ntitle: caf\xe9\n---\n\nbody\n")
    (tmp_path / "huge.md").write_text("---\nid: huge\ntitle: Huge\n---\n\n" + "word " * 20_000, encoding="utf-8")
    with pytest.raises(IngestError, match="bad.md: no YAML front matter"):
        read_article(tmp_path / "bad.md")
    with caplog.at_level("WARNING"):
        articles = load_articles(tmp_path, limit=50_000)
    assert [a.path.name for a in articles] == [good.name]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 3
    assert any("bad.md" in w and "no YAML front matter" in w for w in warnings)
    assert any("latin.md" in w and "not UTF-8" in w for w in warnings)
    assert any("huge.md" in w and "the limit is 50,000" in w for w in warnings)
