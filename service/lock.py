"""One writer per index folder, enforced by an OS lock.

The FAISS and BM25 copies live in the writing process's memory, so a second
process writing the same database would leave the first one's matches stale.
Rather than pretend otherwise, the server (and every CLI command that
writes) holds an exclusive `flock` on `<index_dir>/.writer.lock`; a second
writer is refused with a message saying what to do instead. The kernel drops
the lock when the process dies, even by `kill -9`.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from matching.retrieval.private_dirs import make_private_dir


class WriterBusyError(RuntimeError):
    """Another process is the writer for this index folder."""


class WriterLock:
    def __init__(self, index_dir: Path) -> None:
        make_private_dir(index_dir)
        self.path = index_dir / ".writer.lock"
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            os.close(self._fd)
            self._fd = None
            holder = self.path.read_text().strip() or "another process"
            raise WriterBusyError(
                f"{holder} is already writing to {index_dir} (a running `bridgematch serve`?): "
                "stop it first, or send the change through its HTTP API"
            ) from exc
        os.ftruncate(self._fd, 0)
        os.write(self._fd, f"process {os.getpid()}".encode())

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
