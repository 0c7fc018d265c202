"""Which language codes a profile or posting may name: ISO 639-1, and a few ISO 639-3 codes.

A typo such as `esp` or `eng` used to be stored as a language of its own, which no posting ever
asked for, so the graduate silently missed every posting in Spanish. New writes are checked
against this list; rows stored before it existed still load (`STORED` validation context).
The three-letter codes are languages many graduates speak that have no two-letter code.
"""

from __future__ import annotations

ISO_639_1 = frozenset(["aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu"])

ISO_639_3_EXTRA = frozenset({
    "prs",  # Dari
    "ckb",  # Central Kurdish (Sorani)
    "kmr",  # Northern Kurdish (Kurmanji)
    "fil",  # Filipino
    "rom",  # Romani
    "ber",  # Berber languages
    "tzm",  # Central Atlas Tamazight
    "kab",  # Kabyle
    "bej",  # Beja
    "din",  # Dinka
    "nus",  # Nuer
    "hne",  # Chhattisgarhi
    "bal",  # Baluchi
    "haz",  # Hazaragi
    "syr",  # Syriac
    "aii",  # Assyrian Neo-Aramaic
    "sgw",  # Sebat Bet Gurage
    "mnk",  # Mandinka
    "snk",  # Soninke
    "dyu",  # Dyula
    "fuv",  # Nigerian Fulfulde
    "tig",  # Tigre
    "rhg",  # Rohingya
})

KNOWN_CODES = ISO_639_1 | ISO_639_3_EXTRA
"""Every code a new profile or posting may name (lower case)."""


def is_known(code: str) -> bool:
    """Whether `code` (any case, trimmed) is a language code we accept on new writes."""
    return code.strip().lower() in KNOWN_CODES
