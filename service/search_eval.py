"""The service's own free-text search as a ranker for the evaluation sets.

`bridgematch evaluate titles|ranking` report what a person typing a title into
bridgematch gets: every corpus item becomes a posting stored with
`Matcher.create` (embedded, BM25-indexed, ESCO-mapped) in a throw-away
database, and every query goes through `Matcher.search` — retrieval (FAISS and
BM25 pools), the signals and the blend with the weights in `Settings`, exactly
as `GET /search` runs it. There is no evaluation-only ranker.

A corpus item's first 200 characters (to the first line break) are its title,
the whole text its description, and its skills those the service's own
mappers find in it (`service.pairs_eval.SkillFinder`); the sets state no city
or permit, so no hard filter applies.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from matching.evaluation.data import RankingTask
from matching.records.profiles import PostingRecord
from matching.records.sides import Owner, Side
from service.matcher import Matcher
from service.pairs_eval import SkillFinder

TITLE_CHARS = 200
DESCRIPTION_CHARS = 5000
Progress = Callable[[int, int], None]


@contextmanager
def scratch_matcher(*, model: str, cache_dir: Path, data_dir: Path, name: str) -> Iterator[tuple[Matcher, int, int]]:
    """A matcher over a fresh temporary database, with one organisation and one company:
    the whole service path, and nothing left behind."""
    from service.auth import ensure_company
    from service.composition import build_matcher
    from service.settings import Settings
    from service.usecases.first_start import init

    with tempfile.TemporaryDirectory(prefix="bm-eval-") as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'eval.db'}", index_dir=Path(tmp) / "index",
                            cache_dir=cache_dir, data_dir=data_dir, model=model)
        matcher = build_matcher(settings)
        try:
            org_id, _ = init(matcher, f"{name} evaluation")
            with matcher.sessions.begin() as session:
                company_id = ensure_company(session, org_id=org_id, name=name)
            yield matcher, org_id, company_id
        finally:
            matcher.close()


def posting_of_item(text: str, skills: Callable[[str], list[str]]) -> PostingRecord:
    flat = text.strip()
    title = flat.splitlines()[0][:TITLE_CHARS].strip() if flat else ""
    return PostingRecord(company="evaluation", title=title or "-", description=flat[:DESCRIPTION_CHARS],
                         required_skills=skills(flat), remote=True, work_permit_required=False)


def search_rankings(
    task: RankingTask, *, model: str, cache_dir: Path, data_dir: Path, depth: int = 100,
    progress: Progress | None = None,
) -> dict[str, list[str]]:
    """Each judged query's corpus ids, best first, `depth` deep, as `GET /search` ranks them."""
    doc_ids = list(task.corpus)
    with scratch_matcher(model=model, cache_dir=cache_dir, data_dir=data_dir, name="search") as (m, org, company):
        find = SkillFinder(m)
        pids = m.create(Side.postings, [posting_of_item(task.corpus[d], find) for d in doc_ids],
                        [Owner(org, company)] * len(doc_ids))
        doc_of = dict(zip(pids, doc_ids, strict=True))
        out: dict[str, list[str]] = {}
        qids = task.judged()
        for n, qid in enumerate(qids):
            found = m.search(task.queries[qid], Side.postings, org_id=org, limit=depth)
            out[qid] = [doc_of[match.id] for match in found.matches]
            if progress is not None:
                progress(n + 1, len(qids))
        return out
