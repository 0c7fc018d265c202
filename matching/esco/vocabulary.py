"""ESCO skills and occupations as a vocabulary: concepts, and the labels that name them.

The tables come from `data/esco/` (a derived, attributed copy of ESCO: see
its README). A `ConceptVocabulary` is the flat view the concept mapper needs:
one entry per concept (URI and preferred label) and one row per label
(preferred, alternative, or a curated alias from `aliases.csv`), each label
pointing at its concept.

Skills outside ESCO's digital-skills collection are known here only by their
preferred label (the shared reference data has no URI for them); their `uri`
is then `urn:esco-label:skill:<label>`, stable across runs.

Example:
    >>> vocab = load_skill_vocabulary(collection="digital")
    >>> vocab.concept_of("Postgres").label
    'PostgreSQL'
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "esco"
LABEL_URN = "urn:esco-label:skill:"
Kind = Literal["skill", "occupation"]

_FOLD = re.compile(r"[\s._\-/]+")


class EscoDataError(ValueError):
    """The ESCO tables are missing or do not have the expected columns."""


def fold_label(text: str) -> str:
    """Spelling-insensitive key of a label: `Node.JS ` → `nodejs`, `C++` stays `c++`.

    Accents go too (`análisis` → `analisis`): graduates often type without them.

    Example:
        >>> fold_label("PostgreSQL ")
        'postgresql'
    """
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return _FOLD.sub("", "".join(ch for ch in text if not unicodedata.combining(ch)))


def short_label(label: str) -> str:
    """A label without its bracketed qualifier: `Java (computer programming)` → `Java`."""
    return re.sub(r"\s*\([^)]*\)", "", label).strip()


@dataclass(frozen=True)
class Concept:
    uri: str
    label: str
    kind: Kind


@dataclass
class ConceptVocabulary:
    """Concepts and their labels; `label_concept[i]` is the index in `concepts` of `labels[i]`.

    `label_source[i]` is `preferred`, `alt`, `short` (a preferred label without
    its bracketed qualifier) or `alias` (curated by bridgematch),
    `label_lang[i]` the ISO 639-1 language of the label, and `label_weight[i]`
    how surely the label means its concept (1.0, lower for curated aliases
    that only imply it: `Express` → `web programming` 0.8).
    """

    name: str
    concepts: list[Concept]
    labels: list[str] = field(default_factory=list)
    label_concept: list[int] = field(default_factory=list)
    label_source: list[str] = field(default_factory=list)
    label_lang: list[str] = field(default_factory=list)
    label_weight: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_uri = {c.uri: i for i, c in enumerate(self.concepts)}

    def __len__(self) -> int:
        return len(self.concepts)

    def index_of(self, uri: str) -> int | None:
        return self._by_uri.get(uri)

    def add_label(
        self, concept: int, label: str, source: str, lang: str = "en", weight: float = 1.0
    ) -> None:
        self.labels.append(label)
        self.label_concept.append(concept)
        self.label_source.append(source)
        self.label_lang.append(lang)
        self.label_weight.append(weight)

    def exact_index(self) -> dict[str, dict[int, float]]:
        """Folded label → {concept index: weight}, the best weight when a label repeats."""
        index: dict[str, dict[int, float]] = {}
        for label, concept, weight in zip(self.labels, self.label_concept, self.label_weight):
            bucket = index.setdefault(fold_label(label), {})
            bucket[concept] = max(weight, bucket.get(concept, 0.0))
        return index

    def subset(self, keep: set[str], *, name: str | None = None) -> ConceptVocabulary:
        """The concepts whose URI or preferred label is in `keep`, with all their labels.

        Handy for tests and for a service that only needs part of ESCO.
        """
        chosen = [i for i, c in enumerate(self.concepts) if c.uri in keep or c.label in keep]
        new_index = {old: new for new, old in enumerate(chosen)}
        out = ConceptVocabulary(name or f"{self.name}-subset", [self.concepts[i] for i in chosen])
        for label, concept, source, lang, weight in zip(
            self.labels, self.label_concept, self.label_source, self.label_lang, self.label_weight
        ):
            if concept in new_index:
                out.add_label(new_index[concept], label, source, lang, weight)
        return out

    def concept_of(self, label: str) -> Concept | None:
        """The concept a label names exactly (after folding), the surest one if several do."""
        hits = self.exact_index().get(fold_label(label))
        if not hits:
            return None
        best = max(hits.items(), key=lambda item: (item[1], -item[0]))[0]
        return self.concepts[best]


def _read_parquet(path: Path) -> pl.DataFrame:
    if not path.is_file():
        raise EscoDataError(f"ESCO table {path} is missing; rebuild it with data/esco/derive.py")
    return pl.read_parquet(path)


def load_skill_vocabulary(
    data_dir: Path = DATA_DIR,
    *,
    collection: Literal["digital", "all"] = "digital",
    aliases: bool = True,
) -> ConceptVocabulary:
    """ESCO skills: the digital-skills collection (1,284 concepts) or all (~14,000).

    Digital skills carry their alternative labels; every skill gets its short
    label when it has a bracketed qualifier; `aliases.csv` adds bridgematch's
    curated spellings (`JS`, `Node.js`, `Express`…).
    """
    frame = _read_parquet(data_dir / "skills.parquet")
    if collection == "digital":
        frame = frame.filter(pl.col("digital"))
    elif collection != "all":
        raise ValueError(f"collection must be 'digital' or 'all', not {collection!r}")
    concepts = [
        Concept(uri or f"{LABEL_URN}{label}", label, "skill")
        for uri, label in frame.select("uri", "label").iter_rows()
    ]
    vocab = ConceptVocabulary(f"esco-skills-{collection}", concepts)
    for i, (label, alts) in enumerate(frame.select("label", "alt_labels").iter_rows()):
        vocab.add_label(i, label, "preferred")
        for alt in (a.strip() for a in (alts or "").split("|")):
            if alt and alt != label:
                vocab.add_label(i, alt, "alt")
        short = short_label(label)
        if short and short != label:
            vocab.add_label(i, short, "short")
    if aliases:
        _add_aliases(vocab, data_dir / "aliases.csv", kind="skill")
    return vocab


def load_occupation_vocabulary(
    data_dir: Path = DATA_DIR,
    *,
    languages: tuple[str, ...] = ("en",),
    aliases: bool = True,
) -> ConceptVocabulary:
    """ESCO occupations (3,039) with their preferred and alternative labels in `languages`.

    Available languages are `en`, `es` and `de`; the concepts are the same in each.
    """
    frame = _read_parquet(data_dir / "occupation_labels.parquet")
    unknown = set(languages) - set(frame["lang"].unique().to_list())
    if unknown or not languages:
        raise ValueError(f"occupation labels exist for en, es and de; not for {sorted(unknown)}")
    english = frame.filter(pl.col("lang") == "en", pl.col("preferred"))
    concepts = [
        Concept(uri, label, "occupation")
        for uri, label in english.select("uri", "label").iter_rows()
    ]
    vocab = ConceptVocabulary(f"esco-occupations-{'-'.join(languages)}", concepts)
    labels = frame.filter(pl.col("lang").is_in(list(languages)))
    for uri, lang, label, preferred in labels.select(
        "uri", "lang", "label", "preferred"
    ).iter_rows():
        index = vocab.index_of(uri)
        if index is not None:
            vocab.add_label(index, label, "preferred" if preferred else "alt", lang)
    if aliases:
        _add_aliases(vocab, data_dir / "aliases.csv", kind="occupation")
    return vocab


def _add_aliases(vocab: ConceptVocabulary, path: Path, *, kind: Kind) -> None:
    """Curated `alias,uri,esco_label,kind,lang,confidence` rows whose concept is in `vocab`."""
    if not path.is_file():
        return
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (row.get("kind") or "skill").strip() != kind:
                continue
            target = vocab.index_of((row.get("uri") or "").strip())
            if target is None:
                target = _index_of_label(vocab, (row.get("uri") or "").strip())
            alias = (row.get("alias") or "").strip()
            if alias and target is not None:
                weight = float(row.get("confidence") or 1.0)
                vocab.add_label(target, alias, "alias", (row.get("lang") or "en").strip(), weight)


def _index_of_label(vocab: ConceptVocabulary, value: str) -> int | None:
    """Aliases may name a label-only skill by `urn:esco-label:skill:<label>`."""
    return vocab.index_of(value) if value.startswith(LABEL_URN) else None
