"""`bridgematch evaluate …`: compare BM25, the raw embedding and bridgematch on a labelled set.

Mounted by the main CLI as `app.add_typer(evaluate_app, name="evaluate")`.
Each command loads one evaluation set (kept outside the repository, in the
shared folder), runs the three rankers of `matching.evaluation.harness`, and prints a
table (or JSON with `--json`).

    bridgematch evaluate titles ../shared/eval/jobbert/titles_validation.csv --sample 3000 --seed 0
    bridgematch evaluate skills ../shared/eval/skill_extraction/tech_validation_annotations.csv
    bridgematch evaluate ranking ../shared/eval/melo/fra_q_fr_c_en --model use-multilingual
    bridgematch evaluate pairs ../shared/eval/rjdb/dev.jsonl
"""

from __future__ import annotations

import json
import platform
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from matching.evaluation.data import (
    EvalDataError,
    RankingTask,
    load_skill_spans,
    load_titles,
    load_trec_dir,
)
from matching.evaluation.harness import BenchmarkReport, TaskKind, run_benchmark
from models.encoder import DEFAULT_MODEL, ModelNotFoundError

evaluate_app = typer.Typer(
    help="Measure ranking quality on labelled sets: BM25 vs raw embedding vs bridgematch.",
    no_args_is_help=True,
)

ModelOpt = Annotated[
    str, typer.Option("--model", help="Encoder: all-MiniLM-L6-v2, use-multilingual, or a folder.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the results as JSON.")]
SampleOpt = Annotated[
    int | None, typer.Option("--sample", min=1, help="Evaluate on N queries drawn at random.")
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed of the --sample draw.")]
CacheOpt = Annotated[
    Path | None, typer.Option("--cache-dir", help="Where embeddings of labels and corpora are kept "
                              "(default: BRIDGEMATCH_CACHE_DIR, ./var/cache).")
]
KS = (1, 5, 10)


def _run(kind: TaskKind, load, model: str, as_json: bool, cache_dir: Path | None) -> None:  # type: ignore[no-untyped-def]
    if cache_dir is None:  # the service's folder (Settings), not one relative to wherever this runs
        from service.settings import get_settings

        cache_dir = get_settings().cache_dir
    console = Console(stderr=True)  # progress and errors; results go to stdout
    try:
        task = load()
        from service.cli.common import loading  # the CLI's bars: corpus and label encoding too

        with loading(f"ranking {len(task.judged())} queries with three methods", on=console) as bar:
            report = run_benchmark(task, kind=kind, model=model, cache_dir=cache_dir, ks=KS,
                                   search=_service_search(model, cache_dir, bar))
    except (EvalDataError, ModelNotFoundError, ValueError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(code=2) from exc
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        Console().print(render_table(report, kind))


def _service_search(model: str, cache_dir: Path, bar: Progress) -> Callable[[RankingTask], dict[str, list[str]]]:
    """bridgematch's row for titles and rankings: the service's own search (`service.search_eval`)."""
    from service.search_eval import search_rankings
    from service.settings import Settings

    def search(task: RankingTask) -> dict[str, list[str]]:
        queries = bar.add_task(f"bridgematch: storing {len(task.corpus)} items, then searching", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(queries, completed=done, total=total, description="bridgematch search: queries")

        return search_rankings(task, model=model, cache_dir=cache_dir, data_dir=Settings().data_dir,
                               progress=progress)

    return search


def render_table(report: BenchmarkReport, kind: TaskKind) -> Table:
    """The comparison table: one row per method, the main metric of the set first."""
    columns = {
        "titles": ["mrr", "recall@1", "recall@10", "ndcg@10"],
        "skills": ["mrr", "rp@5", "recall@1", "recall@10"],
        "ranking": ["ndcg@10", "mrr", "recall@10", "rp@5"],
    }[kind]
    table = Table(
        title=(
            f"{report.task}\nmodel {report.model} · {report.queries} queries × "
            f"{report.corpus} items"
        ),
        caption=f"{platform.system()} {platform.release()} {platform.machine()}",
    )
    table.add_column("method")
    for column in columns:
        table.add_column(column.upper() if column == "mrr" else column, justify="right")
    table.add_column("seconds", justify="right")
    best = {c: max(r.metrics[c] for r in report.results) for c in columns}
    for result in report.results:
        cells = []
        for column in columns:
            value = f"{result.metrics[column]:.3f}"
            cells.append(
                f"[bold]{value}[/bold]" if result.metrics[column] == best[column] else value
            )
        table.add_row(result.method, *cells, f"{result.seconds:.1f}")
    return table


@evaluate_app.command()
def titles(
    file: Annotated[Path, typer.Argument(help="JobBERT titles CSV (vacancyTitle,conceptUri).")],
    model: ModelOpt = DEFAULT_MODEL,
    as_json: JsonOpt = False,
    sample: SampleOpt = None,
    seed: SeedOpt = 0,
    occupations: Annotated[
        Path | None,
        typer.Option(help="ESCO occupations CSV (id,description); default beside the set."),
    ] = None,
    cache_dir: CacheOpt = None,
) -> None:
    """Rank ESCO occupations for vacancy titles (MRR, recall@1/@10)."""
    _run(
        "titles",
        lambda: load_titles(file, occupations=occupations, sample=sample, seed=seed),
        model,
        as_json,
        cache_dir,
    )


@evaluate_app.command()
def skills(
    file: Annotated[
        Path, typer.Argument(help="Skill-extraction CSV (sentence,span,sub_span,label).")
    ],
    model: ModelOpt = DEFAULT_MODEL,
    as_json: JsonOpt = False,
    sample: SampleOpt = None,
    seed: SeedOpt = 0,
    labels: Annotated[
        Path | None, typer.Option(help="ESCO skill labels, one a line; default beside the set.")
    ] = None,
    cache_dir: CacheOpt = None,
) -> None:
    """Rank the ESCO skill labels for skill spans of job postings (MRR, RP@5)."""
    _run(
        "skills",
        lambda: load_skill_spans(file, labels=labels, sample=sample, seed=seed),
        model,
        as_json,
        cache_dir,
    )


@evaluate_app.command()
def ranking(
    directory: Annotated[
        Path, typer.Argument(help="Folder with queries.tsv, corpus_*.tsv, annotations.tsv.")
    ],
    model: ModelOpt = DEFAULT_MODEL,
    as_json: JsonOpt = False,
    sample: SampleOpt = None,
    seed: SeedOpt = 0,
    cache_dir: CacheOpt = None,
) -> None:
    """Rank a TREC-style corpus for each query (nDCG@10, MRR, recall@10)."""
    _run(
        "ranking",
        lambda: load_trec_dir(directory, sample=sample, seed=seed),
        model,
        as_json,
        cache_dir,
    )


@evaluate_app.command()
def crosslingual(
    model: ModelOpt = DEFAULT_MODEL,
    as_json: JsonOpt = False,
    k: Annotated[int, typer.Option("--k", min=1, max=30, help="Length of the compared top lists.")] = 10,
) -> None:
    """Rank the demo postings for profiles written in English and translated into es/ar/uk:
    how many of the English version's top-k does each translation share?"""
    from service.crosslingual import REFERENCE, run
    from service.settings import get_settings

    settings = get_settings()
    console = Console(stderr=True)
    try:
        from service.cli.common import loading

        with loading("ranking every version of the demo profiles…", on=console):
            report = run(settings.data_dir, model=model, cache_dir=settings.cache_dir, k=k)
    except (ModelNotFoundError, ValueError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(code=2) from exc
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return
    table = Table(
        title=f"cross-lingual top-{k} agreement with the {REFERENCE} version\nmodel {report.model} · "
        f"{len(report.eligible)} profiles · demo postings",
        caption=f"{platform.system()} {platform.release()} {platform.machine()}",
    )
    for column in ("profile", "eligible", "lang", "detected", f"shared of top-{k}"):
        table.add_column(column, justify="left" if column in ("profile", "lang", "detected") else "right")
    for version in report.others():
        table.add_row(version.key, str(report.eligible[version.key]), version.lang, version.detected or "-",
                      str(version.shared_with_reference))
    Console().print(table)
    for lang, shared in sorted(report.by_language().items()):
        typer.echo(f"{lang}: min {min(shared)}/{k}, mean {sum(shared) / len(shared):.1f}/{k}")


@evaluate_app.command()
def pairs(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="rjdb-style JSON lines")],
    model: ModelOpt = DEFAULT_MODEL,
    as_json: JsonOpt = False,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N jobs.")] = None,
    intake: Annotated[bool, typer.Option("--intake", help="Also with records made by the CV and job-ad drafts.")] = False,
) -> None:
    """Pairwise accuracy: is each job's matched résumé scored above its unmatched one, through the
    service's own path (records, embeddings, skills, ESCO concepts, the blend)? Beside BM25 and
    the raw embedding."""
    from service.pairs_eval import run
    from service.settings import get_settings

    settings = get_settings()
    console = Console(stderr=True)
    try:
        from service.cli.common import loading

        with loading("storing and scoring every job and résumé…", on=console):
            report = run(file, settings.data_dir, model=model, cache_dir=settings.cache_dir, limit=limit,
                         intake=intake)
    except (ModelNotFoundError, ValueError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(code=2) from exc
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
        return
    table = Table(title=f"pairwise accuracy · {report.pairs} jobs · model {report.model}",
                  caption=f"{platform.system()} {platform.release()} {platform.machine()}")
    table.add_column("method")
    table.add_column("accuracy", justify="right")
    for method, accuracy in report.accuracy.items():
        table.add_row(method, f"{accuracy:.3f}")
    Console().print(table)
    for name, spread in (("matched", report.matched), ("unmatched", report.unmatched)):
        typer.echo(f"bridgematch score of {name} résumés: p5 {spread['p5']:.3f}, median {spread['median']:.3f}, "
                   f"p95 {spread['p95']:.3f}; below the relevance floor {report.floor}: {spread['below_floor']:.1%}")


if __name__ == "__main__":  # `python -m service.cli_evaluate …` before the main CLI mounts it
    evaluate_app()
