"""The approximate index used past a size threshold: FAISS IVF-Flat on inner product.

IVF over HNSW, chosen by measurement here (bench/results/ranking.txt): it
builds in seconds instead of minutes at 1M vectors, supports remove by id
(HNSW does not), and takes FAISS ID selectors during search, so hard
filters are applied inside the scan instead of after it.
"""

from __future__ import annotations

import math

import faiss
import numpy as np


def choose_nlist(n: int) -> int:
    """About 2·sqrt(n) lists, at least 16: ~1,000 vectors a list at 250k, ~500 at 1M."""
    return max(16, int(2 * math.sqrt(max(n, 1))))


def build_ivf(vectors: np.ndarray, ids: np.ndarray, *, nlist: int | None = None, seed: int = 0) -> faiss.Index:
    """Train on a sample (40 points a centroid, as FAISS advises) and add everything."""
    n, dim = vectors.shape
    nlist = nlist or choose_nlist(n)
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    index.cp.seed = seed
    sample = min(n, nlist * 40)
    rng = np.random.default_rng(seed)
    rows = rng.choice(n, size=sample, replace=False) if sample < n else np.arange(n)
    index.train(np.ascontiguousarray(vectors[rows]))
    index.add_with_ids(np.ascontiguousarray(vectors), np.ascontiguousarray(ids, dtype=np.int64))
    index.set_direct_map_type(faiss.DirectMap.Hashtable)  # remove by id without scanning every list
    return index


def bitmap_selector(allowed: np.ndarray) -> tuple[faiss.IDSelector, np.ndarray]:
    """A bitmap over ids 0..max(allowed): O(1) membership, cheap to build for dense ids.

    The bitmap array is returned too: FAISS keeps a pointer, so it must outlive the search.
    """
    size = int(allowed.max()) + 1 if allowed.size else 1
    mask = np.zeros(size, dtype=bool)
    mask[allowed] = True
    bits = np.packbits(mask, bitorder="little")
    return faiss.IDSelectorBitmap(size, faiss.swig_ptr(bits)), bits


def search_ivf(
    index: faiss.Index, query: np.ndarray, k: int, *, nprobe: int, allowed: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    params = faiss.SearchParametersIVF(nprobe=nprobe)
    keep_alive = None
    if allowed is not None:
        params.sel, keep_alive = bitmap_selector(allowed)
    scores, ids = index.search(query.reshape(1, -1), k, params=params)
    del keep_alive
    found = ids[0] >= 0
    return scores[0][found], ids[0][found]
