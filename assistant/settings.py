"""All configuration in one place: environment variables prefixed ``VIXSHIELD_``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VIXSHIELD_", env_file=None, extra="ignore")

    corpus_dir: Path = Field(ROOT / "corpus", description="Articles (corpus/articles/*.md) and corpus/glossary.yaml")
    index_dir: Path = Field(ROOT / "index", description="Where the built search index lives")
    csv_dir: Path = Field(ROOT / "data" / "csv", description="The only folder a chat question may name a CSV file in (for the correlation calculator)")
    db_path: Path = Field(ROOT / "data" / "vixshield.db", description="SQLite file for conversations and feedback")
    database_url: str = Field("", description="sqlite:///path or postgresql://user@host:port/db; empty means the SQLite file at VIXSHIELD_DB_PATH")
    db_busy_timeout_s: float = Field(5.0, description="How long a store call waits for a locked SQLite file or a pooled PostgreSQL connection before answering 503")
    db_pool_size: int = Field(8, description="PostgreSQL connections per server process (psycopg_pool max_size)")
    redis_url: str = Field("", description="redis://host:port/0 for rate-limit buckets shared by every worker and replica; empty means a SQLite file shared by one host's workers")
    trusted_proxies: list[str] = Field(default_factory=list, description="Addresses or CIDRs (JSON list) whose X-Forwarded-For is believed; the client is the rightmost untrusted hop. Default none")
    embedding_model: str = Field("", description="A sentence-transformers folder; empty means the bundled all-MiniLM-L6-v2")
    query_encoder: str = Field("onnx", description="'onnx' (int8 export, no torch at query time) or 'torch' (sentence-transformers)")
    hnsw_threshold: int = Field(20000, description="Chunk count above which the dense index is HNSW instead of flat")
    host: str = Field("127.0.0.1", description="Address `vixshield serve` binds")
    port: int = Field(8000, description="Port `vixshield serve` binds")
    workers: int = Field(1, description="uvicorn worker processes")
    api_key: str = Field("", description="Key for POST /v1/admin/reindex (header X-API-Key); empty disables the endpoint")
    cors_origins: list[str] = Field(default_factory=lambda: ["http://127.0.0.1:8000", "http://localhost:8000"], description="Origins allowed to call the API from a browser (JSON list)")
    rate_limit_per_minute: float = Field(120, description="Requests a client may make per minute (token bucket refill)")
    rate_limit_burst: int = Field(40, description="Token bucket size per client")
    max_body_bytes: int = Field(16384, description="Largest request body accepted")
    max_article_bytes: int = Field(512 * 1024, description="Largest article or imported page read; bigger files are skipped with a warning")
    header_timeout_s: float = Field(10.0, description="Seconds a connection may take to send a request's headers before it is closed")
    body_timeout_s: float = Field(10.0, description="Seconds a client may take to send a request body before it gets 408")
    keep_alive_s: float = Field(5.0, description="Seconds an idle keep-alive connection is held open")
    multiplier: int = Field(100, description="SPX option contract multiplier (dollars per index point) the chat passes to the iron-condor and vertical-spread calculators")
    decline_threshold: float = Field(0.21, description="Minimum dense similarity of the best passage for a grounded answer")
    log_level: str = Field("info", description="Level of the JSON logs the HTTP service writes to stderr (debug, info, warning)")
    ready_wait_s: float = Field(30.0, description="How long an API request waits for the assistant to finish warming up before answering 503")
    index_watch_s: float = Field(5.0, description="How often each server worker checks whether another worker swapped in a new index (0 disables)")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
