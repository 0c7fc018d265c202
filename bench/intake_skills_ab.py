"""PYTHONPATH=. python bench/intake_skills_ab.py N — A/B on the first N rjdb dev rows: the current skills.py against the same with the résumé-praise
leads and the skills-tail rule switched off (monkeypatched in one process)."""
import json
import re
import sys

sys.path.insert(0, '.'); sys.path.insert(0, 'bench')
import intake_skills as b

import matching.intake.skills as sk

n = int(sys.argv[1])
enc = b.load_encoder(); mapper = b.skill_mapper(enc, (b.ROOT / "var" / "cache").resolve())
vocab = b.SkillVocabulary.from_csv(b.ROOT / "data" / "skill_aliases.csv")
rows = [json.loads(l) for l in b.DATA.read_text().splitlines()[:n]]
new_lead, new_tail = sk._LEAD, sk._SKILLS_TAIL

pat = new_lead.pattern
start = pat.index("astute|"); end = pat.index("proficient|") + len("proficient|")
old_lead = re.compile(pat[:start] + pat[end:], re.IGNORECASE)
def run(label):
    c = [0, 0, 0, 0]
    for r in rows:
        for side, text in (("job", r["Job-Description"]), ("resume", r["Resume-matched"])):
            d = (b.draft_posting if side == "job" else b.draft_candidate)(text, vocab, mapper)
            found = list(dict.fromkeys(s.name for s in d.skills))
            c[0] += len(found); c[1] += len(set(r["Skills"]))
            c[2] += b.match(found, r["Skills"], lenient=False); c[3] += b.match(found, r["Skills"], lenient=True)
    print(f"{label:10} n={n} extracted {c[0]} strict P {c[2]/c[0]:.3f} R {c[2]/c[1]:.3f} lenient P {c[3]/c[0]:.3f} R {c[3]/c[1]:.3f}", flush=True)
sk._LEAD, sk._SKILLS_TAIL = old_lead, re.compile(r"(?!x)x")
run("before")
sk._LEAD, sk._SKILLS_TAIL = new_lead, new_tail
run("after")
