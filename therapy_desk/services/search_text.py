"""How caseload search compares text: one folding for the rows and for what is typed.

`fold` drops accents ("García" → "garcia", "Zoë" → "zoe"), spells out letters that
Unicode does not decompose ("Łukasiewicz" → "lukasiewicz", "Strauß" → "strauss") and
drops spaces and punctuation ("O'Neill" → "oneill", "TD-00001" → "td00001"), so that
searching either way round meets: "garcia" finds García and "García" finds Garcia.

The screen folds each row once when the rows arrive and folds only the typed text per
keystroke; the command line folds as it filters.
"""

from __future__ import annotations

import re
import unicodedata

#: Letters (after casefolding) that NFKD leaves whole, written the way people type them.
_SPELLED_OUT = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ŧ": "t",
        "ı": "i",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ĸ": "k",
        "ŀ": "l",
    }
)

#: Everything that is not a letter or digit: spaces, punctuation (' ’ - . and the rest),
#: and the combining marks NFKD splits accents into.
_NOT_LETTERS = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """The text as search compares it: no accents, no case, no spaces or punctuation."""
    if text.isascii():
        return _NOT_LETTERS.sub("", text.lower())
    folded = unicodedata.normalize("NFKD", text).casefold().translate(_SPELLED_OUT)
    return _NOT_LETTERS.sub("", folded)


#: What a search of punctuation alone ("%", "-") looks for: a character folding removes
#: from every row, so such a search finds no one rather than everyone.
NOTHING = "\x00"


def needle(typed: str) -> str:
    """What to look for: the typed text folded; empty (everyone) only for an empty search."""
    return fold(typed) or (NOTHING if typed.strip() else "")


def haystack(name: str, reference: str) -> str:
    """What search looks in for one client: the name and the reference, folded, kept
    apart so a search never matches across the two."""
    return f"{fold(name)}\n{fold(reference)}"
