"""all-MiniLM-L6-v2 on ONNX Runtime with int8 weights: the fast `Encoder` for bulk import.

The bundled sentence-transformers folder is exported once, locally, into a
cache folder (`<cache_dir>/<folder>-onnx-int8-<hash>/`): `torch.onnx.export`
of the Hugging Face transformer, then `onnxruntime.quantization.quantize_dynamic`
with int8 weights quantised per output channel (per-tensor weights are a little
faster but lose much more: the feed-forward output layers have outlier
columns). Nothing is downloaded. The hash covers the source model's files, the
export recipe and the onnxruntime version; the folder appears by one atomic
rename, so a reader sees a whole export or none.

At run time the model's own `tokenizers` tokenizer truncates at the
sentence-transformers `max_seq_length` (256); texts are sorted by length and cut
into batches of at most `max_batch_tokens` padded tokens (small batches stay in
cache), which worker threads run in parallel on single-threaded sessions; the
hidden states are mean-pooled over the attention mask and L2-normalised, as
the sentence-transformers pipeline does. Activations are quantised per batch,
so a text's vector moves slightly with its batch mates (cosine ≈ 0.99 either
way); the same list of texts always gives the same vectors. Since they are not
the fp32 model's vectors, the encoder has its own `name`, which keys the
embedding cache.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from models.encoder import fold_case

ONNX_SUFFIX = "-onnx-int8"
DEFAULT_CACHE_DIR = Path("var/cache/onnx")
# Part of the cache folder's hash: bump it whenever the export steps change.
RECIPE = "torchscript-opset17/eager-attention/quantize_dynamic-qint8-per-channel/v1"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "export.json"
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")


class OnnxExportError(RuntimeError):
    """The source folder is not a model that can be exported to ONNX."""


def load_onnx_encoder(
    source: Path | None = None,
    *,
    cache_dir: Path = DEFAULT_CACHE_DIR,
    name: str | None = None,
    threads: int | None = None,
) -> OnnxEncoder:
    """The int8 ONNX encoder of a sentence-transformers folder (the bundled MiniLM by default).

    Exports into `cache_dir` on first use (about 10 s); later loads reuse the export.

    Example:
        >>> enc = load_onnx_encoder(cache_dir=Path("var/cache/onnx"))
        >>> enc.name, enc.encode(["React developer"]).shape
        ('all-MiniLM-L6-v2-onnx-int8', (1, 384))
    """
    from models.encoder import DEFAULT_MODEL, default_model_dir

    if source is None:
        source, default_name = default_model_dir(), DEFAULT_MODEL + ONNX_SUFFIX
    else:
        default_name = source.resolve().name + ONNX_SUFFIX
    return OnnxEncoder(ensure_export(source, cache_dir), name=name or default_name, threads=threads)


def ensure_export(source: Path, cache_dir: Path = DEFAULT_CACHE_DIR) -> Path:
    """The export folder of `source` under `cache_dir`, exported first when missing.

    Processes that race each build in a private temporary folder and rename it
    into place; a loser finds the winner's folder and discards its own copy.

    Example:
        >>> ensure_export(default_model_dir(), tmp_path).name  # doctest: +SKIP
        'model-onnx-int8-3f2a9c0d1e4b5a67'
    """
    if not (source / "config.json").is_file():
        raise OnnxExportError(f"{source} is not a Hugging Face model folder: it has no config.json")
    target = export_dir_for(source, cache_dir)
    if (target / META_FILE).is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=cache_dir))
    try:
        export_int8(source, scratch)
        scratch.chmod(0o755)  # mkdtemp makes it private; the cache is shared
        try:
            os.rename(scratch, target)
        except OSError:  # another process renamed its export into place first
            if not (target / META_FILE).is_file():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def export_dir_for(source: Path, cache_dir: Path) -> Path:
    """`<cache_dir>/<source folder name>-onnx-int8-<hash of files, recipe, onnxruntime version>`."""
    import onnxruntime

    digest = hashlib.sha256(f"{RECIPE}\x00onnxruntime {onnxruntime.__version__}\x00".encode())
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        digest.update(path.relative_to(source).as_posix().encode() + b"\x00")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return cache_dir / f"{source.resolve().name}{ONNX_SUFFIX}-{digest.hexdigest()[:16]}"


def export_int8(source: Path, target: Path) -> None:
    """Write `model.onnx` (int8 weights), the tokenizer and `export.json` into the folder `target`.

    `export.json` is written last: its presence marks a whole export.
    """
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    max_seq_length, dim = _source_config(source)
    # Eager attention exports as plain MatMul/Softmax and keeps the mask in the graph.
    model = AutoModel.from_pretrained(
        str(source), local_files_only=True, attn_implementation="eager"
    ).eval()
    # A padded example, so nothing traced can assume an all-ones mask.
    example = {
        "input_ids": torch.full((2, 8), 101, dtype=torch.long),
        "attention_mask": torch.tensor([[1] * 8, [1] * 4 + [0] * 4], dtype=torch.long),
        "token_type_ids": torch.zeros((2, 8), dtype=torch.long),
    }
    fp32 = target / "model.fp32.onnx"
    with warnings.catch_warnings(), torch.no_grad():
        # The TorchScript exporter is deprecated (dynamo=True needs onnxscript) but
        # traces BERT faithfully; its tracer warnings are about branches BERT never takes.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _hidden_states_module(model),
            (),
            str(fp32),
            kwargs=example,
            input_names=list(INPUT_NAMES),
            output_names=["last_hidden_state"],
            dynamic_axes={
                n: {0: "batch", 1: "sequence"} for n in (*INPUT_NAMES, "last_hidden_state")
            },
            opset_version=17,
            dynamo=False,
        )
    quiet = _DropMessage("pre-processing before quantization")
    logging.getLogger().addFilter(quiet)  # quantize_dynamic advises on the root logger
    try:
        quantize_dynamic(fp32, target / MODEL_FILE, weight_type=QuantType.QInt8, per_channel=True)
    finally:
        logging.getLogger().removeFilter(quiet)
    fp32.unlink()
    shutil.copyfile(source / TOKENIZER_FILE, target / TOKENIZER_FILE)
    meta = {"source": str(source), "recipe": RECIPE, "max_seq_length": max_seq_length, "dim": dim}
    (target / META_FILE).write_text(json.dumps(meta, indent=2) + "\n")


class OnnxEncoder:
    """An exported int8 model on ONNX Runtime's CPU provider; `encode` returns unit rows.

    `threads` worker threads (default: the usable cores, at most 4) each run one
    batch at a time on a single-threaded session, which scales better than one
    session splitting each small matrix product across threads.

    Example:
        >>> enc = OnnxEncoder(ensure_export(default_model_dir()), name="minilm-int8")
        >>> enc.encode(["React developer", "desarrolladora web"]).shape
        (2, 384)
    """

    def __init__(
        self,
        export_dir: Path,
        *,
        name: str,
        threads: int | None = None,
        max_batch_tokens: int = 512,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if max_batch_tokens < 1:
            raise ValueError(f"max_batch_tokens must be positive, got {max_batch_tokens}")
        meta = json.loads((export_dir / META_FILE).read_text())
        self.name = name
        self.export_dir = export_dir
        self.dim = int(meta["dim"])
        self.max_seq_length = int(meta["max_seq_length"])
        self.max_batch_tokens = max_batch_tokens
        self.threads = threads or min(len(os.sched_getaffinity(0)), 4)
        self._tokenizer = Tokenizer.from_file(str(export_dir / TOKENIZER_FILE))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self.max_seq_length)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        # InferenceSession.run is thread-safe: the workers share one session.
        self._session = ort.InferenceSession(
            str(export_dir / MODEL_FILE), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        """Embed `texts`; a batch holds at most `batch_size` texts and `max_batch_tokens` tokens."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be a positive number of texts, got {batch_size}")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = [encoding.ids for encoding in self._tokenizer.encode_batch(fold_case(list(texts)))]
        batches = length_batches([len(row) for row in ids], batch_size, self.max_batch_tokens)

        def run(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return rows, self._encode_batch([ids[i] for i in rows])

        if len(batches) == 1 or self.threads == 1:
            results = [run(rows) for rows in batches]
        else:
            with ThreadPoolExecutor(self.threads, thread_name_prefix="onnx-encode") as pool:
                results = list(pool.map(run, batches))
        for rows, vectors in results:
            out[rows] = vectors
        return out

    def _encode_batch(self, ids: list[list[int]]) -> np.ndarray:
        width = max(len(row) for row in ids)
        input_ids = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for i, row in enumerate(ids):
            input_ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        feed = {
            "input_ids": input_ids,
            "attention_mask": mask,
            "token_type_ids": np.zeros_like(mask),
        }
        hidden = self._session.run(None, feed)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return (pooled / norms).astype(np.float32)


def length_batches(lengths: list[int], max_texts: int, max_tokens: int) -> list[np.ndarray]:
    """Positions sorted by length, cut so each batch pads to at most `max_tokens` tokens.

    A text longer than `max_tokens` gets a batch of its own.

    Example:
        >>> [b.tolist() for b in length_batches([5, 1, 4, 2], max_texts=8, max_tokens=8)]
        [[1, 3], [2], [0]]
    """
    order = np.argsort(np.asarray(lengths), kind="stable")
    batches: list[np.ndarray] = []
    start = 0
    while start < len(order):
        stop = start + 1
        # sorted ascending, so the newest text sets the padded width
        while (
            stop < len(order)
            and stop - start < max_texts
            and (stop - start + 1) * lengths[order[stop]] <= max_tokens
        ):
            stop += 1
        batches.append(order[start:stop])
        start = stop
    return batches


class _DropMessage(logging.Filter):
    def __init__(self, fragment: str) -> None:
        super().__init__()
        self.fragment = fragment

    def filter(self, record: logging.LogRecord) -> bool:
        return self.fragment not in record.getMessage()


def _hidden_states_module(model: Any) -> Any:
    """`model` as a torch module taking keyword inputs and returning `last_hidden_state`."""
    import torch

    class HiddenStates(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            output = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return output.last_hidden_state

    return HiddenStates()


def _source_config(source: Path) -> tuple[int, int]:
    """The sentence-transformers `max_seq_length` (capped by the model's positions), hidden size."""
    config = json.loads((source / "config.json").read_text())
    limit = int(config.get("max_position_embeddings", 512))
    max_seq_length = limit
    st_config = source / "sentence_bert_config.json"
    if st_config.is_file():
        max_seq_length = int(json.loads(st_config.read_text()).get("max_seq_length") or limit)
    return min(max_seq_length, limit), int(config["hidden_size"])
