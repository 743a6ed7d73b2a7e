"""Write a synthetic corpus in the project's own curation format.

    python bench/generate.py --documents 1000 --seed 1 --out bench/corpora/1000

The corpus has a registry of entities with aliases, and documents whose text
is made of sentences that mention those entities; every record quotes a
sentence that really occurs in its document, so the real build pipeline runs
on it unchanged. About 100 triples per document, so 10,000 documents give
about a million triples with provenance.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import shutil
import sys
from pathlib import Path

import yaml

SYLLABLES = ["al", "ka", "bi", "nu", "ja", "ba", "sa", "yid", "shu", "ha", "da", "thaw", "ri", "mu", "han", "dis",
             "ah", "rar", "wa", "lai", "mou", "sa", "wi", "ra", "zi", "qa", "im", "fa", "tah", "kar"]
PLACES = ["port", "airbase", "base", "city", "district", "crossing", "camp", "coast"]
WEAPONS = ["rockets", "drones", "missiles", "mortars"]
STATUSES = ["claimed", "reported"]


def _name(rng: random.Random, parts: int = 2) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize() for _ in range(parts))


def _slug(text: str) -> str:
    return "-".join(text.lower().replace("'", "").split())


def make_registry(rng: random.Random, documents: int) -> dict[str, list[dict]]:
    """Entities in proportion to the corpus: groups, people, places, outlets, weapons."""
    groups, people, places, outlets = [], [], [], []
    seen: set[str] = set()

    def unique(make) -> str:
        while True:
            name = make()
            if _slug(name) not in seen:
                seen.add(_slug(name))
                return name

    for i in range(max(6, documents // 20)):
        name = unique(lambda: f"{_name(rng)} Brigades")
        groups.append({"id": _slug(name), "type": "UmbrellaGroup" if i % 10 == 0 else "ArmedGroup", "label": name,
                       "aliases": [name, name.replace(" Brigades", " Brigade")],
                       "description": f"Synthetic armed group number {i}."})
    for i in range(max(10, documents // 5)):
        name = unique(lambda: f"{_name(rng)} Al-{_name(rng, 1)}")
        variant = name.replace("a", "'a", 1)
        people.append({"id": _slug(name), "type": "Person", "label": name, "aliases": [name, variant],
                       "description": f"Synthetic person number {i}."})
    for i in range(max(8, documents // 10)):
        name = unique(lambda: f"{_name(rng, 1)} {rng.choice(PLACES)}")
        places.append({"id": _slug(name), "type": "Place", "label": name, "aliases": [name],
                       "description": f"Synthetic place number {i}."})
    for i in range(max(4, documents // 50)):
        name = unique(lambda: f"{_name(rng, 1)} News")
        outlets.append({"id": _slug(name), "type": "MediaOutlet", "label": name, "aliases": [name],
                        "description": f"Synthetic outlet number {i}."})
    weapons = [{"id": w, "type": "Weapon", "label": w.capitalize(), "aliases": [w], "description": f"Synthetic {w}."}
               for w in WEAPONS]
    return {"groups": groups, "people": people, "places": places, "outlets": outlets, "weapons": weapons}


def make_document(rng: random.Random, index: int, registry: dict) -> tuple[str, str, dict]:
    """One document's text and its curated records, quoting sentences of the text."""
    doc_id = f"synthetic-{index:05d}"
    day = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(0, 900))
    group = rng.choice(registry["groups"])
    person = rng.choice(registry["people"])
    place = rng.choice(registry["places"])
    outlet = rng.choice(registry["outlets"])  # named in the text: outlets are entities of the corpus too
    weapon = rng.choice(registry["weapons"])
    alias = rng.choice(person["aliases"])
    sentences = {
        "title": f"Report {index}: {group['label']} and {place['label']}",
        "date": "Published " + day.strftime("%B %-d, %Y"),
        "role": f"{alias}, the spokesman for the {group['label']}, spoke to {outlet['label']}.",
        "claim": f"The {group['label']} claimed responsibility for an attack with {weapon['id']} on the {place['label']} on {day.strftime('%B %-d, %Y')}.",
        "statement": f"{alias} said that the group \"will continue its operations\" against its enemies (report {index}).",
    }
    text = "\n\n".join([sentences["title"], sentences["date"], sentences["role"], sentences["claim"],
                        sentences["statement"]]) + "\n"
    attack = f"{doc_id}-attack"
    facts = [{"relation": "spokespersonOf", "subject": person["id"], "object": group["id"], "status": "reported",
              "quote": sentences["role"]}]
    # Thin documents on average, so that the corpus has about 100 triples per document.
    kind = index % 3
    if kind == 1:
        facts.append({"event": attack, "type": "Attack", "label": f"Attack on {place['label']} (report {index})",
                      "status": "claimed", "claimed_by": [group["id"]], "target": [place["id"]],
                      "weapon": [weapon["id"]], "date": day.isoformat(), "quote": sentences["claim"]})
    elif kind == 2:
        facts.append({"statement": f"{doc_id}-statement", "types": ["Threat"], "speaker": person["id"],
                      "date": day.isoformat(), "gist": "The group will continue its operations.",
                      "threatens": [place["id"]], "quote": sentences["statement"]})
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    record = {
        "document": {"id": doc_id, "file": f"{doc_id}.txt", "sha256": sha, "title": sentences["title"],
                     "kind": "news-article", "language": "en",
                     "published": {"date": day.isoformat(), "quote": sentences["date"]}},
        "facts": facts,
    }
    return doc_id, text, record


def generate(documents: int, seed: int, out: Path) -> Path:
    """Write ``documents`` synthetic documents and their registry into ``out``."""
    from graph.folders import check_replaceable, mark

    rng = random.Random(seed)
    out = check_replaceable(out, "corpus")  # a generated corpus is replaced; a folder it did not make never is
    if out.exists():
        shutil.rmtree(out)
    mark(out, "corpus")
    (out / "entities").mkdir(parents=True)
    (out / "documents").mkdir()
    registry = make_registry(rng, documents)
    for topic, entities in registry.items():
        (out / "entities" / f"{topic}.yaml").write_text(
            yaml.safe_dump({"entities": entities}, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for index in range(documents):
        doc_id, text, record = make_document(rng, index, registry)
        (out / "documents" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (out / "documents" / f"{doc_id}.yaml").write_text(
            yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="default: bench/corpora/<documents>")
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).resolve().parent / "corpora" / str(args.documents)
    from graph.errors import KGError

    try:
        generate(args.documents, args.seed, out)
    except KGError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(error.exit_code) from None
    print(out)


if __name__ == "__main__":
    main()
