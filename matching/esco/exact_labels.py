"""The exact layer of concept mapping: a text that *is* a label, or names labels inside it.

Labels are compared folded (`fold_label`: case, spaces and `._-/` ignored, so
`Node.JS` is `nodejs`). One folded label may belong to several concepts, with
different standing: ESCO lists `CSS` as the preferred label of `CSS` and as an
alternative label of `style sheet languages`, `matlab` as an alternative label
of `computer vision`. Hits therefore carry a rank besides their weight: the
concept whose preferred label it is comes first, then a curated alias
(bridgematch's own correction), then a preferred label without its bracketed
qualifier, then an ESCO alternative label.

Inside a longer text only the longest labels count (`Google Cloud` in "Google
Cloud Platform", not `Google`, ESCO's alternative label of `search engines`),
and a single word that also appears in the labels of many other concepts
(`computer`, `IT`, `database`, `access`) does not count on its own: it names a
family, not a concept, so "IT support" is left to the dense signal.

Example:
    >>> vocab = load_skill_vocabulary()
    >>> named = ExactLabels(vocab).whole("css")
    >>> [(vocab.concepts[i].label, rank) for i, (weight, rank) in sorted(named.items())]
    [('style sheet languages', 3), ('CSS', 0)]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from matching.esco.vocabulary import ConceptVocabulary, fold_label

WORD = re.compile(r"[\w#+]+(?:[.\-][\w#+]+)*|\.[A-Za-z]+")
# Which label of a shared spelling speaks first: a preferred label, a curated alias
# (`ML` → machine learning, not the language), a preferred label shorn of its
# qualifier (`ML (computer programming)` → `ML`), an ESCO alternative label.
SOURCE_RANK = {"preferred": 0, "alias": 1, "short": 2, "alt": 3}
# A word in the labels of this many concepts besides those it names is a family name.
AMBIGUOUS_AFTER = 4

# concept index → (weight, rank): the higher weight wins, then the lower rank
Named = dict[int, tuple[float, int]]


class ExactLabels:
    """Folded-label lookups over one vocabulary.

    `case_sensitive` holds folded labels spelled like everyday words (`express`,
    `go`): inside longer text they count only in the label's own case, as do
    labels of one or two characters. `whole_only` holds folded labels that count
    only as the whole text (`networking`, which "professional networking" is not).
    """

    def __init__(
        self,
        vocabulary: ConceptVocabulary,
        *,
        case_sensitive: frozenset[str] = frozenset(),
        whole_only: frozenset[str] = frozenset(),
        ambiguous_after: int = AMBIGUOUS_AFTER,
    ) -> None:
        self.case_sensitive = case_sensitive
        self.whole_only = whole_only
        self._index: dict[str, Named] = {}
        self._surface: dict[str, Named] = {}
        in_labels: defaultdict[str, set[int]] = defaultdict(set)
        for label, concept, source, weight in zip(
            vocabulary.labels,
            vocabulary.label_concept,
            vocabulary.label_source,
            vocabulary.label_weight,
        ):
            entry = (weight, SOURCE_RANK.get(source, 3))
            for table, key in ((self._index, fold_label(label)), (self._surface, label.strip())):
                bucket = table.setdefault(key, {})
                bucket[concept] = _better(entry, bucket.get(concept))
            for word in WORD.findall(label):
                in_labels[fold_label(word)].add(concept)
        self._ambiguous = frozenset(
            key
            for key, named in self._index.items()
            if len(in_labels.get(key, set()) - named.keys()) >= ambiguous_after
        )

    def whole(self, text: str) -> Named:
        """Concepts the whole text is a label of; failing that, of its singular (`databases`)."""
        key = fold_label(text)
        found = self._index.get(key)
        if not found and _plural(key):
            found = self._index.get(key[:-1])
        return dict(found or {})

    def spans(self, text: str, *, max_words: int = 5) -> Named:
        """Concepts named by the longest label runs inside the text, family words left out."""
        found: Named = {}
        taken: list[tuple[int, int]] = []
        for start, end, key, hits in self._runs(text, max_words):
            if any(s <= start and end <= e for s, e in taken):
                continue
            if key in self.whole_only or (end - start == 1 and key in self._ambiguous):
                continue
            taken.append((start, end))
            for concept, entry in hits.items():
                found[concept] = _better(entry, found.get(concept))
        return found

    def mentions(self, text: str, *, max_words: int = 5) -> dict[int, float]:
        """Every concept named by the whole text or by any run of words in it, at its best weight."""
        found = {
            concept: weight
            for concept, (weight, _) in self._index.get(fold_label(text), {}).items()
        }
        for _, _, _, hits in self._runs(text, max_words):
            for concept, (weight, _) in hits.items():
                found[concept] = max(weight, found.get(concept, 0.0))
        return found

    def _runs(self, text: str, max_words: int) -> Iterator[tuple[int, int, str, Named]]:
        """(start, end, folded key, hits) of each run of words that is a label, longest runs first."""
        words = WORD.findall(text)
        for n in range(min(max_words, len(words)), 0, -1):
            for start in range(len(words) - n + 1):
                surface = " ".join(words[start : start + n])
                key = fold_label(surface)
                hits = self._index.get(key)
                if hits and n == 1 and (key in self.case_sensitive or len(key) <= 2):
                    hits = self._surface.get(surface)
                if hits:
                    yield start, start + n, key, hits


def word_count(text: str) -> int:
    """Words as the exact layer splits them: `Node.js backend` has two."""
    return len(WORD.findall(text))


def _better(entry: tuple[float, int], other: tuple[float, int] | None) -> tuple[float, int]:
    if other is None or (entry[0], -entry[1]) > (other[0], -other[1]):
        return entry
    return other


def _plural(key: str) -> bool:
    """A folded key that looks like an English plural (`databases`, `smartcontracts`, not `sass`)."""
    return len(key) >= 5 and key.isalpha() and key.endswith("s") and not key.endswith("ss")
