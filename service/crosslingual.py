"""Does a graduate who writes in Spanish, Arabic or Ukrainian get the jobs their English twin gets?

`data/demo/crosslingual.json` holds graduate profiles written in English and
translated (same skills, same projects, same facts) into other languages. Each
version is ranked against the demo postings through the service's own path
(`Matcher.create` then `matches_for_candidate`: hard filters, embedding, BM25,
skills, ESCO concepts), with identical facts for the filters, so the only thing
that differs is the language of the prose. The measure is how many of the
English version's top-k postings the other version also gets.

The check runs on a throw-away database in a temporary folder, so it never
touches a real one: `bridgematch evaluate crosslingual [--model …]`.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from matching.records.profiles import CandidateProfile
from matching.records.sides import Owner, Side
from service.bulk import parse_records
from service.matcher import Matcher
from service.storage.records import org_owners

REFERENCE = "en"
# The facts every version shares: generous enough that most demo postings pass the hard
# filters (language levels, permit, place), so the top-k is a real choice among many.
FACTS: dict[str, object] = {
    "languages": {"en": "C1", "es": "C1", "ca": "B2", "hr": "B1", "ar": "C2", "uk": "C2"},
    "location": "Barcelona",
    "remote_ok": True,
    "work_permit": True,
}


@dataclass
class VersionResult:
    key: str
    lang: str
    detected: str | None
    top: list[str]
    shared_with_reference: int


@dataclass
class CrossLingualReport:
    model: str
    k: int
    eligible: dict[str, int] = field(default_factory=dict)
    versions: list[VersionResult] = field(default_factory=list)

    def others(self) -> list[VersionResult]:
        return [v for v in self.versions if v.lang != REFERENCE]

    def by_language(self) -> dict[str, list[int]]:
        shared: dict[str, list[int]] = defaultdict(list)
        for version in self.others():
            shared[version.lang].append(version.shared_with_reference)
        return dict(shared)

    def as_dict(self) -> dict:
        return asdict(self) | {"by_language": self.by_language()}


def load_versions(path: Path) -> dict[str, dict[str, dict]]:
    """Profiles by key, then language; each key must have its reference (English) version."""
    versions: dict[str, dict[str, dict]] = defaultdict(dict)
    for entry in json.loads(path.read_text(encoding="utf-8")):
        versions[entry["key"]][entry["lang"]] = entry
    missing = sorted(key for key, langs in versions.items() if REFERENCE not in langs)
    if missing:
        raise ValueError(f"{path}: no {REFERENCE} version for {missing}")
    return dict(versions)


def _profile(entry: dict) -> CandidateProfile:
    return CandidateProfile(
        name=f"{entry['key']} ({entry['lang']})",
        headline=entry["headline"],
        summary=entry["summary"],
        skills=entry["skills"],
        projects=entry.get("projects", []),
        **FACTS,  # type: ignore[arg-type]
    )


def measure(matcher: Matcher, org_id: int, versions: dict[str, dict[str, dict]], *, k: int = 10) -> CrossLingualReport:
    """Add every version as a graduate of `org_id`, rank, compare with the reference version.

    The matcher must hold the postings already; the graduates it adds stay
    (the caller's database is a throw-away one).
    """
    report = CrossLingualReport(model=matcher.encoder.name, k=k)
    names = {rid: getattr(rec, "external_id", None) or str(rid) for rid, rec in matcher.sides[Side.postings].records.items()}
    for key, langs in sorted(versions.items()):
        entries = [langs[REFERENCE]] + [langs[lang] for lang in sorted(langs) if lang != REFERENCE]
        ids = matcher.create(Side.candidates, [_profile(e) for e in entries], [Owner(org_id)] * len(entries))
        reference: set[str] = set()
        for entry, rid in zip(entries, ids, strict=True):
            stored = matcher.get(Side.candidates, rid)
            top = [names[m.id] for m in matcher.matches_for_candidate(rid, limit=k)]
            if entry["lang"] == REFERENCE:
                reference = set(top)
                table = matcher.sides[Side.postings].table
                report.eligible[key] = len(table.eligible_for(stored, org_id))  # type: ignore[arg-type]
            report.versions.append(
                VersionResult(
                    key=key,
                    lang=entry["lang"],
                    detected=stored.text_language,  # type: ignore[union-attr]
                    top=top,
                    shared_with_reference=len(reference & set(top)),
                )
            )
    return report


def run(data_dir: Path, *, model: str, cache_dir: Path, k: int = 10, concepts: bool = True) -> CrossLingualReport:
    """The whole check on a fresh temporary database holding the demo postings."""
    from service.composition import build_matcher
    from service.settings import Settings
    from service.usecases.first_start import init

    with tempfile.TemporaryDirectory(prefix="bm-crosslingual-") as tmp:
        settings = Settings(
            database_url=f"sqlite:///{Path(tmp) / 'check.db'}",
            index_dir=Path(tmp) / "index",
            cache_dir=cache_dir,
            data_dir=data_dir,
            model=model,
            concepts=concepts,
        )
        matcher = build_matcher(settings)
        try:
            org_id, _ = init(matcher)
            rows = json.loads((data_dir / "demo" / "postings.json").read_text(encoding="utf-8"))
            postings = parse_records(rows, Side.postings)
            owners = org_owners(Side.postings, org_id, postings, create_companies=True)  # a scratch database
            matcher.create(Side.postings, postings, owners)
            return measure(matcher, org_id, load_versions(data_dir / "demo" / "crosslingual.json"), k=k)
        finally:
            matcher.close()
