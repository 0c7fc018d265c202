"""The exposure audit of the demo fair, planned without and with the minimum-meetings rule;
writes bench/results/fair_audit.txt.

    .venv/bin/python bench/fair_audit.py

Everything goes through the real HTTP app on a scratch SQLite file with the demo loaded: the
demo fair is planned twice, once with `min_per_candidate` 0 (the solver only maximises total
fit) and once with the demo's own rule (every graduate at least 2 meetings), and
`GET /fairs/{id}/audit` is read for each sensitive field. The fields are used here only, never
in the plan. Groups under 5 people are merged by the audit itself, as on the coordinator page.
"""

from __future__ import annotations

import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient

from service.app import create_app
from service.composition import build_matcher
from service.demo import load_demo
from service.settings import Settings
from service.usecases.first_start import init

FIELDS = ("origin", "status", "nationality")


def _planned(client: TestClient, spec: dict, minimum: int) -> int:
    body = dict(spec["spec"])
    body["name"] = f"{spec['name']} (min {minimum})"
    body["rules"] = {**body.get("rules", {}), "min_per_candidate": minimum}
    made = client.post("/fairs", json=body)
    if made.status_code != 201:
        raise SystemExit(f"POST /fairs: {made.status_code} {made.text[:500]}; keys {sorted(spec)}")
    fair = made.json()["id"]
    client.post(f"/fairs/{fair}/schedule").raise_for_status()
    return fair


def main() -> None:
    lines = ["$ .venv/bin/python bench/fair_audit.py",
             f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.system()} {platform.release()}"]
    with tempfile.TemporaryDirectory(prefix="bm-fair-audit-") as tmp:
        base = Settings()
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'audit.db'}", index_dir=Path(tmp) / "index",
                            cache_dir=base.cache_dir, data_dir=base.data_dir)
        matcher = build_matcher(settings)
        org_id, secret = init(matcher)
        load_demo(matcher, settings.data_dir, org_id)
        matcher.close()
        with TestClient(create_app(settings), headers={"Authorization": f"Bearer {secret}"}) as client:
            demo = client.get("/fairs").json()
            demo = demo["items"][0] if isinstance(demo, dict) else demo[0]
            spec = client.get(f"/fairs/{demo['id']}").json()
            rule = spec["spec"].get("rules", {}).get("min_per_candidate", 2)
            fairs = {0: _planned(client, spec, 0), rule: _planned(client, spec, rule)}
            for minimum, fair in fairs.items():
                schedule = client.get(f"/fairs/{fair}/schedule").json()
                meetings = schedule["meetings"]
                per = list(schedule["report"]["meetings_per_graduate"].values())  # every graduate, 0 too
                lines.append(f"min {minimum}: {len(meetings)} meetings, total fit {sum(m['score'] for m in meetings):.3f}, "
                             f"graduates with none {per.count(0)}, fewest {min(per)}, most {max(per)}")
            lines.append(f"demo fair {spec['name']!r}: {len(spec['spec']['graduates'])} graduates, "
                         f"{len(spec['spec']['companies'])} companies; planned with min_per_candidate 0 and {rule}")
            for field in FIELDS:
                lines.append("")
                lines.append(f"by {field}: group (people) — meetings, share with >= 1 meeting; min 0 | min {rule}")
                audits = {m: client.get(f"/fairs/{f}/audit", params={"field": field}).json() for m, f in fairs.items()}
                groups = sorted(audits[0]["meetings"]["per_group"])
                people = {g["group"]: g["people"] for g in audits[0]["groups"]}
                for group in groups:
                    cells = []
                    for minimum in fairs:
                        row = audits[minimum]["meetings"]["per_group"][group]
                        cells.append(f"{row['meetings']:3d} meetings, {row['rate']:.2f}")
                    lines.append(f"  {group:24} ({people.get(group, '?'):>2}) {cells[0]} | {cells[1]}")
                ratios = [audits[m]["meetings"]["four_fifths_ratio"] for m in fairs]
                lines.append(f"  four-fifths ratio of 'got >= 1 meeting': {ratios[0]} | {ratios[1]}"
                             f"  (lowest group: {audits[0]['meetings']['lowest_group']} | "
                             f"{audits[rule]['meetings']['lowest_group']})")
                suppressed = audits[0].get("suppressed") or audits[0].get("withheld")
                if suppressed:
                    lines.append(f"  withheld (under 5 people, merged): {suppressed}")
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "results" / "fair_audit.txt").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
