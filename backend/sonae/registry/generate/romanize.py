"""Names as a residence card (在留カード) writes them: upper-case ASCII, no diacritics.

Faker gives Vietnamese and Portuguese names with diacritics and Korean names in Hangul, none of
which cp932 can hold; the card itself uses plain Latin letters, so this is also the realistic form.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not decompose into a base letter and a mark.
_SPECIAL = str.maketrans(
    {
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
        "œ": "oe",
        "Œ": "OE",
    }
)
_NOT_NAME = re.compile(r"[^A-Z '\-]")

# Revised Romanization of Korean, by jamo index (initial, medial, final).
_INITIAL = (
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
)
_MEDIAL = (
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
)
_FINAL = (
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "l",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
)
# Korean surnames keep their customary spellings on passports, not the RR ones.
_SURNAMES = {
    "김": "KIM",
    "이": "LEE",
    "박": "PARK",
    "최": "CHOI",
    "정": "JUNG",
    "강": "KANG",
    "조": "CHO",
    "윤": "YOON",
    "장": "JANG",
    "임": "LIM",
    "한": "HAN",
    "오": "OH",
    "서": "SEO",
    "신": "SHIN",
    "권": "KWON",
    "황": "HWANG",
    "안": "AHN",
    "송": "SONG",
    "류": "RYU",
    "전": "JEON",
    "홍": "HONG",
    "고": "KO",
    "문": "MOON",
    "양": "YANG",
    "손": "SON",
    "배": "BAE",
    "백": "BAEK",
    "허": "HEO",
    "유": "YOO",
    "남": "NAM",
    "심": "SHIM",
    "노": "NOH",
    "하": "HA",
    "곽": "KWAK",
    "성": "SUNG",
    "차": "CHA",
    "주": "JOO",
    "우": "WOO",
    "구": "KOO",
    "민": "MIN",
    "진": "JIN",
}


def card_name(text: str) -> str:
    """Upper-case ASCII letters, spaces, hyphens and apostrophes only ('' if nothing is left)."""
    if any("\uac00" <= ch <= "\ud7a3" for ch in text):
        text = hangul(text)
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()
    return " ".join(_NOT_NAME.sub("", plain).split())


def hangul(text: str) -> str:
    """Revised Romanization, syllable by syllable (no sound-change rules between syllables)."""
    if text in _SURNAMES:
        return _SURNAMES[text]
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_INITIAL[code // 588] + _MEDIAL[code % 588 // 28] + _FINAL[code % 28])
        else:
            out.append(ch)
    return "".join(out).upper()
