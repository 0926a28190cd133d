"""Address normalisation: one spelling for the many ways registries write the same address.

    千葉県浦安市当代島一丁目2番3号, 当代島1丁目2番地3, 当代島１－２－３  ->  当代島1丁目2-3
    (当代島1-2-3 stays as it is: whether the first number is a 丁目 depends on the town, which
    the geocoder knows.)

Steps, in order: NFKC (full-width digits, letters and hyphens, half-width kana); spaces removed;
old and variant characters by VARIANTS; dash look-alikes to "-"; the prefecture and the
municipality name removed from the front; kanji numerals before 丁目/番/号/- to arabic
(一丁目, 十二番, 二十三号); 番地/番/号/の between numbers to "-". Town names go through the same
steps, so both sides agree (苦楽園一番町 -> 苦楽園1番町 in the file and in the gazetteer alike).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

VARIANTS = str.maketrans(
    {
        "舘": "館",
        "﨑": "崎",
        "嵜": "崎",
        "髙": "高",
        "邊": "辺",
        "邉": "辺",
        "澤": "沢",
        "龍": "竜",
        "嶋": "島",
        "嶌": "島",
        "濱": "浜",
        "冨": "富",
        "廣": "広",
        "國": "国",
        "櫻": "桜",
        "瀨": "瀬",
        "ヶ": "ケ",
        "ヵ": "カ",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "─": "-",
        "━": "-",
    }
)
"""Characters written interchangeably in Japanese addresses (異体字 and their standard forms,
the small ヶ/ヵ of place names, dash look-alikes). Only true variants belong here: 之/ノ or
が/ケ are not (樋之池町 and 樋ノ口町 are different towns)."""

PREFECTURES = (  # noqa: SIM905
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 "
    "神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 "
    "大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 "
    "福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県"
).split()
_PREFECTURE = re.compile("^(?:" + "|".join(PREFECTURES) + ")")

KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_NUMBER = re.compile(r"[〇一二三四五六七八九十百千]+(?=丁目|番|号|-)")
_LONG_DASH = re.compile(r"(?<=[0-9])[ーｰ](?=[0-9])")
_NO_BETWEEN = re.compile(r"(?<=[0-9])の(?=[0-9])")
_BLOCK = re.compile(r"(?<=[0-9])(?:番地の?|番(?!町)|号)(?=[0-9])")
_TRAILING = re.compile(r"(?<=[0-9])(?:番地|番|号)$")
_SPACES = re.compile(r"\s+")


def kanji_to_int(text: str) -> int:
    """二十三 -> 23, 十 -> 10, 百二 -> 102, 一〇 -> 10 (positional)."""
    if not any(c in KANJI_UNITS for c in text):
        return int("".join(str(KANJI_DIGITS[c]) for c in text))
    total, digit = 0, 0
    for char in text:
        if char in KANJI_UNITS:
            total += (digit or 1) * KANJI_UNITS[char]
            digit = 0
        else:
            digit = digit * 10 + KANJI_DIGITS[char]
    return total + digit


def base_form(text: str) -> str:
    """NFKC, no spaces, variants and dashes unified, kanji numerals before 丁目/番/号 arabic."""
    plain = _SPACES.sub("", unicodedata.normalize("NFKC", text)).translate(VARIANTS)
    plain = _KANJI_NUMBER.sub(lambda m: str(kanji_to_int(m.group())), plain)
    plain = _LONG_DASH.sub("-", plain)
    return _NO_BETWEEN.sub("-", plain)


def strip_place(text: str, municipality_names: Iterable[str]) -> str:
    """Remove a leading prefecture, then a leading county (郡) and municipality name."""
    rest = _PREFECTURE.sub("", text, count=1)
    for name in municipality_names:
        if not name:
            continue
        match = re.match(r"^(?:[^0-9\-]{1,5}郡)?" + re.escape(name), rest)
        if match:
            return rest[match.end() :]
    return rest


def normalise_address(text: str, municipality_names: Iterable[str] = ()) -> str:
    """The canonical spelling of an address (see the module docstring)."""
    plain = strip_place(base_form(text), [base_form(n) for n in municipality_names])
    plain = _BLOCK.sub("-", plain)
    return _TRAILING.sub("", plain)


def normalise_town(name: str) -> str:
    """The canonical spelling of a town or chome name from the reference layers."""
    return base_form(name)
