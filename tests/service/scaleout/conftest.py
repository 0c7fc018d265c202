"""The scale-out tests' local Ray instance."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="package")
def ray_local() -> Iterator[None]:
    """One local Ray for every scale-out test module, started once."""
    pytest.importorskip("ray", reason="Ray is not installed: pip install 'bridgematch[ray]'")
    import ray

    from service.scaleout.embed import connect

    started = connect("local", num_cpus=2)
    yield
    if started:
        ray.shutdown()
