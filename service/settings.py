"""All settings in one place, read from `BRIDGEMATCH_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from matching.ranking.blend import Weights

REPO_DATA = Path(__file__).resolve().parents[1] / "data"
_BLEND = Weights()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BRIDGEMATCH_", extra="ignore")

    database_url: str = "sqlite:///./var/bridgematch.db"
    model: str = "all-MiniLM-L6-v2"
    host: str = "127.0.0.1"
    port: int = 8000
    index_dir: Path = Path("./var/index")
    cache_dir: Path = Path("./var/cache")
    data_dir: Path = REPO_DATA
    # Request bodies above this are refused with 413 before they are parsed.
    max_body_bytes: int = 1_000_000
    max_upload_bytes: int = 25_000_000
    # Drafts from documents (POST /candidates:draft, /postings:draft): reading time, pages and text size.
    intake_seconds: float = Field(20.0, gt=0, le=600)
    intake_max_pages: int = Field(50, ge=1)
    intake_max_chars: int = Field(200_000, ge=1000)
    # Rows one import file may hold; past this it is refused with 413 before its rows are built.
    max_import_rows: int = Field(50_000, ge=1)
    # Ranking blend, normalised to sum to 1; the defaults are the engine's (matching.ranking.blend.Weights).
    weight_semantic: float = Field(_BLEND.semantic, ge=0)
    weight_skills: float = Field(_BLEND.skills, ge=0)
    weight_lexical: float = Field(_BLEND.lexical, ge=0)
    weight_concepts: float = Field(_BLEND.concepts, ge=0)
    # POST /ranking/model:train may make a blend learned from an organisation's outcomes live for it (stored, so
    # every process and restart uses it) when it beats the configured one on later outcomes; off: reported only.
    learned_blend: bool = False
    # nDCG@10 points by which the learned blend must beat the configured one on later outcomes.
    learned_blend_margin: float = Field(0.02, ge=0, le=1)
    # The ESCO concept signal (skills mapped to ESCO's digital-skills collection).
    concepts: bool = True
    # Largest delay before a write through another process shows in this one's matches.
    sync_seconds: float = Field(1.0, ge=0, le=3600)
    # Serving processes behind the one port of `bridgematch serve` (service/workers.py); 1: one process.
    workers: int = Field(1, ge=1, le=64)
    # Which of those processes this is (set by service/workers.py in each of them; None: the only one).
    worker: int | None = None
    # Past this many vectors a side switches from exact search to an IVF index (built in the background).
    ann_threshold: int = Field(50_000, ge=1_000)
    ann_nprobe: int = Field(24, ge=1, le=4096)
    faiss_threads: int = Field(1, ge=1, le=64)
    # Ranked lists kept for repeated queries (0 disables); any write clears them.
    cache_size: int = Field(2048, ge=0)
    # A graduate free up to this many days after a posting's start still fits it (a start in the
    # past counts as today: the posting is open until it is deleted).
    start_slack_days: int = Field(14, ge=0, le=365)
    # How many nearest neighbours (semantic and lexical each) are re-scored per query.
    candidate_pool: int = Field(150, ge=10)
    # One JSON object a log line (service/logs.py), for log shippers; off: uvicorn's plain lines.
    log_json: bool = False
    # A one-time sign-in link (QR code) a coordinator makes for a graduate or company works this long.
    signin_link_minutes: int = Field(15, ge=1, le=24 * 60)

    @property
    def sqlite_path(self) -> Path | None:
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix):
            return Path(self.database_url[len(prefix) :])
        return None


@lru_cache
def get_settings() -> Settings:
    return Settings()
