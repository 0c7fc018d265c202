"""Rebuild the derived ESCO tables in this folder from the shared ESCO files.

Run from the repository root, with the shared folder beside it:

    .venv/bin/python data/esco/derive.py ../shared/data/esco

It writes `occupation_labels.parquet` and `skills.parquet` next to this file
(`aliases.csv` is written by hand and left alone). See README.md here for what
each column means and for the ESCO attribution.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "es", "de")


def _split(value: str | None, sep: str) -> list[str]:
    return [part.strip() for part in (value or "").split(sep) if part.strip()]


def occupation_labels(esco: Path) -> pl.DataFrame:
    """One row per (occupation, language, label): preferred and alternative labels."""
    rows: list[dict[str, object]] = []
    for lang in LANGUAGES:
        frame = pl.read_csv(esco / "v1.2" / f"occupations_{lang}.csv", infer_schema=False)
        for uri, isco, preferred, alts in frame.select(
            "conceptUri", "iscoGroup", "preferredLabel", "altLabels"
        ).iter_rows():
            seen: set[str] = set()
            for label, is_preferred in [(preferred, True)] + [
                (a, False) for a in _split(alts, "\n")
            ]:
                label = (label or "").strip()
                if label and label.lower() not in seen:
                    seen.add(label.lower())
                    rows.append(
                        {
                            "uri": uri,
                            "isco_group": isco,
                            "lang": lang,
                            "label": label,
                            "preferred": is_preferred,
                        }
                    )
    return pl.DataFrame(rows).sort(
        "uri", "lang", "preferred", "label", descending=[False, False, True, False]
    )


def skills(esco: Path) -> pl.DataFrame:
    """ESCO skills: the v1.1 preferred labels, with URI, type and alternative labels for the
    digital-skills collection (v1.2), whose members not in the v1.1 list are added."""
    digital = pl.read_csv(esco / "v1.2" / "digitalSkillsCollection_en.csv", infer_schema=False)
    by_label = {row["preferredLabel"].strip(): row for row in digital.iter_rows(named=True)}
    labels = [
        line.strip()
        for line in (esco / "skills_en_label.txt").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    labels = list(dict.fromkeys(labels))
    labels += [label for label in by_label if label not in set(labels)]
    rows = []
    for label in labels:
        row = by_label.get(label)
        rows.append(
            {
                "uri": row["conceptUri"] if row else None,
                "label": label,
                "alt_labels": " | ".join(_split(row["altLabels"], "|")) if row else "",
                "skill_type": row["skillType"] if row else None,
                "digital": row is not None,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "uri": pl.Utf8,
            "label": pl.Utf8,
            "alt_labels": pl.Utf8,
            "skill_type": pl.Utf8,
            "digital": pl.Boolean,
        },
    )


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit("usage: derive.py PATH/TO/shared/data/esco")
    esco = Path(argv[1])
    occupation_labels(esco).write_parquet(
        HERE / "occupation_labels.parquet", compression="zstd", compression_level=19
    )
    skills(esco).write_parquet(HERE / "skills.parquet", compression="zstd", compression_level=19)


if __name__ == "__main__":
    main(sys.argv)
