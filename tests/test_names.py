"""The search key: spellings of one name agree, distinct names stay distinct, on the real registry."""

from __future__ import annotations

import pytest

from graph.names import match_rank, name_keys, search_key


@pytest.mark.parametrize(
    ("one", "other"),
    [("Ka'abi", "Kaabi"), ("KA’ABI", "kaabi"), ("Al-Ka'bi", "Kabi"), ("Musawi", "Al-Mousawi"),
     ("Hezbollah", "Hizbullah"), ("Nujaba", "al Nujaba"), ("el-Nujaba", "ul-Nujaba"), ("Sayyid", "Sayid"),
     ("Thawriyoun", "Thawriyun"), ("Shuhada’", "Shuhadaa"), ("Ka\u02bfbi", "Ka\u02bebi"), ("Ka`bi", "Kabi"),
     ("Şaddām", "Saddam"), ("Abu-Ala", "abu ala")],
)
def test_spelling_variants_have_one_key(one, other):
    assert search_key(one) == search_key(other)


@pytest.mark.parametrize(("one", "other"), [("Kabi", "Kubi"), ("Nujaba", "Najaba"), ("Iraq", "Iran"), ("Al", "Ul")])
def test_different_names_keep_different_keys(one, other):
    assert search_key(one) != search_key(other)


@pytest.mark.parametrize("text", ["", " ", "'", "-- ’ --"])
def test_text_without_letters_has_an_empty_key_that_matches_nothing(text):
    assert search_key(text) == ""
    assert match_rank(search_key(text), "kabi") is None


def find(corpus, query: str) -> list[str]:
    """The registry entities whose label or an alias matches, best first."""
    wanted = search_key(query)
    hits = []
    for entity in corpus.entities.values():
        ranks = [match_rank(wanted, key) for key in name_keys([entity.label, *entity.aliases])]
        ranks = [rank for rank in ranks if rank is not None]
        if ranks:
            hits.append((min(ranks), entity.id))
    return [entity for _, entity in sorted(hits)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Musawi", ["husayn-al-mousawi"]), ("Hezbollah", ["hizbullah", "hizbullah-brigades"]),
     ("Kaabi", ["akram-al-kaabi", "mahdi-al-kabi"]), ("Ka'abi", ["akram-al-kaabi", "mahdi-al-kabi"]),
     ("Nujaba", ["al-nujaba"]), ("Harakat al-Nujaba", ["al-nujaba"]), ("Freemen of Iraq", ["ahrar-al-iraq"])],
)
def test_the_real_registry_is_searchable_by_any_spelling(corpus, query, expected):
    found = find(corpus, query)
    assert set(expected) <= set(found[:len(expected)]), found
    labels = {corpus.entities[e].label for e in expected}
    assert len(labels) == len(expected)  # each person shown as himself, not merged


def test_kaabi_finds_both_men_as_two_entities_each_under_his_own_name(corpus):
    found = find(corpus, "Kaabi")[:2]
    assert sorted(corpus.entities[e].label for e in found) == ["Akram Al-Kaabi", "Mahdi Al-Ka'bi"]
    assert "Mahdi Al-Ka'bi" not in corpus.entities["akram-al-kaabi"].aliases




def test_the_rdf_carries_each_entitys_keys_as_derived_literals_and_no_new_names(out_dir, corpus):
    from rdflib import RDFS, Graph
    from rdflib.namespace import SKOS

    from graph.schema import KG, default_ontology_path

    rdf = Graph().parse(out_dir / "kg.nt", format="nt")
    keys = {}
    for subject, key in rdf.subject_objects(KG.searchKey):
        keys.setdefault(str(subject).rsplit("/", 1)[-1], set()).add(str(key))
    assert keys["akram-al-kaabi"] == {"akram kabi", "kabi"}
    assert keys == {e.id: set(name_keys([e.label, *e.aliases])) for e in corpus.entities.values()}
    names = {str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in rdf.objects(None, p)}
    assert not {"kabi", "akram kabi", "hizbulah brigadis"} & names
    ontology = Graph().parse(default_ontology_path())
    assert "derived" in str(ontology.value(KG.searchKey, RDFS.comment)).casefold()
