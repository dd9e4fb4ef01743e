from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for matching names ("Müller" finds "muller")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def ascii_int(text: str, *, max_digits: int = 18) -> int | None:
    """The whole number `text` writes in ASCII digits, or None. `str.isdigit` alone lets through `²`, `①`
    and other scripts' digits, which `int` then refuses (or reads as another number)."""
    text = text.strip()
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula, made text by a leading apostrophe; the rest unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
