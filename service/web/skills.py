"""Skill names offered while typing: the scorer's canonical names first, then ESCO's digital skills.

The ESCO part is a small derived list (`data/esco_skills_autocomplete.txt`, ESCO © European
Union) so pages never read the 800 KB source; `python -m service.web.skills SOURCE.csv`
writes it again from ESCO's `digitalSkillsCollection_en.csv`.
"""

from __future__ import annotations

import csv
import re
import sys
from functools import lru_cache
from pathlib import Path

from service.settings import REPO_DATA

DERIVED = REPO_DATA / "esco_skills_autocomplete.txt"
ATTRIBUTION = (
    "# Derived from the ESCO v1.2 digital skills collection (preferredLabel), ESCO © European Union,\n"
    "# free to reuse with attribution (Commission Decision 2011/833/EU). Labels longer than 48\n"
    "# characters are left out; '(computer programming)' and similar qualifiers are dropped.\n"
)
_QUALIFIER = re.compile(r"\s*\((computer programming|digital game creation systems|software|"
                        r"computer programming language|frameworks?)\)$", re.IGNORECASE)


def derive_labels(source: Path) -> list[str]:
    """Short ESCO digital-skill labels, qualifiers dropped, de-duplicated case-insensitively.

    Example:
        >>> "Python" in derive_labels(Path("digitalSkillsCollection_en.csv"))  # doctest: +SKIP
        True
    """
    seen: dict[str, str] = {}
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            label = _QUALIFIER.sub("", row["preferredLabel"].strip())
            if label and len(label) <= 48:
                seen.setdefault(label.casefold(), label)
    return sorted(seen.values(), key=str.casefold)


@lru_cache(maxsize=4)
def scorer_names(data_dir: Path = REPO_DATA) -> tuple[str, ...]:
    """The canonical names of `skill_aliases.csv`: what the scorer compares skills by."""
    names: dict[str, str] = {}
    aliases = data_dir / "skill_aliases.csv"
    if aliases.exists():
        with aliases.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names.setdefault(row["canonical"].casefold(), row["canonical"])
    return tuple(sorted(names.values(), key=str.casefold))


@lru_cache(maxsize=4)
def vocabulary(data_dir: Path = REPO_DATA) -> tuple[str, ...]:
    """The scorer's names, then ESCO's labels (case-insensitively new ones only)."""
    names = {name.casefold(): name for name in scorer_names(data_dir)}
    derived = data_dir / DERIVED.name
    if derived.exists():
        for line in derived.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                names.setdefault(line.casefold(), line)
    return tuple(names.values())


def suggest(prefix: str, *, limit: int = 12, data_dir: Path = REPO_DATA) -> list[str]:
    """Names starting with `prefix` first, then names containing it; case-insensitive.

    Example:
        >>> suggest("postg")[:1]
        ['PostgreSQL']
    """
    query = prefix.strip().casefold()
    if not query:
        return []
    words = vocabulary(data_dir)
    starts = [w for w in words if w.casefold().startswith(query)]
    inside = [w for w in words if query in w.casefold() and w not in starts]
    return (sorted(starts, key=len) + sorted(inside, key=len))[:limit]


if __name__ == "__main__":  # python -m service.web.skills path/to/digitalSkillsCollection_en.csv
    labels = derive_labels(Path(sys.argv[1]))
    DERIVED.write_text(ATTRIBUTION + "\n".join(labels) + "\n", encoding="utf-8")
    print(f"wrote {len(labels)} labels to {DERIVED}")
