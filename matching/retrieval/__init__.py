"""Retrieval: vector indexes (exact and IVF), BM25, shards and the embedding cache."""
