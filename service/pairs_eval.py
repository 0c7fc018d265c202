"""Does bridgematch put the résumé that fits a job above the one that does not? (rjdb pairs)

`../shared/eval/rjdb/dev.jsonl` holds jobs, each with a matched résumé and an
unmatched one (the same résumé with required skills removed or experience
shortened). Every document goes through the service's own path: it becomes a
posting or a graduate's profile, is stored with `Matcher.create` (embedded,
BM25-indexed, ESCO-mapped) and is scored by `Matcher.pair_scores`, the score
fairs and placements use, which blends exactly the signals of the match lists.
Hard filters are left out: the documents state no city, permit or languages.

By default a document becomes a record plainly (`--intake` adds a row with the records the CV
and job-ad drafts make of them, `matching.intake.drafts`): the job's first heading line is the title and its
text the description; a résumé's lines are its projects (the scored free text
of a graduate); skills on both sides are those the service's own skill mapper
finds in the text (the scorer's skill names and ESCO's labels, exact layer).
Beside it: BM25 over the raw texts and the raw embedding cosine, the
baselines of `../shared/eval/rjdb/README.md`.

    bridgematch evaluate pairs ../shared/eval/rjdb/dev.jsonl
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from matching.ranking.blend import RELEVANCE_FLOOR
from matching.records.profiles import MAX_PROJECTS, MAX_SKILLS, CandidateProfile, PostingRecord
from matching.records.sides import Owner, Side
from matching.retrieval.lexical import LexicalIndex
from service.matcher import Matcher

_HEADING = re.compile(r"^#+\s*")
MAX_DESCRIPTION = 5000
MAX_LINE = 1000


@dataclass
class PairsReport:
    model: str
    pairs: int
    accuracy: dict[str, float] = field(default_factory=dict)  # method -> pairwise accuracy (ties half)
    # bridgematch's scores of the matched and the unmatched résumés: 5th/50th/95th percentile, and
    # the share a match list's relevance floor (matching.ranking.blend.RELEVANCE_FLOOR) would drop
    floor: float = RELEVANCE_FLOOR
    matched: dict[str, float] = field(default_factory=dict)
    unmatched: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def load_pairs(path: Path, limit: int | None = None) -> list[tuple[str, str, str]]:
    """(job, matched résumé, unmatched résumé) triples, in file order."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                rows.append((row["Job-Description"], row["Resume-matched"], row["Resume-unmatched"]))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}, line {number}: not an rjdb record ({exc})") from exc
            if limit is not None and len(rows) >= limit:
                break
    if not rows:
        raise ValueError(f"{path}: no records")
    return rows


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not _HEADING.match(line.strip())]


def _title(text: str) -> str:
    """The line under the first heading that names a title, else the first line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines[:-1]):
        if _HEADING.match(line) and "title" in line.casefold():
            return lines[i + 1][:200]
    return (_lines(text) or ["job"])[0][:200]


class SkillFinder:
    """Skills named in a whole text, by the service's own mappers: the scorer's skill names
    (`SkillVocabulary.find_in_text`) and ESCO labels found by the concept mapper's exact layer."""

    def __init__(self, matcher: Matcher) -> None:
        self.vocab = matcher.vocab
        self.mapper = matcher.concepts.mapper if matcher.concepts is not None else None

    def __call__(self, text: str) -> list[str]:
        found = dict.fromkeys(self.vocab.find_in_text(text))
        if self.mapper is not None:
            for line in _lines(text):
                for concept in sorted(self.mapper.exact.spans(line)):
                    found.setdefault(self.mapper.vocabulary.concepts[concept].label[:80], None)
        return list(found)[:MAX_SKILLS] or ["none"]


def posting_of(text: str, skills: Callable[[str], list[str]]) -> PostingRecord:
    return PostingRecord(company="rjdb", title=_title(text), description=text.strip()[:MAX_DESCRIPTION],
                         required_skills=skills(text), remote=True, work_permit_required=False)


def candidate_of(text: str, skills: Callable[[str], list[str]], name: str) -> CandidateProfile:
    projects = [line[:MAX_LINE] for line in _lines(text)][:MAX_PROJECTS]
    return CandidateProfile(name=name, skills=skills(text), projects=projects, work_permit=True,
                            visible_to_companies=True)


class Drafts:
    """Documents made into records by the CV and job-ad intake (`matching.intake.drafts`), as a
    graduate or a company would after reviewing a draft: its title, skills (required and nice to
    have) and headline; the scored free text stays the document's lines, as in `candidate_of`."""

    def __init__(self, matcher: Matcher, cache_dir: Path) -> None:
        from matching.esco.concept_signal import skill_mapper
        from matching.intake.drafts import draft_candidate, draft_posting

        self.vocab = matcher.vocab
        self.mapper = matcher.concepts.mapper if matcher.concepts is not None else skill_mapper(
            matcher.encoder, cache_dir)
        self._candidate, self._posting = draft_candidate, draft_posting

    def posting(self, text: str) -> PostingRecord:
        found = self._posting(text, self.vocab, self.mapper).profile
        required = list(found.get("required_skills") or [])[:MAX_SKILLS] or ["none"]
        nice = [s for s in found.get("nice_skills") or [] if s not in required][:MAX_SKILLS]
        return PostingRecord(company="rjdb", title=(found.get("title") or _title(text))[:200],
                             description=text.strip()[:MAX_DESCRIPTION], required_skills=required,
                             nice_skills=nice, remote=True, work_permit_required=False)

    def candidate(self, text: str, name: str) -> CandidateProfile:
        found = self._candidate(text, self.vocab, self.mapper).profile
        projects = [line[:MAX_LINE] for line in _lines(text)][:MAX_PROJECTS]
        return CandidateProfile(name=name, headline=str(found.get("headline") or "")[:200],
                                skills=list(found.get("skills") or [])[:MAX_SKILLS] or ["none"],
                                projects=projects, work_permit=True, visible_to_companies=True)


def _spread(scores: np.ndarray) -> dict[str, float]:
    p5, p50, p95 = np.percentile(scores, [5, 50, 95]) if len(scores) else (0.0, 0.0, 0.0)
    below = float(np.mean(scores < RELEVANCE_FLOOR)) if len(scores) else 0.0
    return {"p5": round(float(p5), 3), "median": round(float(p50), 3), "p95": round(float(p95), 3),
            "below_floor": round(below, 3)}


def _accuracy(matched: np.ndarray, unmatched: np.ndarray) -> float:
    return float(np.mean((matched > unmatched) + 0.5 * (matched == unmatched)))


def _scored(matcher: Matcher, org_id: int, company_id: int, postings: list[PostingRecord],
            people: list[CandidateProfile]) -> np.ndarray:
    """(jobs × 2) pair scores of each job's matched and unmatched résumé, stored and ranked as
    the service does (`Matcher.create`, `Matcher.pair_scores`)."""
    pids = matcher.create(Side.postings, postings, [Owner(org_id, company_id)] * len(postings))
    cids = matcher.create(Side.candidates, people, [Owner(org_id)] * len(people))
    return np.array([matcher.pair_scores(cids[2 * i : 2 * i + 2], [pid])[:, 0] for i, pid in enumerate(pids)])


def measure(matcher: Matcher, org_id: int, company_id: int, triples: list[tuple[str, str, str]], *,
            cache_dir: Path, intake: bool = False) -> PairsReport:
    """Store every document in `matcher` (a throw-away one) and compare the scorers; with `intake`,
    also with the documents made into records by the CV and job-ad drafts ("bridgematch intake")."""
    find = SkillFinder(matcher)
    resumes = [(f"r{i}{side}", text) for i, (_, good, bad) in enumerate(triples)
               for side, text in (("m", good), ("u", bad))]
    ours = _scored(matcher, org_id, company_id, [posting_of(job, find) for job, _, _ in triples],
                   [candidate_of(text, find, name) for name, text in resumes])
    drafted = None
    if intake:
        drafts = Drafts(matcher, cache_dir)
        drafted = _scored(matcher, org_id, company_id, [drafts.posting(job) for job, _, _ in triples],
                          [drafts.candidate(text, name + "d") for name, text in resumes])

    # both résumés of every job in one corpus, plain bm25s as in the README's baseline
    lexical = LexicalIndex(stem=False, k1=1.5, b=0.75)
    lexical.upsert({k: text for k, text in enumerate(t for _, good, bad in triples for t in (good, bad))})
    bm25 = np.array([lexical.query(job).of([2 * i, 2 * i + 1]) for i, (job, _, _) in enumerate(triples)])

    jobs = matcher.encoder.encode([job for job, _, _ in triples])
    cvs = matcher.encoder.encode([t for _, good, bad in triples for t in (good, bad)]).reshape(len(triples), 2, -1)
    cosine = np.einsum("jd,jkd->jk", jobs, cvs)

    report = PairsReport(model=matcher.encoder.name, pairs=len(triples))
    report.matched, report.unmatched = _spread(ours[:, 0]), _spread(ours[:, 1])
    rows = [("bridgematch", ours)] + ([("bridgematch intake", drafted)] if drafted is not None else [])
    for method, scores in (*rows, ("bm25", bm25), ("embedding", cosine)):
        report.accuracy[method] = round(_accuracy(scores[:, 0], scores[:, 1]), 4)
    return report


@contextmanager
def scratch(data_dir: Path, *, model: str, cache_dir: Path) -> Iterator[tuple[Matcher, int, int]]:
    """(matcher, organisation id, company id) of a fresh temporary database, removed afterwards:
    where rjdb's documents are stored and scored as the service would."""
    from service.auth import ensure_company
    from service.composition import build_matcher
    from service.settings import Settings
    from service.usecases.first_start import init

    with tempfile.TemporaryDirectory(prefix="bm-pairs-") as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'pairs.db'}", index_dir=Path(tmp) / "index",
                            cache_dir=cache_dir, data_dir=data_dir, model=model)
        matcher = build_matcher(settings)
        try:
            org_id, _ = init(matcher, "rjdb evaluation")
            with matcher.sessions.begin() as session:
                company_id = ensure_company(session, org_id=org_id, name="rjdb")  # a scratch database
            yield matcher, org_id, company_id
        finally:
            matcher.close()


def run(path: Path, data_dir: Path, *, model: str, cache_dir: Path, limit: int | None = None,
        intake: bool = False) -> PairsReport:
    """The whole check on a fresh temporary database."""
    triples = load_pairs(path, limit)
    with scratch(data_dir, model=model, cache_dir=cache_dir) as (matcher, org_id, company_id):
        return measure(matcher, org_id, company_id, triples, cache_dir=cache_dir, intake=intake)
