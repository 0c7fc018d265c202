"""The embedding cache: vectors by a hash of (model, text), so the same text is never encoded twice,
and never kept once no stored record's text uses it."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.db import CandidateRow, EmbeddingRow, PostingRow


def hash_in_use(session: Session, *, text_hash: str) -> bool:
    for table in (CandidateRow, PostingRow):
        if session.scalar(select(table.id).where(table.text_hash == text_hash).limit(1)):
            return True
    return False



def cached_vectors(session: Session, *, hashes: Iterable[str], dim: int) -> dict[str, np.ndarray]:
    wanted = list(set(hashes))
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for row in session.scalars(select(EmbeddingRow).where(EmbeddingRow.text_hash.in_(chunk))):
            if row.dim == dim:
                found[row.text_hash] = np.frombuffer(row.vector, dtype=np.float32).copy()
    return found



def put_vectors(session: Session, *, vectors: dict[str, np.ndarray], model: str) -> None:
    wanted = list(vectors)
    existing: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        existing.update(
            session.scalars(select(EmbeddingRow.text_hash).where(EmbeddingRow.text_hash.in_(chunk)))
        )
    fresh = [
        {"text_hash": text_hash, "model": model, "dim": int(vector.shape[0]),
         "vector": np.asarray(vector, dtype=np.float32).tobytes()}
        for text_hash, vector in vectors.items() if text_hash not in existing
    ]
    if fresh and session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert

        # Several servers may encode the same new text at once: the later insert does nothing.
        table = EmbeddingRow.__table__
        session.execute(insert(table).on_conflict_do_nothing(index_elements=["text_hash"]), fresh)
    else:
        session.add_all(EmbeddingRow(**row) for row in fresh)



def delete_unused_vectors(session: Session) -> int:
    """Drop cached embeddings no row's current text uses (the text of an old recipe or model)."""
    used = select(CandidateRow.text_hash).union(select(PostingRow.text_hash))
    result = session.execute(delete(EmbeddingRow).where(EmbeddingRow.text_hash.not_in(used)))
    return int(result.rowcount or 0)



def delete_vector(session: Session, *, text_hash: str) -> None:
    session.execute(delete(EmbeddingRow).where(EmbeddingRow.text_hash == text_hash))



def drop_unused_vector(session: Session, *, text_hash: str) -> None:
    """Delete the cached embedding of a text no row uses any more (in the caller's transaction),
    so the cache never outlives the records whose text it encodes."""
    session.flush()
    if not hash_in_use(session, text_hash=text_hash):
        delete_vector(session, text_hash=text_hash)
