"""The two encoders agree: int8 ONNX (queries, no torch) vs sentence-transformers (documents)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from assistant.embeddings import OnnxEncoder, SentenceTransformerEncoder, make_encoder
from assistant.settings import Settings

TEXTS = [
    "ALVH",
    "what is WACC",
    "wat is alvh",
    "What is the Adaptive Layered VIX Hedge and how does it protect an SPX iron condor?",
    "An iron condor sells an out-of-the-money call spread and put spread at the same time.",
    "Correlation coefficients dropped from a modest 0.35 in normal regimes to below 0.15 during liquidity crises.",
    "Layer VIX hedges at 30-, 60-, and 90-day expirations.",
    "The Big Top \"Temporal Theta\" Cash Press highlights periods where time decay accelerates.",
    "sell the 5750 put for a 4.20 credit with SPX at 6000",
    "What's the capital of France?",
    "délta neutrality — über-précis hedging ✓",
    # longer than the 128 tokens the shipped tokenizer.json truncates at (the model takes 256)
    " ".join(["The hedge adapts to volatility regimes across multiple time horizons."] * 25),
]


def test_onnx_matches_sentence_transformers(build_encoder, query_encoder):
    a = query_encoder.encode(TEXTS)
    b = build_encoder.encode(TEXTS)
    assert a.shape == b.shape == (len(TEXTS), 384)
    assert a.dtype == b.dtype == np.float32
    cos = (a * b).sum(axis=1)
    assert cos.min() >= 0.99, cos


@pytest.mark.parametrize("encoder_fixture", ["build_encoder", "query_encoder"])
def test_vectors_are_normalised_and_batch_independent(encoder_fixture, request):
    enc = request.getfixturevalue(encoder_fixture)
    batch = enc.encode(TEXTS[:6])
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-4)
    alone = np.vstack([enc.encode([t]) for t in TEXTS[:3]])
    # padding to the longest text in a batch must not change a text's vector
    assert ((alone * batch[:3]).sum(axis=1) >= 0.9999).all()
    assert enc.encode([]).shape == (0, enc.dimension)


def test_make_encoder_picks_by_purpose_and_setting():
    assert isinstance(make_encoder(Settings(), "build"), SentenceTransformerEncoder)
    assert isinstance(make_encoder(Settings(query_encoder="onnx"), "query"), OnnxEncoder)
    assert isinstance(make_encoder(Settings(query_encoder="torch"), "query"), SentenceTransformerEncoder)
    with pytest.raises(ValueError):
        make_encoder(Settings(), "other")
    with pytest.raises(FileNotFoundError):  # a model folder that is not there is never downloaded
        make_encoder(Settings(embedding_model="/nonexistent/model"), "build")


def test_onnx_encoder_never_imports_torch():
    code = textwrap.dedent(
        """
        import sys
        from assistant.embeddings import OnnxEncoder
        v = OnnxEncoder().encode(["what is the ALVH?"])
        assert v.shape == (1, 384)
        assert "torch" not in sys.modules, "torch was imported"
        assert "sentence_transformers" not in sys.modules
        print("ok")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
