"""`serve` (the API and pages) and `demo` (the demo data, into an empty database only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from service.cli.common import console, err, opened
from service.settings import Settings, get_settings

if TYPE_CHECKING:
    from service.demo import DemoLoad
    from service.matcher import Matcher


def serve(
    demo: Annotated[bool, typer.Option(help="Load the demo data first (only into an empty database).")] = False,
    host: Annotated[str | None, typer.Option(help="Bind address (default from settings).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings).")] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, max=64, help="Serving processes on this port, one a core (default from settings: 1).")] = None,
) -> None:
    """Serve the JSON API (docs at /docs). This process is the only writer of its index folder."""
    settings = get_settings()
    workers = workers or settings.workers
    host, port = host or settings.host, port or settings.port
    if workers == 1:
        with opened(writer=True) as matcher:
            _prepare(matcher, settings, demo)
            _serve(matcher, settings, host, port)
        return
    # Several processes (service/workers.py): the one-time work runs in a child of its own, so this
    # supervising process never holds a catalogue; each worker then loads its copy of what it saved.
    import multiprocessing

    from service.workers import PortBusyError, check_port, run

    try:
        check_port(host, port)  # before the one-time work; `run` checks again (taken meanwhile)
        child = multiprocessing.get_context("spawn").Process(target=_prepared, args=(demo,))
        child.start()
        child.join()
        if child.exitcode != 0:
            raise typer.Exit(child.exitcode or 1)
        console.print(f"serving on http://{host}:{port} with {workers} worker processes  (docs: /docs)")
        run(settings, workers, host, port)
    except PortBusyError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc


def _prepared(demo: bool) -> None:
    """`_prepare` in a process of its own, its indexes saved at the end (`Matcher.close`)."""
    import sys

    try:
        with opened(writer=True) as matcher:
            _prepare(matcher, get_settings(), demo)
    except typer.Exit as exc:  # said why already (another writer holds the folder)
        sys.exit(exc.exit_code)


def _prepare(matcher: Matcher, settings: Settings, demo: bool) -> None:
    """The first coordinator token and the demo, once, before any request is served."""
    from service.usecases.first_start import demo_tokens, init

    org_id, first = init(matcher)
    if first:
        console.print(f"first coordinator token (shown once): [bold]{first}[/]")
    if demo:
        loaded = _load_demo(matcher, settings, org_id)
        console.print(f"demo data: {loaded.message}", soft_wrap=True)
        token_file = settings.index_dir.parent / "demo-tokens.json"
        if loaded.added or token_file.exists():  # never new demo keys for a database of real data
            for role, token in demo_tokens(matcher, org_id, token_file).items():
                console.print(f"  {role}: [bold]{token}[/]")
            console.print(f"demo tokens are kept in {token_file}; use them as 'Authorization: Bearer <token>'")


def _serve(matcher: Matcher, settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from service.app import create_app

    console.print(f"serving on http://{host}:{port}  (docs: /docs)")
    # Keep-alive longer than clients' idle gaps, so a server closing a connection never races a new request.
    # With JSON logs uvicorn configures nothing: its loggers hand records to the JSON handler (service/logs.py).
    uvicorn.run(create_app(settings, matcher), host=host, port=port,
                timeout_keep_alive=30, **({"log_config": None} if settings.log_json else {}))


def _load_demo(matcher: Matcher, settings: Settings, org_id: int) -> DemoLoad:
    """The demo loaded behind a bar: on a first start it loads the model and encodes 74 records."""
    from service.cli.common import loading, progress_callback
    from service.demo import load_demo

    with loading("loading the demo (first start only)") as bar:
        return load_demo(matcher, settings.data_dir, org_id, progress_callback(bar, "encoding demo records"))


def demo() -> None:
    """Load the demo graduates, companies, postings and fair (only into an empty database)."""
    from service.usecases.first_start import init

    with opened(writer=True) as matcher:
        org_id, _ = init(matcher)
        console.print(_load_demo(matcher, get_settings(), org_id).message, soft_wrap=True)
