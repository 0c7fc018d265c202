#!/bin/sh
# Every quality figure of the README, with both bundled encoders, through the service's own path.
#   sh bench/eval_all.sh            (from the repository root; ../shared beside it)
#   sh bench/eval_all.sh eval_titles   (only the named result files)
# Writes bench/results/eval_*.txt; each file starts with the command that made each table.
set -u
PY=${PY:-.venv/bin/python}
S=../shared/eval
run() {  # run OUT ARGS...: append the command and its table to bench/results/OUT.txt
  case " $WANT " in *" $1 "*) ;; *) return ;; esac
  out=bench/results/$1.txt; shift
  for model in all-MiniLM-L6-v2 use-multilingual; do
    echo "\$ $PY -m service.cli_evaluate $* --model $model    # = bridgematch evaluate $* --model $model" >> "$out"
    echo "machine: $(uname -srm), nproc $(nproc), $(date -u +%Y-%m-%dT%H:%MZ)" >> "$out"
    $PY -m service.cli_evaluate "$@" --model "$model" 2>/dev/null >> "$out" || echo "(failed: exit $?)" >> "$out"
    echo >> "$out"
  done
}
ALL="eval_title_similarity_en eval_title_similarity_es eval_melo_fr_en eval_skills_tech eval_skills_house eval_titles eval_pairs crosslingual"
WANT=${*:-$ALL}
for f in $WANT; do
  : > bench/results/$f.txt
done
run eval_title_similarity_en ranking $S/title_similarity/en
run eval_title_similarity_es ranking $S/title_similarity/es
run eval_skills_tech skills $S/skill_extraction/tech_validation_annotations.csv
run eval_skills_house skills $S/skill_extraction/house_validation_annotations.csv
run eval_titles titles $S/jobbert/titles_validation.csv --sample 3000 --seed 0
run eval_pairs pairs $S/rjdb/dev.jsonl --intake
run crosslingual crosslingual
run eval_melo_fr_en ranking $S/melo/fra_q_fr_c_en
