"""Which documents use a name as whole words: one word index, looked up per name.

The loader asks, for every alias in the registry, which documents use it.
Searching every text for every alias grows with their product; here each
text is split into words once, an alias is looked up by its rarest word or
pair of adjacent words, and only the documents holding all of them are
searched for the whole phrase.
A word is a run of letters and digits (``str.isalnum``); a phrase occurs as
whole words when the characters beside it are not letters or digits.
"""

from __future__ import annotations

import re

__all__ = ["WordIndex", "occurs_as_words"]

_WORD = re.compile(r"[^\W_]+")  # runs of str.isalnum() characters: \w without the underscore


def occurs_as_words(text: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``text`` with no letter or digit on either side.

    Examples
    --------
    >>> occurs_as_words("the al-nujaba movement", "al-nujaba"), occurs_as_words("bal-nujaba", "al-nujaba")
    (True, False)
    >>> occurs_as_words("nujabas and nujaba.", "nujaba")
    True
    """
    at = text.find(phrase)
    while at >= 0 and phrase:
        end = at + len(phrase)
        if not (at and text[at - 1].isalnum()) and not (end < len(text) and text[end].isalnum()):
            return True
        at = text.find(phrase, at + 1)
    return False


def _keys(words: list[str]):
    """Each word, and each pair of adjacent words (a tuple): a phrase's rarest key is usually a pair."""
    yield from words
    yield from zip(words, words[1:])


class WordIndex:
    """The words of some texts, and the texts holding each word.

    Parameters
    ----------
    texts : dict
        Document id -> its text, already folded the way the phrases are (e.g. lower case).

    Examples
    --------
    >>> index = WordIndex({"b": "kataib hezbollah said", "a": "the kataib sayyid al-shuhada", "c": "hezbollah"})
    >>> index.documents_using("kataib"), index.documents_using("kataib hezbollah"), index.documents_using("al-shuhada")
    (('a', 'b'), ('b',), ('a',))
    >>> index.documents_using("hezbollah said"), index.documents_using("said hezbollah"), index.documents_using("")
    (('b',), (), ())
    """

    def __init__(self, texts: dict[str, str]):
        self.texts = texts
        self.order = sorted(texts)
        self._holding: dict[str, set[str]] = {}
        for document in self.order:
            for key in set(_keys(_WORD.findall(texts[document]))):
                self._holding.setdefault(key, set()).add(document)

    def documents_using(self, phrase: str) -> tuple[str, ...]:
        """The documents, in id order, where ``phrase`` occurs as whole words."""
        if not phrase:
            return ()
        keys = set(_keys(_WORD.findall(phrase)))
        if keys:
            # The words of a phrase that occurs as whole words are whole, adjacent words of the text.
            holding = sorted((self._holding.get(key, set()) for key in keys), key=len)
            candidates = sorted(d for d in holding[0] if all(d in others for others in holding[1:]))
        else:  # a phrase of punctuation alone: no word to look up
            candidates = self.order
        return tuple(d for d in candidates if occurs_as_words(self.texts[d], phrase))
