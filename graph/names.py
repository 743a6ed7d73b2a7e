"""Names for matching: one search key for every spelling of a transliterated name.

:func:`search_key` folds the ways one Arabic name is written in Latin
letters onto one string, so that "Musawi" finds Husayn Al-Mousawi and
"Hezbollah" finds the Hizbullah Brigades. It folds, in this order:

1. accents (NFKD, combining marks dropped) and case;
2. apostrophes and the ayn and hamza marks (' ’ ‘ ʿ ʾ ` and their kin),
   which are removed, so "Ka'abi" becomes "kaabi";
3. hyphens, spaces and other punctuation, which split words;
4. the article: a word "al", "el" or "ul" is dropped (unless it is the
   only word), so "Al-Kaabi" and "Kaabi" agree;
5. doubled letters ("aa" to "a", "ll" to "l"), then the vowel variants
   "ou" and "o" to "u", "ee" and "e" to "i", then doubled letters again.

The key is for matching only: it is never shown as a name and adds no
alias. The graph page's search box (``graph/view/templates/graph.js``,
``searchKey``) is a port of this function, tested to agree with it; the
RDF carries each name's key as a derived ``kg:searchKey`` literal, which the
``find-entity`` query matches on.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["APOSTROPHES", "ARTICLES", "PARTIAL_WORD", "search_key", "name_keys", "match_rank"]

#: Apostrophes, ayn and hamza marks, primes and accents written as letters: removed.
APOSTROPHES = "'`´ʹʼʻʽʾʿ‘’‛′"
#: Words dropped as the Arabic article.
ARTICLES = frozenset({"al", "el", "ul"})
_APOSTROPHE = re.compile(f"[{re.escape(APOSTROPHES)}]")
_NOT_WORD = re.compile(r"[\W_]+")
_DOUBLED = re.compile(r"(.)\1+")
_VOWELS = (("ou", "u"), ("o", "u"), ("e", "i"))
#: A query word this long or longer matches on its own when the whole query does not.
PARTIAL_WORD = 4


def _fold_word(word: str) -> str:
    word = _DOUBLED.sub(r"\1", word)
    for variant, common in _VOWELS:
        word = word.replace(variant, common)
    return _DOUBLED.sub(r"\1", word)


def search_key(text: str) -> str:
    """The search key of a name: spelling variants of one name give one key.

    Parameters
    ----------
    text : str
        A name, an alias or what a user typed, in any transliteration.

    Returns
    -------
    str
        Lower-case ASCII-like words separated by single spaces (empty if the
        text has no letters or digits).

    Examples
    --------
    >>> search_key("Akram Al-Ka'abi"), search_key("AKRAM al kaabi"), search_key("Mahdi Al-Ka‘bi")
    ('akram kabi', 'akram kabi', 'mahdi kabi')
    >>> search_key("Husayn Al-Mousawi") == search_key("Husayn Musawi")
    True
    >>> search_key("Hizbullah"), search_key("Hezbollah")
    ('hizbulah', 'hizbulah')
    >>> search_key("Sayyid Al-Shuhada’  Brigades"), search_key("Al"), search_key(" - ")
    ('sayid shuhada brigadis', 'al', '')
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = _NOT_WORD.sub(" ", _APOSTROPHE.sub("", text)).split()
    if len(words) > 1:
        words = [word for word in words if word not in ARTICLES] or words
    return " ".join(_fold_word(word) for word in words)


def name_keys(names) -> list[str]:
    """The distinct, non-empty search keys of some names, sorted.

    Examples
    --------
    >>> name_keys(["Akram Al-Kaabi", "Akram Al-Ka'abi", "Al-Ka'abi", "'"])
    ['akram kabi', 'kabi']
    """
    return sorted({search_key(name) for name in names} - {""})


def match_rank(query: str, key: str) -> int | None:
    """How well a query's key matches a name's key: 0 best, ``None`` no match.

    Both arguments are search keys. 0: the same key (spaces ignored); 1:
    the name, or one of its words, starts with the query; 2: the query is
    inside the name; 3: every query word is inside the name; 4: some query
    word of at least ``PARTIAL_WORD`` letters starts a word of the name (so
    "Harakat al-Nujaba" still finds the Al-Nujaba Movement, ranked lower).

    Examples
    --------
    >>> key = search_key("Akram Al-Kaabi")
    >>> [match_rank(search_key(q), key) for q in ["Akram Al-Ka'abi", "Kaabi", "ram", "kabi akram", "Akram X", "zz"]]
    [0, 1, 2, 3, 4, None]
    >>> match_rank("", key) is None
    True
    """
    compact, flat = query.replace(" ", ""), key.replace(" ", "")
    if not compact:
        return None
    words, wanted = key.split(), query.split()
    if flat == compact:
        return 0
    if flat.startswith(compact) or any(word.startswith(compact) for word in words):
        return 1
    if compact in flat:
        return 2
    if all(word in flat for word in wanted):
        return 3
    if any(len(part) >= PARTIAL_WORD and any(word.startswith(part) for word in words) for part in wanted):
        return 4
    return None
