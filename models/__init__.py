"""Embedding models: loading and backends behind one small interface."""

from models.encoder import Encoder, load_encoder, text_hash

__all__ = ["Encoder", "load_encoder", "text_hash"]
