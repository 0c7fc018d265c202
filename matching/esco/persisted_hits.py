"""Skill string → ESCO hits, kept on disk so a process that only reads never loads the model.

Mapping a skill that no label names exactly needs the encoder (the dense layer,
`matching.esco.mapper`), and loading it costs ~15 s: the price `bridgematch match`
paid on every run, although every skill of every stored record was mapped when
the record was written. A writer appends each new mapping here; a reader starts
from the file and maps only what it lacks.

It is a cache, never a source: every entry is a function of a skill string
(held in the database) and the mapper, so deleting the file only means the next
writer maps the strings again. The file name holds a fingerprint of everything
a hit depends on — the encoder's name, the vocabulary (concepts, labels, their
sources and weights), the mapper's settings and the source code of the mapper
and its exact-label layer — so a changed model, vocabulary or rule reads a new,
empty file instead of stale hits. Lines are appended in one write each, and a
reader takes only complete lines, so it may run beside the writer.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from matching.esco import exact_labels, mapper
from matching.esco.mapper import ConceptHit, ConceptMapper
from matching.retrieval.private_dirs import make_private_dir

PRIVATE_FILE = 0o600


def fingerprint(concept_mapper: ConceptMapper, *, per_skill: int, min_confidence: float) -> str:
    """A digest of every input a skill's hits depend on, but the skill string itself."""
    vocabulary = concept_mapper.vocabulary
    digest = hashlib.sha256()
    parts = (
        concept_mapper.encoder.name, vocabulary.name, per_skill, min_confidence, concept_mapper.dense_weight,
        [c.uri for c in vocabulary.concepts], [c.label for c in vocabulary.concepts], vocabulary.labels,
        vocabulary.label_concept, vocabulary.label_source, vocabulary.label_weight,
    )
    digest.update(json.dumps(parts, ensure_ascii=False, default=str).encode())
    for module in (mapper, exact_labels):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


class PersistedHits:
    """An append-only JSON-lines file of `{"skill": ..., "hits": [[uri, label, confidence], ...]}`.

    `writable=False` (a reader beside a serving process) reads it and never writes.
    """

    def __init__(self, path: Path, *, writable: bool = True) -> None:
        self.path = path
        self.writable = writable
        self._offset = 0
        self._inode: int | None = None
        self._lock = threading.Lock()

    @classmethod
    def for_mapper(
        cls, concept_mapper: ConceptMapper, cache_dir: Path, *, per_skill: int, min_confidence: float,
        writable: bool = True,
    ) -> PersistedHits:
        key = fingerprint(concept_mapper, per_skill=per_skill, min_confidence=min_confidence)
        name = f"skill-hits-{concept_mapper.encoder.name.replace('/', '_')}-{key}.jsonl"
        return cls(cache_dir / name, writable=writable)

    def read_new(self) -> dict[str, list[ConceptHit]]:
        """The entries written since the last call (all of them on the first): complete lines only."""
        with self._lock:
            try:
                with self.path.open("rb") as handle:
                    inode = os.fstat(handle.fileno()).st_ino
                    if inode != self._inode:  # rewritten by `keep_only` (an erasure): read it whole
                        self._inode, self._offset = inode, 0
                    handle.seek(self._offset)
                    data = handle.read()
            except FileNotFoundError:
                return {}
            end = data.rfind(b"\n") + 1  # a line still being written is read next time
            self._offset += end
        found: dict[str, list[ConceptHit]] = {}
        for line in data[:end].splitlines():
            try:
                entry = json.loads(line)
                found[entry["skill"]] = [ConceptHit(str(u), str(lab), float(c)) for u, lab, c in entry["hits"]]
            except (ValueError, KeyError, TypeError):
                continue  # a damaged line: that skill is simply mapped again
        return found

    def append(self, mapped: dict[str, list[ConceptHit]]) -> None:
        """Add new mappings in one write (a no-op for a reader)."""
        if not self.writable or not mapped:
            return
        text = "".join(
            json.dumps({"skill": skill, "hits": [[h.uri, h.label, float(h.confidence)] for h in hits]},
                       ensure_ascii=False) + "\n"
            for skill, hits in mapped.items()
        ).encode()
        make_private_dir(self.path.parent)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        try:
            os.write(fd, text)
        finally:
            os.close(fd)

    def keep_only(self, skills: set[str]) -> int:
        """Rewrite the file with the entries of `skills` alone; returns how many entries went.

        A skill string is free text a graduate typed; one only they used must not outlive their
        erasure on disk. The new file replaces the old one in one rename, so a reader sees
        either; readers notice the new file (`read_new`) and read it from the start.
        """
        if not self.writable:
            return 0
        with self._lock:
            try:
                lines = self.path.read_bytes().splitlines(keepends=True)
            except FileNotFoundError:
                return 0
            kept = []
            for line in lines:
                try:
                    if json.loads(line)["skill"] in skills:
                        kept.append(line)
                except (ValueError, KeyError, TypeError):
                    continue
            if len(kept) == len(lines):
                return 0
            spare = self.path.with_name(self.path.name + ".new")
            fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
            try:
                os.write(fd, b"".join(kept))
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(spare, self.path)
            self._inode, self._offset = os.stat(self.path).st_ino, sum(map(len, kept))
            return len(lines) - len(kept)
