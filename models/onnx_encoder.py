"""all-MiniLM-L6-v2 on ONNX Runtime with int8 weights: the fast `Encoder` for bulk import.

The bundled sentence-transformers folder is exported once, locally, into a
cache folder (`<cache_dir>/<model-name>-<hash>/`): `torch.onnx.export` of the
Hugging Face transformer, then `onnxruntime.quantization.quantize_dynamic`
(int8 weights, activations quantised per batch at run time). Nothing is
downloaded. The hash covers the source model files, the export recipe and the
onnxruntime version, so a changed model or runtime gets a fresh export, and the
folder appears by one atomic rename: a reader sees a whole export or none.

At run time the model's own `tokenizers` tokenizer truncates at the
sentence-transformers `max_seq_length` (256), texts are sorted by length and
batched so padding stays small, and the hidden states are mean-pooled over the
attention mask and L2-normalised, exactly as the sentence-transformers pipeline
does. Embeddings stay close to the fp32 model's (cosine ≈ 0.99) but are not
equal, so the encoder has its own `name`, which keys the embedding cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np

ONNX_SUFFIX = "-onnx-int8"
DEFAULT_CACHE_DIR = Path("var/cache/onnx")
# Bump when the export steps change: it is part of the cache folder's hash.
RECIPE = "torchscript-opset17/eager-attn/quantize_dynamic-qint8-per-channel/v1"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "export.json"
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")


class OnnxExportError(RuntimeError):
    """The source folder could not be exported to ONNX."""


def export_dir_for(source: Path, cache_dir: Path) -> Path:
    """Where the export of `source` lives: `<cache_dir>/<folder name>-onnx-int8-<hash>`.

    The hash covers every file of the source folder, the recipe and the
    onnxruntime version.

    Example:
        >>> export_dir_for(default_model_dir(), Path("var/cache/onnx")).name  # doctest: +SKIP
        'model-onnx-int8-3f2a…'
    """
    import onnxruntime

    digest = hashlib.sha256(f"{RECIPE}\x00onnxruntime {onnxruntime.__version__}".encode())
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(source)).encode() + b"\x00")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return cache_dir / f"{source.resolve().name}{ONNX_SUFFIX}-{digest.hexdigest()[:16]}"


def ensure_export(source: Path, cache_dir: Path = DEFAULT_CACHE_DIR) -> Path:
    """Return the export folder of `source`, exporting it first when it is missing.

    Two processes may race: each builds in its own temporary folder next to the
    target and renames it into place; the loser discards its copy.

    Example:
        >>> ensure_export(default_model_dir(), tmp_path)  # doctest: +SKIP
        PosixPath('…/model-onnx-int8-3f2a…')
    """
    target = export_dir_for(source, cache_dir)
    if (target / META_FILE).is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=cache_dir))
    try:
        export_int8(source, scratch)
        try:
            os.rename(scratch, target)
        except OSError:
            if not (target / META_FILE).is_file():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def export_int8(source: Path, target: Path) -> None:
    """Export the transformer in `source` to `target/model.onnx` with int8 weights.

    `target` must exist; it also receives the tokenizer and `export.json`
    (max_seq_length, dimension), written last so its presence marks a whole export.
    """
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    max_seq_length, dim = _read_source_config(source)
    model = AutoModel.from_pretrained(
        str(source), local_files_only=True, attn_implementation="eager"
    ).eval()
    wrapped = _HiddenStates(model)
    # A padded example, so nothing traced can assume an all-ones mask.
    example = {
        "input_ids": torch.full((2, 8), 101, dtype=torch.long),
        "attention_mask": torch.tensor([[1] * 8, [1] * 4 + [0] * 4], dtype=torch.long),
        "token_type_ids": torch.zeros((2, 8), dtype=torch.long),
    }
    fp32 = target / "model.fp32.onnx"
    axes = {name: {0: "batch", 1: "sequence"} for name in (*INPUT_NAMES, "last_hidden_state")}
    with warnings.catch_warnings(), torch.no_grad():
        # The TorchScript exporter is deprecated in favour of dynamo (which needs
        # onnxscript); it traces BERT faithfully and its warnings are about that.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            wrapped,
            (),
            str(fp32),
            kwargs=example,
            input_names=list(INPUT_NAMES),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    quantize_dynamic(
        fp32, target / MODEL_FILE, weight_type=QuantType.QInt8, per_channel=True
    )
    fp32.unlink()
    shutil.copyfile(source / TOKENIZER_FILE, target / TOKENIZER_FILE)
    meta = {"source": str(source), "recipe": RECIPE, "max_seq_length": max_seq_length, "dim": dim}
    (target / META_FILE).write_text(json.dumps(meta, indent=2))


class OnnxEncoder:
    """An exported int8 model on ONNX Runtime's CPU provider; `encode` returns unit rows.

    Example:
        >>> enc = OnnxEncoder(ensure_export(default_model_dir()), name="all-MiniLM-L6-v2-onnx-int8")
        >>> enc.encode(["React developer"]).shape
        (1, 384)
    """

    def __init__(self, export_dir: Path, *, name: str, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        meta = json.loads((export_dir / META_FILE).read_text())
        self.name = name
        self.dim = int(meta["dim"])
        self.max_seq_length = int(meta["max_seq_length"])
        self._tokenizer = Tokenizer.from_file(str(export_dir / TOKENIZER_FILE))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self.max_seq_length)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads or min(os.cpu_count() or 1, 4)
        options.inter_op_num_threads = 1
        # InferenceSession.run is thread-safe, so unlike the torch backend no lock is needed.
        self._session = ort.InferenceSession(
            str(export_dir / MODEL_FILE), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        if batch_size < 1:
            raise ValueError(f"batch_size must be a positive number of texts, got {batch_size}")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = [encoding.ids for encoding in self._tokenizer.encode_batch(texts)]
        # Shortest first, so each batch holds texts of about the same length.
        order = np.argsort([len(row) for row in ids], kind="stable")
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._encode_batch([ids[i] for i in rows])
        return out

    def _encode_batch(self, ids: list[list[int]]) -> np.ndarray:
        width = max(len(row) for row in ids)
        input_ids = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for i, row in enumerate(ids):
            input_ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(mask)}
        (hidden,) = self._session.run(None, feed)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return (pooled / norms).astype(np.float32)


def load_onnx_encoder(
    source: Path | None = None,
    *,
    cache_dir: Path = DEFAULT_CACHE_DIR,
    name: str | None = None,
    threads: int | None = None,
) -> OnnxEncoder:
    """The int8 ONNX encoder of a sentence-transformers folder (the bundled MiniLM by default).

    Exports into `cache_dir` on first use; later loads reuse the export.

    Example:
        >>> enc = load_onnx_encoder(cache_dir=Path("var/cache/onnx"))
        >>> enc.name
        'all-MiniLM-L6-v2-onnx-int8'
    """
    from models.encoder import DEFAULT_MODEL, default_model_dir

    if source is None:
        source, default_name = default_model_dir(), DEFAULT_MODEL + ONNX_SUFFIX
    else:
        default_name = source.resolve().name + ONNX_SUFFIX
    if not (source / "config.json").is_file():
        raise OnnxExportError(f"{source} is not a Hugging Face model folder (no config.json)")
    return OnnxEncoder(ensure_export(source, cache_dir), name=name or default_name, threads=threads)


class _HiddenStates:
    """Placeholder replaced below: a torch module needs torch, imported lazily."""


def _read_source_config(source: Path) -> tuple[int, int]:
    """`max_seq_length` of the sentence-transformers config (capped by the model) and hidden size."""
    config = json.loads((source / "config.json").read_text())
    limit = int(config.get("max_position_embeddings", 512))
    st_config = source / "sentence_bert_config.json"
    max_seq_length = limit
    if st_config.is_file():
        max_seq_length = int(json.loads(st_config.read_text()).get("max_seq_length") or limit)
    return min(max_seq_length, limit), int(config["hidden_size"])
