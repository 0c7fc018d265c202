"""`bridgematch draft FILE --kind candidate|posting [--json]`: a draft profile or posting from a document.

The same path as `POST /candidates:draft` (service.intake): the ranking's skill
vocabulary and ESCO mapper, no database, nothing saved. Mounted by the main CLI.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from service.documents import DocumentError
from service.intake_schemas import DraftOut


class DraftKind(str, Enum):
    candidate = "candidate"
    posting = "posting"


def draft(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                         help="PDF (with a text layer), DOCX or text file")],
    kind: Annotated[DraftKind, typer.Option("--kind", help="A CV (candidate) or a job ad (posting).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the draft as JSON.")] = False,
) -> None:
    """Draft a graduate profile from a CV, or a posting from a job ad (nothing is saved)."""
    from matching.esco.concept_signal import skill_mapper
    from matching.skills.vocabulary import SkillVocabulary
    from models.encoder import load_encoder
    from service.intake import Engine, build_draft, read_text
    from service.settings import get_settings

    console, err = Console(), Console(stderr=True)
    settings = get_settings()
    try:
        extracted = read_text(file.read_bytes(), None, file.name, settings)
        with console.status("loading the model"):
            encoder = load_encoder(settings.model)
            engine = Engine(SkillVocabulary.from_csv(settings.data_dir / "skill_aliases.csv"),
                            skill_mapper(encoder, settings.cache_dir.resolve()))
        out = build_draft(extracted, kind.value, engine, max_chars=settings.intake_max_chars)
    except DocumentError as exc:
        err.print(f"[red]cannot draft from {escape(file.name)}:[/] {escape(str(exc))}")
        raise typer.Exit(1) from exc
    if as_json:
        typer.echo(json.dumps(out.model_dump(mode="json"), ensure_ascii=False, indent=1))
        return
    print_draft(console, out)


def print_draft(console: Console, out: DraftOut) -> None:
    """Fields, then skills and languages, each with where it was read and how surely."""
    fields = Table(title=f"draft {out.kind} ({out.source.format}, {out.source.characters} characters)")
    for column in ("field", "value", "line", "confidence"):
        fields.add_column(column)
    for name, found in out.fields.items():
        value = found.value if not isinstance(found.value, (list, dict)) else json.dumps(found.value, ensure_ascii=False)
        fields.add_row(name, escape(str(value))[:120], str(found.line + 1), f"{found.confidence:.2f}")
    console.print(fields)
    skills = Table(title="skills")
    for column in ("skill", "ESCO concept", "how", "section", "line", "confidence") + \
            (("required",) if out.kind == "posting" else ()):
        skills.add_column(column)
    for s in out.skills:
        row = [escape(s.name), escape(s.concept.label) if s.concept else "—", s.how, s.section or "", str(s.line + 1),
               f"{s.confidence:.2f}"]
        skills.add_row(*row, *(("yes" if s.required else "nice to have",) if out.kind == "posting" else ()))
    console.print(skills)
    if out.languages:
        languages = Table(title="languages")
        for column in ("language", "level", "line", "confidence"):
            languages.add_column(column)
        for f in out.languages:
            languages.add_row(f.code, f.level or "?", str(f.line + 1), f"{f.confidence:.2f}")
        console.print(languages)
    if out.missing:
        console.print(f"[yellow]missing:[/] {', '.join(out.missing)} (add them before creating the record)")
