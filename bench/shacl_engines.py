"""Time the SHACL validators that could check the build, on one build's merged graph (its kg.nt).

    python bench/shacl_engines.py out/kg.nt
    python bench/shacl_engines.py /path/to/10k/kg.nt --engines sparql pyshacl

Each engine runs in a fresh process that reads the file and validates it; the
figures are that process's CPU seconds (user + system, so other load on a
shared machine counts little), loading included, its peak resident memory,
and what it found. Engines:

- ``sparql``: the shapes compiled to SPARQL on an in-memory Oxigraph store
  (``graph.shacl_sparql``, what the build uses);
- ``pyshacl``: pySHACL on an rdflib graph of the same triples (the reference);
- ``pyrudof``: rudof's native SHACL engine, if ``pyrudof`` is installed;
- ``pyshacl-per-document``: pySHACL on one document's graph plus the registry
  and the ontology, for ``--sample`` documents, scaled to them all. It needs
  the build's kg.trig beside kg.nt, for the named graphs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_RUN = r'''
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
engine, path, sample = {engine!r}, Path({path!r}), {sample!r}

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

started = cpu()
if engine == "sparql":
    from graph.shacl_sparql import validate_ntriples
    result = validate_ntriples(path.read_text(encoding="utf-8"))
    found = [v.component for v in result.results]
elif engine == "pyshacl":
    from rdflib import Graph
    from graph.rdf import NAMESPACES
    from graph.validate import validate_graph
    graph = Graph()
    for prefix, namespace in NAMESPACES.items():
        graph.bind(prefix, namespace)
    graph.parse(path, format="nt")
    found = [v.component for v in validate_graph(graph, mix_in_ontology=False).results]
elif engine == "pyrudof":
    import pyrudof
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(str(path), format=pyrudof.RDFFormat.NTriples)
    rudof.read_shacl(str(Path({root!r}) / "ontology" / "shapes.ttl"))
    found = [str(e.constraint_component) for e in rudof.validate_shacl()]
elif engine == "pyshacl-per-document":
    from collections import defaultdict
    import pyoxigraph as ox
    from rdflib import Graph
    from graph.rdf import NAMESPACES
    from graph.validate import validate_graph
    by_graph = defaultdict(list)
    for quad in ox.parse(path=path.with_suffix(".trig"), format=ox.RdfFormat.TRIG):
        by_graph[quad.graph_name.value].append(quad.triple)
    shared = [g for g in by_graph if g.endswith("/registry") or g.endswith("/ontology")]
    documents = sorted(set(by_graph) - set(shared))
    base = Graph()
    for prefix, namespace in NAMESPACES.items():
        base.bind(prefix, namespace)
    base.parse(data=ox.serialize([t for g in shared for t in by_graph[g]], format=ox.RdfFormat.N_TRIPLES), format="nt")
    found = []
    for document in documents[:sample]:
        data = Graph()
        data += base
        data.parse(data=ox.serialize(by_graph[document], format=ox.RdfFormat.N_TRIPLES), format="nt")
        found += [v.component for v in validate_graph(data, mix_in_ontology=False).results]
    scale = len(documents) / min(sample, len(documents))
    print(json.dumps({{"cpu_s": (cpu() - started) * scale, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "violations": len(found), "note": f"{{min(sample, len(documents))}} of {{len(documents)}} documents, scaled"}}))
    sys.exit(0)
from collections import Counter
print(json.dumps({{"cpu_s": cpu() - started, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "violations": len(found), "note": ", ".join(f"{{c.rsplit('#', 1)[-1]}} {{n}}" for c, n in Counter(found).items())}}))
'''


def run(engine: str, path: Path, sample: int) -> dict:
    code = _RUN.format(root=str(ROOT), engine=engine, path=str(path), sample=sample)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        return {"cpu_s": float("nan"), "peak_mb": float("nan"), "violations": -1, "note": done.stderr.strip()[-300:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ntriples", type=Path, help="a build's kg.nt")
    parser.add_argument("--engines", nargs="+", default=["sparql", "pyshacl", "pyrudof", "pyshacl-per-document"])
    parser.add_argument("--sample", type=int, default=3, help="documents validated by pyshacl-per-document")
    args = parser.parse_args(argv)
    print("| engine | CPU s, loading included | peak MB | violations found | note |")
    print("|---|---|---|---|---|")
    for engine in args.engines:
        result = run(engine, args.ntriples.resolve(), args.sample)
        print(f"| {engine} | {result['cpu_s']:.1f} | {result['peak_mb']:.0f} | {result['violations']} | {result['note']} |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
