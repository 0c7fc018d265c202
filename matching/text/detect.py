"""Which language a profile is written in, offline: `detect_language(text) → 'es'`.

Backed by `py3langid` (a maintained fork of langid.py: naive Bayes over byte
n-grams, numpy only, model bundled in the wheel, ~140 languages). Two things
are added on top:

* Ge'ez script. langid knows Amharic but not Tigrinya, so any Ethiopic text
  came back `am`; a few very frequent Tigrinya function words and the
  letter ኣ (common in Tigrinya spelling, rare in Amharic) decide between
  `ti` and `am`.
* Only ISO 639-1 answers. Languages langid reports with a 3-letter code
  (`fuv`, `pcm`, …) are left out of the candidates, and a text with nothing
  to go on (no letters, or too little evidence) gives `None`.

Example:
    >>> detect_language("Soy desarrolladora web con experiencia en React")
    'es'
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache

_ETHIOPIC = re.compile(r"[\u1200-\u137F\u1380-\u139F\u2D80-\u2DDF]")
_LETTER = re.compile(r"[^\W\d_]")
# Frequent Tigrinya words absent from Amharic (and a few Amharic ones for the other side).
_TIGRINYA_WORDS = frozenset(
    {"ኣብ", "እዩ", "እያ", "ናይ", "ከም", "ምስ", "ኣሎ", "ኣለኹ", "እየ", "ኣነ", "ንሱ", "ኢዩ"}
)
_AMHARIC_WORDS = frozenset({"ነው", "እና", "ውስጥ", "እኔ", "ነኝ", "ናት", "ይህ", "ያለ", "ላይ", "ጋር"})
_lock = threading.Lock()


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...] | None = None):  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    two_letter = tuple(code for code in identifier.labels if len(code) == 2 and code != "zxx")
    identifier.set_languages(list(languages) if languages else list(two_letter))
    return identifier


def _ethiopic_language(text: str) -> str:
    words = set(re.findall(r"[\u1200-\u137F]+", text))
    tigrinya = len(words & _TIGRINYA_WORDS) + text.count("ኣ") / 3
    amharic = len(words & _AMHARIC_WORDS) + text.count("አ") / 3
    return "ti" if tigrinya > amharic else "am"


def detect_language(
    text: str, *, min_confidence: float = 0.5, candidates: Iterable[str] | None = None
) -> str | None:
    """ISO 639-1 code of the language `text` is written in, or `None` when unsure.

    `candidates` restricts the answer to some languages (say the ones the
    service has models for), which makes short texts far more reliable.
    `min_confidence` is the probability the best language needs (0–1).

    Example:
        >>> detect_language("Я веб-розробник, шукаю роботу")
        'uk'
        >>> detect_language("12345") is None
        True
    """
    letters = _LETTER.findall(text)
    if len(letters) < 2:
        return None
    wanted = tuple(sorted({c.lower() for c in candidates})) if candidates else None
    ethiopic = sum(1 for ch in letters if _ETHIOPIC.match(ch))
    if ethiopic > len(letters) / 2 and (wanted is None or {"ti", "am"} & set(wanted)):
        guess = _ethiopic_language(text)
        if wanted is None or guess in wanted:
            return guess
        return "am" if "am" in wanted else "ti"
    if wanted is not None:
        wanted = tuple(c for c in wanted if c not in {"ti"}) or None
        if wanted is None:
            return None
    with _lock:
        try:
            language, confidence = _identifier(wanted).classify(text)
        except ValueError as exc:
            raise ValueError(f"unsupported language code among candidates {wanted}: {exc}") from exc
    if confidence < min_confidence or len(language) != 2:
        return None
    return language
