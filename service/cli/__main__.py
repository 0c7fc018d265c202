"""`python -m service.cli …`, the same as the `bridgematch` script."""

from service.cli import app

app()
