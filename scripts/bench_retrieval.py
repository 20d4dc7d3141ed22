#!/usr/bin/env python
"""Retrieval benchmarks: cold start, search latency (real corpus and ~100k chunks), build throughput.

    .venv/bin/python scripts/bench_retrieval.py [--chunks 100000] [--synthetic-dir DIR] [--skip-large]
                                                [--queries 300] [--json-out FILE]

Prints a Markdown report (the machine first). What it measures:

1. Real corpus (corpus/): a full build from scratch (model load reported apart,
   then chunks/s and texts/s, texts = chunks + unique sentences); cold start in a
   fresh process (imports, SearchIndex.load() with the ONNX query encoder, first
   search; and whether torch got imported); search latency p50/p95/p99 over
   ``--queries`` searches (query-vector cache cleared before each, so every
   search encodes its query).
2. Synthetic corpus of ``--chunks`` chunks (scripts/make_synthetic_corpus.py):
   build time and its parts; search latency with a flat index and with HNSW, and
   HNSW's recall@10 against flat; cold start; and faiss-only flat vs HNSW times
   at several sizes (the HNSW threshold).
   The encoder throughput on 2 cores (~16 chunks/s) would make encoding 100k
   chunks take ~100 min, so the large build gives each chunk the normalised mean
   of its sentences' real vectors (every unique sentence is encoded with the
   real model); build throughput with real chunk encodings is measured on a
   1,000-chunk sample of the same corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


# --- helpers ------------------------------------------------------------------------------


def machine() -> dict:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "platform": platform.platform(), "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def ms_summary(values: list[float]) -> dict:
    return {"p50_ms": round(pct(values, 50) * 1000, 2), "p95_ms": round(pct(values, 95) * 1000, 2),
            "p99_ms": round(pct(values, 99) * 1000, 2), "n": len(values)}


def questions() -> list[str]:
    path = ROOT / "tests" / "data" / "retrieval-questions.jsonl"
    return [json.loads(line)["question"] for line in path.read_text().splitlines() if line.strip()]


LATENCY = textwrap.dedent(
    """
    import json, sys, time
    import numpy as np
    from assistant.index import SearchIndex
    from assistant.settings import Settings
    corpus, index_dir, threshold, n, queries_file = sys.argv[1:6]
    queries = [json.loads(l)["question"] for l in open(queries_file) if l.strip()]
    idx = SearchIndex(Settings(corpus_dir=corpus, index_dir=index_dir, query_encoder="onnx", hnsw_threshold=int(threshold)))
    assert not idx.is_stale()
    idx.load()
    for q in queries[:5]:  # warm-up
        idx.search(q, k=5)
    times, enc = [], []
    for i in range(int(n)):
        q = queries[i % len(queries)]
        idx.encode_query_cached.cache_clear()  # every search encodes its query
        t = time.perf_counter()
        idx.search(q, k=5)
        times.append(time.perf_counter() - t)
    for i in range(min(int(n), 100)):
        t = time.perf_counter()
        idx._query_encoder.encode([queries[i % len(queries)]])
        enc.append(time.perf_counter() - t)
    dense_ids = [idx._state.dense.search(idx.encode_query(q)[None, :], 10)[1][0].tolist() for q in queries]
    print(json.dumps({"times": times, "encode": enc, "dense_ids": dense_ids,
                      "index_type": idx.loaded_manifest["index_type"], "chunks": len(idx.chunks),
                      "torch_imported": "torch" in sys.modules}))
    """
)


def latency(corpus: Path, index_dir: Path, hnsw_threshold: int, n: int) -> dict:
    """Search latency in a fresh process, as a server has it (ONNX query encoder, no torch)."""
    qfile = ROOT / "tests" / "data" / "retrieval-questions.jsonl"
    proc = subprocess.run([sys.executable, "-c", LATENCY, str(corpus), str(index_dir), str(hnsw_threshold), str(n),
                           str(qfile)], capture_output=True, text=True, cwd=ROOT, timeout=1200)
    if proc.returncode:
        raise RuntimeError(proc.stderr)
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    out = ms_summary(r["times"])
    out["query_encode_p50_ms"] = round(pct(r["encode"], 50) * 1000, 2)
    out["index_type"] = r["index_type"]
    out["chunks"] = r["chunks"]
    out["torch_imported"] = r["torch_imported"]
    out["dense_ids"] = r["dense_ids"]
    return out


COLD = textwrap.dedent(
    """
    import json, sys, time
    t0 = time.perf_counter()
    from assistant.index import SearchIndex
    from assistant.settings import Settings
    t1 = time.perf_counter()
    idx = SearchIndex(Settings(corpus_dir=sys.argv[1], index_dir=sys.argv[2], query_encoder="onnx",
                               hnsw_threshold=int(sys.argv[3])))
    stale = idx.is_stale()
    idx.load()
    t2 = time.perf_counter()
    idx.search("how does the ALVH layer VIX hedges?", k=5)
    t3 = time.perf_counter()
    print(json.dumps({"imports_s": t1 - t0, "load_s": t2 - t1, "first_search_s": t3 - t2, "stale": stale,
                      "torch_imported": "torch" in sys.modules}))
    """
)


def cold_start(corpus: Path, index_dir: Path, hnsw_threshold: int, runs: int = 3) -> dict:
    results = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", COLD, str(corpus), str(index_dir), str(hnsw_threshold)],
                              capture_output=True, text=True, cwd=ROOT, timeout=600)
        wall = time.perf_counter() - t
        if proc.returncode:
            raise RuntimeError(proc.stderr)
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        r["process_wall_s"] = wall
        results.append(r)
    med = {key: round(statistics.median(r[key] for r in results), 3)
           for key in ("imports_s", "load_s", "first_search_s", "process_wall_s")}
    med["torch_imported"] = any(r["torch_imported"] for r in results)
    med["was_stale"] = any(r["stale"] for r in results)
    med["runs"] = runs
    return med


class SentenceMeanEncoder:
    """Large-corpus stand-in: a text's vector is the normalised mean of its sentences' real vectors."""

    def __init__(self, encoder):
        self.encoder = encoder
        self.name = encoder.name + " (sentence mean)"
        self.dimension = encoder.dimension
        self.cache: dict[str, np.ndarray] = {}
        self.encoded = 0
        self.encode_seconds = 0.0

    def encode(self, texts: list[str]) -> np.ndarray:
        from assistant.chunking import split_sentences

        split = [split_sentences(t) or [t] for t in texts]
        todo = list(dict.fromkeys(s for ss in split for s in ss if s not in self.cache))
        if todo:
            t = time.perf_counter()
            for i in range(0, len(todo), 256):
                vecs = self.encoder.encode(todo[i : i + 256])
                self.cache.update(zip(todo[i : i + 256], vecs))
            self.encode_seconds += time.perf_counter() - t
            self.encoded += len(todo)
        out = np.vstack([np.mean([self.cache[s] for s in ss], axis=0) for ss in split]).astype(np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def faiss_sweep(vectors: np.ndarray, queries: np.ndarray, sizes: list[int], hnsw_sizes: set[int]) -> list[dict]:
    import faiss

    from assistant.index import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M

    rows = []
    for n in sizes:
        if n > len(vectors):
            continue
        xb = np.ascontiguousarray(vectors[:n])
        flat = faiss.IndexFlatIP(xb.shape[1])
        flat.add(xb)
        indexes = [("flat", flat)]
        row = {"n": n}
        if n in hnsw_sizes:
            t = time.perf_counter()
            hnsw = faiss.IndexHNSWFlat(xb.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            hnsw.add(xb)
            row["hnsw_build_s"] = round(time.perf_counter() - t, 1)
            hnsw.hnsw.efSearch = HNSW_EF_SEARCH
            indexes.append(("hnsw", hnsw))
        for name, index in indexes:
            times = []
            for q in queries:
                t = time.perf_counter()
                index.search(q[None, :], 50)
                times.append(time.perf_counter() - t)
            row[f"{name}_p50_ms"] = round(pct(times, 50) * 1000, 3)
            row[f"{name}_p99_ms"] = round(pct(times, 99) * 1000, 3)
        if n in hnsw_sizes:
            _, fi = flat.search(queries, 10)
            _, hi = hnsw.search(queries, 10)
            row["hnsw_recall@10"] = round(float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(fi, hi)])), 4)
        rows.append(row)
    return rows


# --- the benchmark ----------------------------------------------------------------------------


def bench_real(args, report: dict) -> None:
    from assistant.embeddings import shared_encoder
    from assistant.index import SearchIndex
    from assistant.settings import Settings

    index_dir = Path(tempfile.mkdtemp(prefix="bench-real-"))
    settings = Settings(index_dir=index_dir, query_encoder="onnx")
    t = time.perf_counter()
    shared_encoder(settings, "build").warm_up()
    model_load = time.perf_counter() - t
    idx = SearchIndex(settings)
    t = time.perf_counter()
    manifest = idx.build()
    build = time.perf_counter() - t
    texts = manifest["chunk_count"] + manifest["sentence_count"]
    report["real_build"] = {
        "chunks": manifest["chunk_count"], "sentences": manifest["sentence_count"],
        "model_load_s": round(model_load, 2), "build_s": round(build, 2),
        "chunks_per_s": round(manifest["chunk_count"] / build, 1), "texts_per_s": round(texts / build, 1),
    }
    print("real build:", report["real_build"], flush=True)
    report["real_cold_start"] = cold_start(settings.corpus_dir, index_dir, settings.hnsw_threshold)
    print("real cold start:", report["real_cold_start"], flush=True)
    report["real_search"] = latency(settings.corpus_dir, index_dir, settings.hnsw_threshold, args.queries)
    report["real_search"].pop("dense_ids")
    print("real search:", report["real_search"], flush=True)
    shutil.rmtree(index_dir, ignore_errors=True)


def bench_large(args, report: dict) -> None:
    from assistant.embeddings import shared_encoder
    from assistant.index import SearchIndex
    from assistant.settings import Settings

    qs = questions()
    syn = args.synthetic_dir
    if not (syn / "articles").is_dir() or len(list((syn / "articles").glob("*.md"))) * 10 < args.chunks:
        t = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_synthetic_corpus.py"), "--out", str(syn),
                        "--chunks", str(args.chunks)], check=True)
        report["synthetic_generate_s"] = round(time.perf_counter() - t, 1)

    # build throughput with real chunk encodings, on a 1,000-chunk sample of the same corpus
    sample = Path(tempfile.mkdtemp(prefix="bench-sample-"))
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_synthetic_corpus.py"), "--out", str(sample / "corpus"),
                    "--chunks", "1000", "--seed", "1"], check=True, capture_output=True)
    s_settings = Settings(corpus_dir=sample / "corpus", index_dir=sample / "index", hnsw_threshold=10**9)
    enc = shared_encoder(s_settings, "build").warm_up()
    t = time.perf_counter()
    m = SearchIndex(s_settings).build()
    dt = time.perf_counter() - t
    report["sample_build"] = {"chunks": m["chunk_count"], "sentences": m["sentence_count"], "build_s": round(dt, 1),
                              "chunks_per_s": round(m["chunk_count"] / dt, 1),
                              "texts_per_s": round((m["chunk_count"] + m["sentence_count"]) / dt, 1)}
    print("sample build (real encodings):", report["sample_build"], flush=True)
    shutil.rmtree(sample, ignore_errors=True)

    # the large build: flat first, then HNSW in the same folder (vectors reused)
    index_dir = args.synthetic_dir.parent / (args.synthetic_dir.name + "-index")
    shutil.rmtree(index_dir, ignore_errors=True)  # from scratch: no vectors reused from an earlier run
    flat_settings = Settings(corpus_dir=syn, index_dir=index_dir, hnsw_threshold=10**9, query_encoder="onnx")
    mean_enc = SentenceMeanEncoder(enc)
    t = time.perf_counter()
    m = SearchIndex(flat_settings).build(progress=True, encoder=mean_enc)
    dt = time.perf_counter() - t
    report["large_build_flat"] = {"chunks": m["chunk_count"], "sentences": m["sentence_count"],
                                  "build_s": round(dt, 1), "sentence_encode_s": round(mean_enc.encode_seconds, 1),
                                  "unique_sentences_encoded": mean_enc.encoded,
                                  "rest_s": round(dt - mean_enc.encode_seconds, 1),
                                  "index_type": m["index_type"]}
    print("large build (flat):", report["large_build_flat"], flush=True)

    report["large_search_flat"] = latency(syn, index_dir, 10**9, args.queries)
    flat_ids = report["large_search_flat"].pop("dense_ids")
    print("large search (flat):", report["large_search_flat"], flush=True)
    report["large_cold_start_flat"] = cold_start(syn, index_dir, 10**9, runs=2)
    print("large cold start (flat):", report["large_cold_start_flat"], flush=True)
    built = (index_dir / "current").resolve()
    vectors = np.load(built / "dense.npy")
    qvecs = shared_encoder(Settings(query_encoder="onnx"), "query").encode(qs)

    hnsw_settings = Settings(corpus_dir=syn, index_dir=index_dir, hnsw_threshold=1000, query_encoder="onnx")
    t = time.perf_counter()
    m = SearchIndex(hnsw_settings).build(encoder=mean_enc)
    report["large_build_hnsw"] = {"build_s": round(time.perf_counter() - t, 1), "index_type": m["index_type"]}
    print("large build (hnsw):", report["large_build_hnsw"], flush=True)
    report["large_search_hnsw"] = latency(syn, index_dir, 1000, args.queries)
    hnsw_ids = report["large_search_hnsw"].pop("dense_ids")
    report["large_search_hnsw"]["recall@10_vs_flat"] = round(
        float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(flat_ids, hnsw_ids)])), 4)
    print("large search (hnsw):", report["large_search_hnsw"], flush=True)
    report["large_cold_start_hnsw"] = cold_start(syn, index_dir, 1000, runs=2)
    print("large cold start (hnsw):", report["large_cold_start_hnsw"], flush=True)

    sizes = [s for s in (1000, 5000, 10000, 20000, 30000, 50000, 75000, 100000) if s <= len(vectors)]
    report["faiss_sweep"] = faiss_sweep(vectors, qvecs, sizes, hnsw_sizes={20000, 50000})
    for row in report["faiss_sweep"]:
        print("faiss:", row, flush=True)


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = [f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory']} RAM, Python {m['python']}, {m['platform']}; "
             f"load average at start {m['loadavg_at_start']}, at end {[round(x, 2) for x in os.getloadavg()]}", ""]
    if "real_build" in report:
        b, c, s = report["real_build"], report["real_cold_start"], report["real_search"]
        lines += [
            f"| real corpus ({b['chunks']} chunks, {b['sentences']} sentences) | figure |",
            "| --- | ---: |",
            f"| model load (sentence-transformers, torch) | {b['model_load_s']} s |",
            f"| build from scratch (model loaded) | {b['build_s']} s: {b['chunks_per_s']} chunks/s, {b['texts_per_s']} texts/s |",
            f"| cold start: imports | {c['imports_s']} s |",
            f"| cold start: SearchIndex.load() (index + ONNX encoder) | {c['load_s']} s |",
            f"| cold start: first search | {c['first_search_s']} s |",
            f"| cold start: whole process | {c['process_wall_s']} s (torch imported: {c['torch_imported']}) |",
            f"| search p50 / p95 / p99 (k=5, {s['n']} searches) | {s['p50_ms']} / {s['p95_ms']} / {s['p99_ms']} ms |",
            f"| of which query encoding (ONNX int8), p50 | {s['query_encode_p50_ms']} ms |",
            "",
        ]
    if "large_build_flat" in report:
        sb, bf, bh = report["sample_build"], report["large_build_flat"], report["large_build_hnsw"]
        sf, sh = report["large_search_flat"], report["large_search_hnsw"]
        cf, ch = report["large_cold_start_flat"], report["large_cold_start_hnsw"]
        lines += [
            f"| synthetic corpus ({bf['chunks']} chunks) | flat (IndexFlatIP) | HNSW |",
            "| --- | ---: | ---: |",
            f"| search p50 / p99 (k=5) | {sf['p50_ms']} / {sf['p99_ms']} ms | {sh['p50_ms']} / {sh['p99_ms']} ms |",
            f"| dense recall@10 vs flat | 1 | {sh['recall@10_vs_flat']} |",
            f"| cold start (process wall) | {cf['process_wall_s']} s | {ch['process_wall_s']} s |",
            f"| build | {bf['build_s']} s ({bf['sentence_encode_s']} s encoding {bf['unique_sentences_encoded']} unique sentences) | {bh['build_s']} s (vectors reused) |",
            "",
            f"Build throughput with real encodings (1,000-chunk synthetic sample, {sb['chunks']} chunks + "
            f"{sb['sentences']} sentences): {sb['chunks_per_s']} chunks/s ({sb['texts_per_s']} texts/s).",
            "",
            "| n vectors | flat p50 / p99 (ms) | HNSW p50 / p99 (ms) | HNSW recall@10 | HNSW build (s) |",
            "| ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in report["faiss_sweep"]:
            hnsw = (f"{r['hnsw_p50_ms']} / {r['hnsw_p99_ms']} | {r['hnsw_recall@10']} | {r['hnsw_build_s']}"
                    if "hnsw_p50_ms" in r else "– | – | –")
            lines.append(f"| {r['n']} | {r['flat_p50_ms']} / {r['flat_p99_ms']} | {hnsw} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--synthetic-dir", type=Path, default=Path(tempfile.gettempdir()) / "vixshield-synthetic")
    parser.add_argument("--skip-large", action="store_true", help="only the real corpus")
    parser.add_argument("--skip-real", action="store_true", help="only the synthetic corpus")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--json-out", type=Path, default=None)
    args = parser.parse_args(argv)

    report: dict = {"machine": machine()}
    print("machine:", report["machine"], flush=True)
    if not args.skip_real:
        bench_real(args, report)
    if not args.skip_large:
        bench_large(args, report)
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=2))
    print()
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
