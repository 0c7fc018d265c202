"""The default service imports neither Ray nor PostgreSQL's driver: a property of the whole
import graph, not of one module, hence a contract test."""

from __future__ import annotations

from pathlib import Path


def test_the_default_service_imports_neither_ray_nor_postgresql(tmp_path: Path) -> None:
    """`make run` stays light: SQLite, and no Ray or psycopg import unless asked for."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from service.app import create_app\n"
        "from service.cli import app\n"
        "from service.db import make_engine\n"
        "from tests.conftest import settings_for\n"
        f"make_engine('sqlite:///{tmp_path / 'light.db'}')\n"
        f"create_app(settings_for(__import__('pathlib').Path('{tmp_path}')))\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'ray', 'psycopg', 'psycopg2'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[3], check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
