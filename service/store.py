"""The old path of the records' storage functions, kept for the routes, pages and tests that
import it; new code imports `service.storage.records`, `.embeddings` and `.changes`."""

from __future__ import annotations

from matching.records.sides import NotFoundError, Owner, Record, Side
from service.storage.blend_models import live_blends
from service.storage.changes import CHANGE_FEED_LOCK, changes_since, last_change, record_changes
from service.storage.embeddings import (
    cached_vectors,
    delete_unused_vectors,
    delete_vector,
    drop_unused_vector,
    hash_in_use,
    put_vectors,
)
from service.storage.records import (
    MODEL,
    ROW,
    ConflictError,
    all_rows,
    check_external_ids,
    count_rows,
    delete_row,
    from_row,
    get_row,
    insert_rows,
    org_owners,
    owner_of,
    rows_by_id,
    set_text_hashes,
    to_columns,
    update_row,
    wipe_freed_pages,
)

__all__ = [
    "CHANGE_FEED_LOCK", "MODEL", "ROW", "ConflictError", "NotFoundError", "Owner", "Record", "Side",
    "all_rows", "cached_vectors", "changes_since", "check_external_ids", "count_rows", "delete_row",
    "delete_unused_vectors", "delete_vector", "drop_unused_vector", "from_row", "get_row", "hash_in_use",
    "insert_rows", "last_change", "live_blends", "org_owners", "owner_of", "put_vectors", "record_changes",
    "rows_by_id", "set_text_hashes", "to_columns", "update_row", "wipe_freed_pages",
]
