"""Long schemathesis run against a live `bridgematch serve --demo`; writes bench/results/fuzz_long.txt.

Run from the repository root:

    .venv/bin/python bench/fuzz_long.py [--cases 6000] [--minutes 20]

It starts the server on a free 127.0.0.1 port over its own temporary database and
index folder (nothing under ./var is touched), loads the OpenAPI schema the server
publishes, and fuzzes every operation as each role (coordinator, company, graduate)
with positive and negative data until at least `--cases` requests were sent or the
time runs out. Every response is checked with schemathesis' not_a_server_error,
response_schema_conformance and status_code_conformance; the counts of cases, 5xx,
schema violations and undocumented statuses are reported per operation, with one
reproduction (curl) per distinct failure. Generation is seeded: rounds use seeds
SEED, SEED+1, ... so the same command sends the same requests.
"""

from __future__ import annotations

import argparse
import collections
import copy
import json
import math
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINES: list[str] = []


def say(text: str = "") -> None:
    print(text, flush=True)
    LINES.append(text)


def machine_line() -> str:
    uname = subprocess.run(["uname", "-srm"], capture_output=True, text=True, check=True).stdout.strip()
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    return f"machine: {uname}; nproc {nproc}; python {platform.python_version()}"


def load_average() -> str:
    """The 1/5/15-minute load averages: other work on the machine shows up in every latency."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    """`bridgematch serve` as a child process on 127.0.0.1, over a private database and index
    (embeddings come from the shared ./var/cache, so only a first-ever start encodes ESCO's labels)."""

    folder: Path
    demo: bool = True
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def command(self) -> list[str]:
        cmd = [str(REPO / ".venv" / "bin" / "bridgematch"), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        return cmd + (["--demo"] if self.demo else [])

    def env(self) -> dict[str, str]:
        var = self.folder / "var"
        return os.environ | {
            "BRIDGEMATCH_DATABASE_URL": f"sqlite:///{var / 'bridgematch.db'}",
            "BRIDGEMATCH_INDEX_DIR": str(var / "index"),
            # the shared embedding cache of `make run` and the tests: ESCO labels are encoded once
            "BRIDGEMATCH_CACHE_DIR": str(REPO / "var" / "cache"),
            "PYTHONUNBUFFERED": "1",
            "COLUMNS": "200",
        }

    def start(self, timeout: float = 600) -> None:
        import httpx

        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(self.command(), env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                         cwd=self.folder)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"server not up in {timeout} s:\n{self.log.read_text()[-3000:]}")

    def tokens(self) -> dict[str, str]:
        """Demo tokens by role, from the file `serve --demo` writes next to the index folder."""
        stored = json.loads((self.folder / "var" / "demo-tokens.json").read_text())
        return {role: next(v for k, v in stored.items() if k.startswith(role))
                for role in ("coordinator", "company", "graduate")}

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


@dataclass
class Tally:
    cases: int = 0
    statuses: collections.Counter = field(default_factory=collections.Counter)
    failures: collections.Counter = field(default_factory=collections.Counter)  # failure title -> count
    transport_errors: int = 0


def fuzz(server: LiveServer, *, target: int, seconds: float, seed: int, roles: tuple[str, ...]) -> None:
    import requests
    import schemathesis
    from hypothesis import HealthCheck, assume, given, settings
    from hypothesis import seed as hypothesis_seed
    from schemathesis import GenerationMode
    from schemathesis.checks import (
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )
    from schemathesis.core.failures import FailureGroup

    checks = [not_a_server_error, response_schema_conformance, status_code_conformance]
    raw = requests.get(f"{server.url}/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(without_auth(raw))
    operations = [result.ok() for result in schema.get_all_operations()]
    tokens = server.tokens()
    # A fuzzed DELETE could revoke the tokens this run calls with, or erase the demo graduate (and so
    # the graduate's token); after that every call would be a 401, so those ids are left alone.
    listed = requests.get(f"{server.url}/tokens", headers={"Authorization": f"Bearer {tokens['coordinator']}"},
                          timeout=30).json()
    own = {"DELETE /tokens/{token_id}": ("token_id", {t["id"] for t in listed}),
           "DELETE /candidates/{rid}": ("rid", {t["candidate_id"] for t in listed if t["candidate_id"]})}
    # Operations with few distinct inputs (GET /tokens) run out early, hence the margin.
    per_round = math.ceil(1.2 * target / (len(operations) * len(roles)))
    say(f"left alone: token ids {sorted(own['DELETE /tokens/{token_id}'][1])}, "
        f"graduate ids {sorted(own['DELETE /candidates/{rid}'][1])} (so the run keeps its tokens)")
    say(f"schema: {len(operations)} operations; roles {', '.join(roles)}; "
        f"up to {per_round} examples per operation and role per round; seed {seed}")
    tallies: dict[str, Tally] = {op.label: Tally() for op in operations}
    examples: dict[str, str] = {}
    session = requests.Session()
    started = time.monotonic()
    rounds = 0

    def total() -> int:
        return sum(t.cases for t in tallies.values())

    def make_check(operation: schemathesis.APIOperation, role: str, round_seed: int):  # type: ignore[no-untyped-def]
        headers = {"Authorization": f"Bearer {tokens[role]}"}
        tally = tallies[operation.label]
        strategy = operation.as_strategy(GenerationMode.POSITIVE)
        if list(operation.iter_parameters()) or operation.body:  # else nothing to make invalid
            strategy |= operation.as_strategy(GenerationMode.NEGATIVE)

        @hypothesis_seed(round_seed)
        @given(case=strategy)
        @settings(max_examples=per_round, database=None, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            if operation.label in own:
                name, ids = own[operation.label]
                assume(case.path_parameters.get(name) not in ids)
            tally.cases += 1
            try:
                response = case.call(base_url=server.url, session=session, headers=headers, timeout=60)
            except requests.RequestException as exc:
                tally.transport_errors += 1
                examples.setdefault(f"{operation.label}: transport error", f"{type(exc).__name__}: {exc}")
                return
            tally.statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=checks, headers=headers)
            except FailureGroup as group:
                for failure in group.exceptions:
                    code = getattr(failure, "code", type(failure).__name__)
                    if code == "ST103" and response.status_code >= 500:
                        continue  # a 5xx is counted once, as ST101
                    title = f"{code} {failure.title}"
                    tally.failures[title] += 1
                    key = f"{operation.label} as {role}: {title} ({response.status_code})"
                    if key not in examples:
                        curl = case.as_curl_command(headers={"Authorization": "Bearer $TOKEN"})
                        examples[key] = f"{failure.message[:600]}\nresponse: {response.text[:300]}\n{curl}"

        return check

    while total() < target and time.monotonic() - started < seconds:
        for operation in operations:
            for role in roles:
                if time.monotonic() - started < seconds:  # rounds run whole, so every operation gets its share
                    make_check(operation, role, seed + rounds)()
        rounds += 1
    elapsed = time.monotonic() - started
    report(tallies, examples, elapsed=elapsed, rounds=rounds, server=server)


def without_auth(raw: dict) -> dict:
    """The schema minus its security requirements. Every call carries the role's token, so negative
    generation goes to parameters and bodies instead of dropping the Authorization header
    (401s are covered by tests/service/test_access.py)."""
    raw = copy.deepcopy(raw)
    raw.pop("security", None)
    for item in raw["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict):
                operation.pop("security", None)
    raw.get("components", {}).pop("securitySchemes", None)
    return raw


def tracebacks(log: str) -> list[list[str]]:
    """Each error uvicorn logged, as its lines: from 'Exception in ASGI application' to the next log record."""
    found: list[list[str]] = []
    current: list[str] | None = None
    for line in log.splitlines():
        if line.startswith("ERROR:") and "Exception in ASGI application" in line:
            current = []
            found.append(current)
        elif line.startswith(("INFO:", "ERROR:", "WARNING:")):
            current = None
        elif current is not None and line.strip() and not line.startswith("(Background on this error"):
            current.append(line)
    return [block for block in found if block]


def report(tallies: dict, examples: dict, *, elapsed: float, rounds: int, server: LiveServer) -> None:
    cases = sum(t.cases for t in tallies.values())
    errors_5xx = sum(n for t in tallies.values() for s, n in t.statuses.items() if s >= 500)
    by_kind: collections.Counter = collections.Counter()
    for t in tallies.values():
        by_kind.update(t.failures)
    schema_violations = sum(n for k, n in by_kind.items() if k.startswith("ST108"))
    undocumented = sum(n for k, n in by_kind.items() if k.startswith("ST103"))
    transport = sum(t.transport_errors for t in tallies.values())
    say("")
    say(f"{'operation':42} {'cases':>6} {'2xx':>5} {'4xx':>5} {'5xx':>4}  failures")
    for label, t in tallies.items():
        ok = sum(n for s, n in t.statuses.items() if 200 <= s < 300)
        client = sum(n for s, n in t.statuses.items() if 400 <= s < 500)
        server_err = sum(n for s, n in t.statuses.items() if s >= 500)
        failed = ", ".join(f"{k}: {n}" for k, n in t.failures.most_common()) or "-"
        say(f"{label:42} {t.cases:6d} {ok:5d} {client:5d} {server_err:4d}  {failed}")
    say("")
    statuses: collections.Counter = collections.Counter()
    for t in tallies.values():
        statuses.update(t.statuses)
    say(f"statuses: {dict(sorted(statuses.items()))}")
    log = server.log.read_text(errors="replace")
    traces = tracebacks(log)
    say(f"server log: {len(traces)} tracebacks, {log.count(' 500 Internal Server Error')} logged 500s; "
        f"server alive at the end: {server.proc is not None and server.proc.poll() is None}")
    say(f"TOTAL: {cases} cases in {elapsed:.0f} s ({cases / elapsed:.1f}/s, {rounds} round(s)); "
        f"5xx: {errors_5xx}; response schema violations: {schema_violations}; "
        f"undocumented 4xx/2xx statuses: {undocumented}; other check failures: "
        f"{sum(by_kind.values()) - schema_violations - undocumented - errors_5xx}; transport errors: {transport}")
    if examples:
        say("")
        say("first example of each distinct failure:")
        for key, text in examples.items():
            say(f"- {key}")
            for line in text.splitlines():
                say(f"    {line}")
    print_tracebacks(traces)


def print_tracebacks(traces: list[list[str]], out: Callable[[str], None] = say) -> None:
    """One of each kind (exception with its numbers blanked out, and where it was raised), with counts."""
    kinds: dict[str, list[tuple[str, list[str]]]] = {}
    for trace in traces:
        # the exception's own line: SQLAlchemy adds [SQL: ...] and [parameters: ...] after it
        error = next((line for line in reversed(trace) if not line.startswith((" ", "\t", "[", "("))), trace[-1])
        lines = trace[: trace.index(error) + 1]
        where = next((line.strip() for line in reversed(lines) if line.strip().startswith("File ")), "")
        kinds.setdefault(re.sub(r"\d+", "N", error) + " at " + where, []).append((error, lines))
    for same in kinds.values():
        error, lines = same[0]
        out("")
        out(f"server traceback ({len(same)}x): {error[:300]}")
        for line in lines[-24:]:
            out(f"    {line[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=6000, help="stop once this many requests were sent")
    parser.add_argument("--minutes", type=float, default=20, help="and in any case after this long")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "fuzz_long.txt"))
    args = parser.parse_args()

    import hypothesis
    import schemathesis

    say("$ .venv/bin/python bench/fuzz_long.py " + " ".join(sys.argv[1:]))
    say(machine_line())
    say(f"schemathesis {schemathesis.__version__}, hypothesis {hypothesis.__version__}; "
        f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}; load average {load_average()}")
    with tempfile.TemporaryDirectory(prefix="bm-fuzz-") as tmp:
        server = LiveServer(Path(tmp))
        say(f"server: {' '.join(server.command()[1:])} (pid after start), database and index under a temp dir")
        begun = time.monotonic()
        server.start()
        say(f"server up in {time.monotonic() - begun:.1f} s, pid {server.pid}, RSS {server.rss_kib() / 1024:.0f} MiB")
        try:
            fuzz(server, target=args.cases, seconds=args.minutes * 60, seed=args.seed,
                 roles=("coordinator", "company", "graduate"))
            say(f"server RSS at the end: {server.rss_kib() / 1024:.0f} MiB; load average {load_average()}")
        finally:
            server.stop()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(LINES) + "\n")


if __name__ == "__main__":
    main()
