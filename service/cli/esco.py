"""`esco vectors`: the ESCO skill-label vectors shipped in data/esco/vectors/, rebuilt.

Run it after changing `data/esco/skills.parquet` or `aliases.csv` (the labels' hash in the
file name then no longer matches and every fresh start would encode them itself), and
commit the file it writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from service.cli.common import console, loading

esco_app = typer.Typer(help="ESCO reference data shipped with the project.", no_args_is_help=True)


@esco_app.command("vectors")
def vectors(
    model: Annotated[str, typer.Option(help="Encoder to ship vectors for.")] = "all-MiniLM-L6-v2",
    out: Annotated[Path | None, typer.Option(help="Folder to write to (default data/esco/vectors).")] = None,
    check: Annotated[bool, typer.Option("--check", help="Only tell whether the shipped file fits the labels.")] = False,
) -> None:
    """Encode the service's ESCO skill labels and write them as float16 (about 5 MB)."""
    from matching.esco.label_vectors import SHIPPED_DIR, shipped_path, write_shipped
    from matching.esco.vocabulary import load_skill_vocabulary
    from models.lazy import describe

    directory = out or SHIPPED_DIR
    vocabulary = load_skill_vocabulary()
    if check:
        path = shipped_path(describe(model)[0], vocabulary.labels, directory)
        if not path.is_file():
            console.print(f"[red]missing:[/] {path} (run `bridgematch esco vectors`)")
            raise typer.Exit(1)
        console.print(f"up to date: {path} ({len(vocabulary.labels)} labels)")
        return
    from models.encoder import load_encoder

    with loading(f"encoding {len(vocabulary.labels)} ESCO skill labels"):
        encoder = load_encoder(model)
        path = write_shipped(encoder, vocabulary, directory)
    console.print(f"wrote {path} ({len(vocabulary.labels)} labels, {path.stat().st_size / 1e6:.1f} MB)")
