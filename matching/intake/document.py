"""A CV or job ad as lines under section headings, so each field can say where it was found.

Documents arrive as plain text (already extracted from PDF or DOCX by the
service). Intake needs to know which lines sit under "Skills", "Idiomas",
"Requisitos" or "Nice to have", because the same word means different things
there: `Docker` under "Se valora" is a nice-to-have skill, under
"Requirements" a required one. Headings are recognised in English, Spanish,
French, Arabic, Ukrainian and Croatian, as a line of their own ("## Skills",
"IDIOMAS:") or as the label of an inline list ("Skills: Python, Django").

Every `Line` keeps its character offsets in the normalised text, which is
what provenance spans point into.

Example:
    >>> [(l.section, l.text) for l in split_lines("Skills\\nPython, SQL")]
    [(None, 'Skills'), ('skills', 'Python, SQL')]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Heading words by section; compared folded (lower case, accents and punctuation dropped).
HEADINGS: dict[str, tuple[str, ...]] = {
    "skills": ("skills", "technical skills", "tech skills", "key skills", "core skills", "hard skills",
               "skills and tools", "tech stack", "stack", "technologies", "tools", "competencies",
               "habilidades", "competencias", "conocimientos", "aptitudes", "tecnologias", "herramientas",
               "habilidades tecnicas", "competences", "competences techniques", "outils", "المهارات",
               "مهارات", "المهارات التقنية", "навички", "вміння", "технічні навички", "технології",
               "vjestine", "tehnologije", "kompetencije", "soft skills"),
    "languages": ("languages", "language skills", "idiomas", "lenguas", "langues", "اللغات", "مهارات اللغة",
                  "мови", "знання мов", "мовні навички", "jezici", "poznavanje jezika", "strani jezici"),
    "projects": ("projects", "personal projects", "portfolio", "proyectos", "projets", "المشاريع", "مشاريع",
                 "проєкти", "проекти", "projekti"),
    "experience": ("experience", "work experience", "professional experience", "employment",
                   "experiencia", "experiencia laboral", "experiencia profesional", "experience professionnelle",
                   "الخبرة", "الخبرات", "الخبرة العملية", "досвід", "досвід роботи", "iskustvo",
                   "radno iskustvo", "required experience"),
    "education": ("education", "training", "formacion", "educacion", "estudios", "formation", "التعليم",
                  "المؤهلات", "освіта", "obrazovanje"),
    "summary": ("summary", "profile", "about me", "about", "objective", "professional summary", "perfil",
                "sobre mi", "resumen", "perfil profesional", "profil", "a propos", "نبذة", "نبذة عني",
                "الملخص", "про мене", "профіль", "o meni", "job summary", "about the role", "about us",
                "description", "job description", "descripcion", "descripcion del puesto", "la oferta",
                "description du poste", "le poste", "опис", "про вакансію", "opis", "opis posla", "الوصف"),
    "contact": ("contact", "contact details", "personal information", "personal details", "datos personales",
                "contacto", "coordonnees", "معلومات الاتصال", "البيانات الشخصية", "контакти", "kontakt"),
    "required": ("requirements", "required skills", "must have", "must haves", "what we ask", "what you bring",
                 "what we are looking for", "who you are", "qualifications", "required", "you have",
                 "requisitos", "requisitos minimos", "imprescindible", "buscamos", "que buscamos",
                 "lo que pedimos", "exigences", "profil recherche", "competences requises", "المتطلبات",
                 "المؤهلات المطلوبة", "вимоги", "ми очікуємо", "obavezno", "uvjeti", "trazimo"),
    "nice": ("nice to have", "nice to haves", "bonus", "bonus points", "preferred", "preferred skills",
             "desirable", "would be a plus", "a plus", "plus", "valorable", "se valora", "se valorara",
             "deseable", "sera un plus", "un plus", "atouts", "idealement", "ميزة إضافية", "يفضل",
             "буде плюсом", "перевагою буде", "prednost", "pozeljno"),
    "responsibilities": ("responsibilities", "what you will do", "what youll do", "your role", "tasks",
                         "funciones", "tareas", "responsabilidades", "missions", "vos missions", "المهام",
                         "المسؤوليات", "обовязки", "zadaci", "odgovornosti"),
    "offer": ("we offer", "what we offer", "benefits", "ofrecemos", "que ofrecemos", "beneficios",
              "nous offrons", "avantages", "نقدم", "пропонуємо", "ми пропонуємо", "nudimo"),
}
# A bullet, a number, or a bullet glyph read in the wrong code page: "òTime management skills" (a
# lone accented lowercase letter glued to a capital starts no word in any of intake's languages).
_MARK = r"(?:[-*•·▪◦‣●○■□➢►–—]+|\d{1,2}[.)]|[a-z][.)](?=\s))"
_GLYPH = r"[à-öø-ÿ](?=[A-Z])"
_BULLET = re.compile(rf"^\s*(?:{_MARK}\s*(?:{_GLYPH})?|{_GLYPH})\s*")
_PUNCT = re.compile(r"[#*_:=|>\[\]()\"'`’.،,;!?¿¡\-–—]+")


def fold_words(text: str) -> str:
    """Lower case, accents and Arabic vowel marks dropped, hamza forms of alef unified, one space.

    Example:
        >>> fold_words("  Lengua   MATERNA ")
        'lengua materna'
    """
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and ch != "\u0640")
    text = text.translate(str.maketrans("أإآٱى", "ااااي"))
    return " ".join(text.split())


def _key(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", fold_words(text)).split())


_HEADING_KEYS = {_key(word): section for section, words in HEADINGS.items() for word in words}


@dataclass(frozen=True)
class Line:
    """One non-empty line: its number (0-based), offsets of its text, the section it sits in."""

    number: int
    start: int
    end: int
    text: str
    section: str | None
    heading: bool = False

    @property
    def content(self) -> tuple[int, str]:
        """(offset, text) of the line without its list bullet or numbering."""
        cut = _BULLET.match(self.text)
        skip = cut.end() if cut else 0
        return self.start + skip, self.text[skip:]


def normalise(text: str) -> str:
    """Line breaks as LF, no-break and odd spaces as spaces, control characters dropped.

    Spans are offsets into this text (what the service returns them against).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.replace("\f", "\n").replace("\v", "\n").replace("\t", " ")
    return "".join(
        " " if unicodedata.category(ch) == "Zs" else ch
        for ch in text
        if ch == "\n" or unicodedata.category(ch) not in {"Cc", "Cf"} or ch in "\u200c\u200d"
    )


def heading_of(text: str) -> str | None:
    """The section a line names when it is a heading of its own ("## Skills", "IDIOMAS:")."""
    key = _key(_BULLET.sub("", text) if not text.lstrip().startswith("#") else text)
    if not key or len(key.split()) > 5:
        return None
    return _HEADING_KEYS.get(key)


def inline_heading(text: str) -> tuple[str, int] | None:
    """"Skills: Python, SQL" → ("skills", offset of "Python") when the label names a section."""
    label, sep, rest = text.partition(":")
    if not sep or not rest.strip() or len(label.split()) > 4:
        return None
    section = _HEADING_KEYS.get(_key(label))
    if section is None:
        return None
    return section, len(label) + 1 + (len(rest) - len(rest.lstrip()))


def _unknown_heading(text: str) -> bool:
    """A markdown heading or a short line ending in a colon that names no known section
    ("## Awards", "Certifications:"): it still ends the section above, so its lines are not
    read as skills."""
    return text.startswith("#") or (text.endswith(":") and len(text.split()) <= 4)


# Sections whose items are skills; a short label ending in a colon inside one groups its items.
_ITEM_SECTIONS = ("skills", "required", "nice")
_GROUP_LABEL = re.compile(r"(?:\b(?:skills?|habilidades|competencias|conocimientos)|\s(?:in|with|of|at|en|con|de))\s*:$",
                          re.IGNORECASE)


def _group_label(text: str, section: str | None) -> bool:
    """Under a skills heading, "Excellent in:", "1. Documentation skills:" or "Conocimientos de:"
    label a group of that section's items (a bullet or a skills word says so), not a new section:
    the items below them are still skills. "Certifications:" there still starts a section."""
    return section in _ITEM_SECTIONS and not text.startswith("#") and (
        bool(_BULLET.match(text)) or bool(_GROUP_LABEL.search(text)))


def split_lines(text: str) -> list[Line]:
    """Non-empty lines of a normalised text, each with the section of the heading above it.

    A heading line carries the section before it (its own is None unless an
    outer one applies); an inline heading ("Idiomas: árabe nativo") puts its
    own line in that section without changing the next lines'.
    """
    lines: list[Line] = []
    section: str | None = None
    offset = 0
    for number, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        start = offset + (len(raw) - len(raw.lstrip()))
        offset += len(raw) + 1
        if not stripped:
            continue
        named = heading_of(stripped)
        if named is None and _unknown_heading(stripped) and not _group_label(stripped, section):
            named = "other"
        if named is not None:
            lines.append(Line(number, start, start + len(stripped), stripped, section, heading=True))
            section = named
            continue
        inline = inline_heading(stripped)
        own = inline[0] if inline else section
        lines.append(Line(number, start, start + len(stripped), stripped, own))
    return lines


def section_lines(lines: list[Line], *sections: str) -> list[Line]:
    """The content lines (not headings) in any of `sections`."""
    return [line for line in lines if not line.heading and line.section in sections]
