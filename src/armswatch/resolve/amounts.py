"""Numbers in text: how many units ("30 units of the K9", "four Avenger systems") and how much
money ("$4.21bn", "930 billion won (US$788 million)", "€2 billion").

Works on plain token lists (lowercased words) so that it is independent of the tokenizer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from armswatch.core.model import Money

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12, "two dozen": 24,
}  # fmt: skip
SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
          "b": 1e9, "bln": 1e9, "trillion": 1e12, "tn": 1e12, "crore": 1e7, "lakh": 1e5}  # fmt: skip
SYMBOLS = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "¥": "JPY",
           "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD", "₹": "INR", "rs": "INR", "inr": "INR", "₩": "KRW",
           "krw": "KRW", "chf": "CHF", "sek": "SEK", "nok": "NOK", "rub": "RUB", "₽": "RUB"}  # fmt: skip
CURRENCY_WORDS = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP", "won": "KRW",
                  "yen": "JPY", "rupees": "INR", "roubles": "RUB", "rubles": "RUB", "yuan": "CNY", "renminbi": "CNY",
                  "kronor": "SEK", "kroner": "NOK", "francs": "CHF", "riyals": "SAR", "zloty": "PLN", "lira": "TRY",
                  "shekels": "ILS"}  # fmt: skip
_NUM = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?([a-z]*)$")
_QUANTITY_GAP = {"units", "unit", "of", "the", "more", "additional", "new", "advanced", "used", "second-hand",
                 "refurbished", "modernised", "modernized", "upgraded", "surplus", "further", "x"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class MoneyMention:
    start: int
    end: int
    money: Money


def parse_number(word: str) -> tuple[float, str] | None:
    """'4.21bn' -> (4.21, 'bn'); '1,200' -> (1200, ''); 'four' -> (4, '')."""
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word]), ""
    m = _NUM.match(word)
    if not m:
        return None
    whole = m.group(1).replace(",", "")
    value = float(f"{whole}.{m.group(2)}") if m.group(2) else float(whole)
    return value, m.group(3)


def find_money(words: list[str]) -> list[MoneyMention]:
    """Money amounts: a currency symbol or code before a number, or a currency word after it."""
    found: list[MoneyMention] = []
    free_from = 0  # the first word after the last amount found
    # A cheap test before the parser: an amount starts with a digit, a number word, or a
    # currency sign or code. Most words of a text are none of these.
    starts = [
        i
        for i, word in enumerate(words)
        if word[:1].isdigit()
        or word in NUMBER_WORDS
        or (word[:1] in _SYMBOL_FIRSTS and _SYMBOL_START.match(word) is not None)
    ]
    for i in starts:
        if i < free_from:
            continue
        mention = _money_at(words, i)
        if mention is not None:
            found.append(mention)
            free_from = mention.end
    return found


_SYMBOLS_LONGEST_FIRST = sorted(SYMBOLS, key=len, reverse=True)
_SYMBOL_START = re.compile("|".join(re.escape(symbol) for symbol in _SYMBOLS_LONGEST_FIRST))
_SYMBOL_FIRSTS = frozenset(symbol[0] for symbol in SYMBOLS)


def _money_at(w: list[str], i: int) -> MoneyMention | None:
    currency = None
    j = i
    symbol, rest = _split_symbol(w[i]) if not w[i][:1].isdigit() else (None, w[i])
    if symbol:
        currency = SYMBOLS[symbol]
        if rest:
            number = parse_number(rest)
            j = i
        else:
            j = i + 1
            number = parse_number(w[j]) if j < len(w) else None
    else:
        number = parse_number(w[i])
    if number is None:
        return None
    value, suffix = number
    end = j + 1
    scale = SCALES.get(suffix, 1.0) if suffix else 1.0
    if suffix and suffix not in SCALES:
        return None
    if end < len(w) and w[end] in SCALES and w[end] not in {"m", "b", "k"}:
        scale = SCALES[w[end]]
        end += 1
    if currency is None:
        if end < len(w) and w[end] in CURRENCY_WORDS:
            currency = CURRENCY_WORDS[w[end]]
            end += 1
        elif end < len(w) and w[end] in SYMBOLS and len(w[end]) == 3:
            currency = SYMBOLS[w[end]]
            end += 1
        else:
            return None
    amount = value * scale
    if amount <= 0:
        return None
    return MoneyMention(i, end, Money(round(amount, 2), currency))


def _split_symbol(word: str) -> tuple[str | None, str]:
    for symbol in _SYMBOLS_LONGEST_FIRST:
        if word.startswith(symbol) and (len(symbol) > 1 or not symbol.isalpha()):
            if symbol.isalpha() and len(word) > len(symbol) and word[len(symbol)].isalpha():
                continue
            return symbol, word[len(symbol) :]
    return None, word


def preferred_money(mentions: list[MoneyMention]) -> Money | None:
    """The amount to report: US dollars where the text gives them ("930 billion won (US$788
    million)"), else the first amount."""
    if not mentions:
        return None
    for m in mentions:
        if m.money.currency == "USD":
            return m.money
    return mentions[0].money


def quantity_before(words: list[str], index: int, stop: set[int] | None = None) -> int | None:
    """A count just before a weapon at ``index``: '30 units of the K9', 'four Avenger systems',
    '80 French-made Rafale'. ``stop`` marks tokens that end the search (other mentions)."""
    stop = stop or set()
    i = index - 1
    gap = 0
    while i >= 0 and gap < 5:
        if i in stop:
            return None
        word = words[i]
        number = parse_number(word)
        if number is not None and not number[1]:
            value = number[0]
            if i > 0 and (words[i - 1] in SYMBOLS or words[i - 1] in {"$", "€", "£"}):
                return None
            if value.is_integer() and 0 < value < 100_000:
                return int(value)
            return None
        if word in _QUANTITY_GAP or "-" in word or (word.isalpha() and gap < 3):
            i -= 1
            gap += 1
            continue
        return None
    return None
