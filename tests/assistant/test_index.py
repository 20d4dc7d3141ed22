"""The hybrid index on the real corpus: round trip, staleness, atomic rebuilds, glossary boost, sentences.

The session fixture ``search_index`` (tests/conftest.py) is built once; tests that
change a corpus or rebuild work on a copy of the corpus and of that built index
(vectors of unchanged texts are reused, so their builds only encode what changed).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from assistant.chunking import split_sentences
from assistant.index import Hit, SearchIndex, corpus_hash
from assistant.settings import Settings

BASIS_RISK = "basis-risk-from-using-vix-to-hedge-nfts-has-anyone-quantified-how-much-the"
WRAPPED_PEG = "russell-clarks-spx-mastery-talks-about-precise-hedging-does-the-1-1-peg-in"


@pytest.fixture
def corpus_copy(tmp_path, search_index):
    """A private copy of the corpus and of the session's built index: (settings, corpus dir)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(search_index.corpus_dir / "articles", corpus / "articles")
    shutil.copyfile(search_index.corpus_dir / "glossary.yaml", corpus / "glossary.yaml")
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    built = search_index.current_dir.resolve()
    shutil.copytree(built, index_dir / built.name)
    os.symlink(built.name, index_dir / "current")
    settings = Settings(corpus_dir=corpus, index_dir=index_dir, query_encoder="onnx")
    return settings, corpus


def _append_paragraph(corpus: Path, text: str) -> Path:
    path = corpus / "articles" / f"{BASIS_RISK}.md"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{text}\n", encoding="utf-8")
    return path


# --- round trip ---------------------------------------------------------------------------------


def test_round_trip_on_the_real_corpus(search_index):
    manifest = search_index.loaded_manifest
    assert manifest["chunk_count"] == len(search_index.chunks) > 0
    assert manifest["dimension"] == 384
    assert manifest["index_type"] == "IndexFlatIP"
    assert manifest["corpus_hash"] == corpus_hash(search_index.corpus_dir)
    for key in ("model", "model_path", "versions", "built_at", "bm25_stemmer", "article_count", "glossary_count"):
        assert key in manifest
    assert not search_index.is_stale()

    q = "what correlation coefficients between VIX and NFT returns were observed before and during liquidity crises"
    hits = search_index.search(q, k=5)
    assert hits[0].chunk.source_id == BASIS_RISK
    assert "0.35" in hits[0].chunk.text
    hits = search_index.search("is iron condor delta neutrality like the 1:1 peg of a wrapped token?", k=5)
    assert WRAPPED_PEG in [h.chunk.source_id for h in hits[:3]]


def test_hits_carry_real_cosines_and_serialise(search_index, build_encoder):
    query = "layering VIX calls in increments of notional exposure"
    hits = search_index.search(query, k=5)
    assert len(hits) == 5 and all(isinstance(h, Hit) for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    q = search_index.encode_query(query)
    assert q.shape == (384,) and abs(np.linalg.norm(q) - 1) < 1e-4
    for h in hits:
        if h.chunk.kind == "article":  # for articles the encoded text is the passage itself
            v = build_encoder.encode([h.chunk.text])[0]
            assert h.dense == pytest.approx(float(v @ q), abs=1e-4)
        d = h.to_dict()
        assert d["chunk_id"] == h.chunk.id and d["text"] == h.chunk.text
        json.dumps(d)
    assert search_index.chunk(hits[0].chunk.id) == hits[0].chunk
    assert search_index.search("", k=5) == []


def test_dense_and_bm25_modes(search_index):
    dense = search_index.search("what happens to a peg when a wrapped asset depegs", k=3, mode="dense")
    bm25 = search_index.search("wBTC wETH", k=3, mode="bm25")
    assert dense and bm25
    assert all(h.bm25 > 0 for h in bm25)
    assert search_index.search("zzzzqqq", k=3, mode="bm25") == []


def test_sentences_are_precomputed_and_match_the_encoder(search_index, build_encoder):
    chunk = next(c for c in search_index.chunks if c.source_id == BASIS_RISK and "0.35" in c.text)
    sentences, vectors = search_index.sentences(chunk.id)
    assert sentences == split_sentences(chunk.text)
    assert all(s in chunk.text for s in sentences)
    assert vectors.shape == (len(sentences), 384) and vectors.dtype == np.float32
    fresh = build_encoder.encode(sentences)
    assert ((fresh * vectors).sum(axis=1) >= 0.999).all()
    assert search_index.articles[BASIS_RISK].title.startswith("Basis risk")
    assert len(search_index.glossary) > 0


# --- glossary boost --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question, name",
    [
        ("ALVH", "ALVH"),
        ("what is WACC", "WACC"),
        ("wat is alvh", "ALVH"),
        ("Adaptive Layered VIX Hedge?", "ALVH"),
        ("define the acid-test ratio", "Quick Ratio"),
        ("what is the relative strenght index", "RSI"),
        ("explain the steward vs promotor distinction", "Steward vs. Promoter Distinction"),
    ],
)
def test_glossary_boost_by_alias_and_typo(search_index, question, name):
    term = search_index.glossary.lookup(name)
    assert term is not None
    hits = search_index.search(question, k=5)
    assert hits[0].chunk.source_id == f"glossary:{term.id}"
    assert hits[0].chunk.text.startswith(term.term + ": ")


def test_methodology_question_naming_a_term_is_not_forced_to_the_glossary(search_index):
    hits = search_index.search("Is the ALVH just marketing hype when you apply it to NFT collections?", k=5)
    assert not hits[0].boosted and hits[0].chunk.kind == "article"


def test_no_boost_without_a_term(search_index):
    hits = search_index.search("What's the capital of France?", k=3)
    assert not any(h.boosted for h in hits)


# --- staleness ---------------------------------------------------------------------------------------


def test_stale_when_the_corpus_changes(corpus_copy):
    settings, corpus = corpus_copy
    index = SearchIndex(settings)
    assert not index.is_stale()
    path = _append_paragraph(corpus, "A new paragraph about zebra spreads.")
    assert index.is_stale()
    path.write_text(path.read_text().replace("\n\nA new paragraph about zebra spreads.\n", "\n"))
    assert not index.is_stale()
    glossary = corpus / "glossary.yaml"
    glossary.write_text(glossary.read_text() + "\n")
    assert index.is_stale()


def test_stale_when_missing(tmp_path, real_corpus_dir):
    assert SearchIndex(Settings(corpus_dir=real_corpus_dir, index_dir=tmp_path / "none")).is_stale()


# --- atomic rebuilds ------------------------------------------------------------------------------


class Boom(RuntimeError):
    pass


def test_failed_build_leaves_the_old_index_serving(corpus_copy):
    settings, corpus = corpus_copy
    old_target = os.readlink(settings.index_dir / "current")
    path = corpus / "articles" / f"{BASIS_RISK}.md"
    original = path.read_text(encoding="utf-8")
    _append_paragraph(corpus, "Zebra spreads are a made-up structure used by this test only.")

    def fail_at_swap(stage):
        if stage == "swap":  # everything is written; only the swap is left
            raise Boom(stage)

    with pytest.raises(Boom):
        SearchIndex(settings).build(_hook=fail_at_swap)
    assert os.readlink(settings.index_dir / "current") == old_target
    assert [p.name for p in settings.index_dir.glob("build-*")] == [old_target]

    path.write_text(original, encoding="utf-8")  # back to the corpus the old index was built from
    old = SearchIndex(settings)
    assert not old.is_stale()
    old.load()  # loads the old index as it is: no build
    assert os.readlink(settings.index_dir / "current") == old_target
    assert old.search("iron condor", k=3)
    assert not any("Zebra" in c.text for c in old.chunks)


def test_killed_build_leaves_the_old_index_loadable(corpus_copy):
    settings, corpus = corpus_copy
    old_target = os.readlink(settings.index_dir / "current")
    _append_paragraph(corpus, "Zebra spreads are a made-up structure used by this test only.")
    code = textwrap.dedent(
        f"""
        import os, signal
        from assistant.index import SearchIndex
        from assistant.settings import Settings
        s = Settings(corpus_dir={str(corpus)!r}, index_dir={str(settings.index_dir)!r})
        def die(stage):
            if stage == "dense":  # chunks, articles and glossary already written to the new folder
                os.kill(os.getpid(), signal.SIGKILL)
        SearchIndex(s).build(_hook=die)
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == -9, proc.stderr
    leftovers = [p for p in settings.index_dir.glob("build-*") if p.name != old_target]
    assert leftovers and (leftovers[0] / "chunks.jsonl").exists()  # it died mid-write
    assert os.readlink(settings.index_dir / "current") == old_target

    index = SearchIndex(settings)
    assert index.is_stale()
    index.load()  # rebuilds (the corpus changed), clears the dead build's folder, swaps
    new_target = os.readlink(settings.index_dir / "current")
    assert new_target != old_target
    # the dead build's folder is gone; the previous build stays until the next build starts
    assert sorted(p.name for p in settings.index_dir.glob("build-*")) == sorted([old_target, new_target])
    hits = index.search("zebra spreads made-up structure", k=3)
    assert "Zebra spreads" in hits[0].chunk.text
    assert not index.is_stale()


def test_reload_swaps_in_memory_while_searches_run(corpus_copy):
    settings, corpus = corpus_copy
    index = SearchIndex(settings)
    index.load()
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                assert index.search("how does the ALVH layer VIX hedges?", k=5)
            except BaseException as err:  # noqa: BLE001
                errors.append(err)
                return

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        _append_paragraph(corpus, "Zebra spreads are a made-up structure used by this test only.")
        index.reload()
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors
    assert any("Zebra spreads" in c.text for c in index.chunks)
    assert "Zebra spreads" in index.search("zebra spreads made-up structure", k=1)[0].chunk.text


# --- query time without torch ----------------------------------------------------------------------


def test_load_with_onnx_query_encoder_never_imports_torch(search_index):
    code = textwrap.dedent(
        f"""
        import sys
        from assistant.index import SearchIndex
        from assistant.settings import Settings
        s = Settings(corpus_dir={str(search_index.corpus_dir)!r}, index_dir={str(search_index.index_dir)!r},
                     query_encoder="onnx")
        idx = SearchIndex(s)
        assert not idx.is_stale()
        idx.load()
        hits = idx.search("wat is alvh", k=3)
        assert hits[0].chunk.source_id == "glossary:alvh", hits[0].chunk.source_id
        assert "torch" not in sys.modules, "torch was imported"
        print("ok")
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
