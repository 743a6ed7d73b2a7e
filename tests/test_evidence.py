"""The quote folding used to pick a fact's stating quote (graph.analysis.evidence)."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest

from graph.analysis.evidence import fold

ROOT = Path(__file__).resolve().parents[1]


def letter_by_letter(text: str) -> str:
    """fold's definition, every letter looked at: what the faster fold must give."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub("['`´ʹʼʻʽʾʿ‘’‛′]", "", text.casefold())
    return " " + re.sub(r"[\W_]+", " ", text).strip() + " "


def generated_texts(count: int) -> list[str]:
    letters = [chr(c) for c in [*range(32, 127), *range(0xC0, 0x250), *range(0x300, 0x370), *range(0x600, 0x6FF),
                                0x1E24, 0x1E25, 0x2018, 0x2019, 0x02BF, 0xFB01, 0x2163, 0x0903, 0x093E]]
    chooser = random.Random(16)
    return ["".join(chooser.choice(letters) for _ in range(chooser.randint(0, 40))) for _ in range(count)]


@pytest.mark.parametrize("text", ["Akram Al-Ka'abi", "Ḥusayn Al-Mūsawī’s", "Kata'ib Sayyid al-Shuhada’",
                                  "ﬁve Ⅳ", "", "’", "Abu Ala' Al-Walai"])
def test_fold_is_the_letter_by_letter_definition(text):
    assert fold(text) == letter_by_letter(text)


def test_fold_agrees_with_its_definition_on_every_source_document_and_on_generated_text():
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "sources").rglob("*"))
             if path.suffix in (".txt", ".yaml")]
    assert len(texts) >= 10  # the five reports and their curated facts
    texts += generated_texts(5000)
    assert [text for text in texts if fold(text) != letter_by_letter(text)] == []


def test_fold_drops_accents_and_apostrophes_but_keeps_the_words_apart():
    assert fold("Ḥusayn Al-Mūsawī’s X account") == " husayn al musawis x account "
