"""The `bridgematch` command line (entry point `service.cli:app`), one module per topic:

    serve.py    serve, demo                        records.py  import, export, reindex
    matches.py  match candidate|posting            backups.py  backup, restore
    trust.py    init, token create, company …      fairs.py    fair plan, place
    scale.py    db upgrade, embed, load-embeddings  draft.py    draft FILE --kind …
    esco.py     esco vectors (the shipped ESCO label vectors)
    service/cli_evaluate.py  evaluate …

Only commands that rank or encode open the whole catalogue (`common.opened`); the
others open the database alone (`common.stored`) and never load the model.
"""

from __future__ import annotations

import typer

from service.cli import backups, draft, esco, fairs, matches, records, scale, serve, trust
from service.cli_evaluate import evaluate_app

app = typer.Typer(help="bridgematch: job matching for coding-school graduates.", no_args_is_help=True)
app.add_typer(matches.match_app, name="match")
app.add_typer(trust.token_app, name="token")
app.add_typer(trust.company_app, name="company")
app.add_typer(fairs.fair_app, name="fair")
app.add_typer(evaluate_app, name="evaluate", help="Matching quality on labelled data (titles, skills, ranking).")
app.command()(serve.serve)
app.command("import")(records.import_)
app.command()(records.export)
app.command()(records.reindex)
app.command()(serve.demo)
app.command("backup")(backups.backup_cmd)
app.command("restore")(backups.restore_cmd)
app.command("init")(trust.init_cmd)
app.command("place")(fairs.place_cmd)
app.command()(draft.draft)
app.add_typer(scale.db_app, name="db")
app.add_typer(esco.esco_app, name="esco")
app.command()(scale.embed)
app.command("load-embeddings")(scale.load_embeddings_cmd)

__all__ = ["app"]
