"""The ``kg`` command line: a thin layer over the library.

User errors print one clear message and exit with 1 (SHACL violations) or
2 (bad input); they never show a traceback.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from .errors import KGError
from .paths import project_root

__all__ = ["main"]


def _default_out(out: Path | None) -> Path:
    """The build folder a command works on: --out, else out/ in the project."""
    return out if out is not None else project_root() / "out"


def _fail(error: KGError) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(error.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="faction-kg")
def main() -> None:
    """faction-kg: an evidence-backed knowledge graph of armed groups, people and claimed events."""


def _progress_bar():
    """A progress bar over the build stages, only for a person at a terminal (not when redirected, not in CI)."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None, None
    from tqdm import tqdm

    from .pipeline import STAGES

    # No monitor thread: the build forks a child, and forking a process that runs threads is unsafe.
    tqdm.monitor_interval = 0
    bar = tqdm(total=len(STAGES), desc="building", unit="stage", file=sys.stderr, leave=False)

    def on_stage(name: str) -> None:
        bar.set_postfix_str(name)
        bar.update(1)

    return bar, on_stage


@main.command()
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The sources folder (default: sources/ in the project).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the outputs (default: out/ in the project).")
@click.option("--warnings/--no-warnings", "show_warnings", default=False, show_default=True,
              help="List every curation warning (unused aliases, entities without facts), or only count them.")
@click.option("--force", "--no-cache", "force", is_flag=True, default=False,
              help="Build from scratch: check every document file again, without the build cache, "
                   "even when nothing changed since the last build.")
@click.option("--watch", is_flag=True, default=False,
              help="Stay running: rebuild whenever a file in the sources or the ontology is saved, "
                   "one line per rebuild; bad input is reported and the watch goes on. Ctrl-C stops it.")
def build(sources: Path | None, out: Path | None, show_warnings: bool, force: bool, watch: bool) -> None:
    """Check the sources and write every output to out/.

    Loads the registry and every document file, verifies hashes and quotes,
    validates with SHACL, and writes these files in the output folder:

    \b
      kg.ttl kg.nt kg.jsonld kg.trig  the graph: Turtle, N-Triples, JSON-LD, TriG
      void.ttl                        VoID: triple counts, partitions, sources
      report.html report.md           the graph analysis report
      metrics.json metrics.csv        every node's metrics, the report's figures
      metrics.csv-metadata.json       the CSV's W3C CSVW description (column types)
      kg.graphml kg.gexf              the graph for Gephi and Cytoscape
      graph.html                      the interactive graph page
      sources/<doc-id>.html           each document, its quotes highlighted
      entities/<id>.html              a profile page for every entity
      build-inputs.json               the hashes of the inputs, and the outputs' sizes

    Exit codes: 0 ok, 1 SHACL violations, 2 bad input.

    When nothing changed since the build in the output folder (the same
    sources, ontology and code, every output as written), the build says it
    is up to date and does nothing. Otherwise a document file unchanged since
    an earlier build is not checked again: its checked record comes from the
    build cache ($KG_CACHE_DIR/build, else ~/.cache/faction-kg/build). The
    outputs are the same as a build from scratch (--force).

    The output folder is replaced whole, so it must be one a build made (it
    holds a .faction-kg-build marker), an empty or missing one; any other
    folder is refused and left as it is. Pages written by kg view --focus and
    a report written with kg report --window are replaced too (the build
    says so); run those commands again afterwards.
    """
    if watch:
        _watch_build(sources, out, force=force)
        return
    try:
        result = _run_build(sources, out, force=force, progress=True)
    except KGError as error:
        _fail(error)
    if result is None:
        click.echo(f"{_default_out(out)} is up to date: nothing changed since its build (kg build --force rebuilds it)")
        return
    click.echo(result.summary())
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if show_warnings:
        for warning in result.corpus.warnings:
            click.echo(f"warning: {warning}", err=True)
    elif result.corpus.warnings:
        click.echo(f"({len(result.corpus.warnings)} curation warnings; see them with --warnings)", err=True)


def _run_build(sources: Path | None, out: Path | None, *, force: bool, progress: bool):
    """One build, with the cache unless ``force``; None when the output was up to date."""
    from .cache import BuildCache
    from .pipeline import build as run_build

    bar, on_stage = _progress_bar() if progress else (None, None)
    try:
        return run_build(sources, out, progress=on_stage, cache=None if force else BuildCache())
    finally:
        if bar is not None:
            bar.close()


def _watch_build(sources: Path | None, out: Path | None, *, force: bool) -> None:
    """``kg build --watch``: the first build as asked (``--force`` included), then cached rebuilds on every save."""
    import time

    from .paths import ontology_dir, sources_dir
    from .watch import watch

    first = [force]

    def rebuild() -> None:
        started = time.strftime("%H:%M:%S")
        try:
            result = _run_build(sources, out, force=first.pop() if first else False, progress=False)
        except KGError as error:
            click.echo(f"{started} error: {error}", err=True)
            return
        if result is None:
            click.echo(f"{started} {_default_out(out)} is up to date")
            return
        stats = result.cache_stats
        checked = f"; {stats.get('document.miss', 0)} document files checked, {stats.get('document.hit', 0)} unchanged" \
            if stats else ""
        click.echo(f"{started} built {result.out} in {result.seconds:.1f} s: {result.triples} triples, "
                   f"{len(result.corpus.warnings)} warnings{checked}")

    click.echo(f"watching {sources or sources_dir()} and {ontology_dir()}; Ctrl-C stops")
    try:
        watch([Path(sources) if sources else sources_dir(), ontology_dir()], rebuild)
    except KeyboardInterrupt:
        click.echo("stopped watching")


@main.command(name="queries")
def list_queries() -> None:
    """List the query library: each query's name, question and parameters."""
    from .sparql import example_value, load_library

    try:
        library = load_library()
    except KGError as error:
        _fail(error)
    for name, query in library.items():
        click.echo(f"{name}: {query.title}")
        click.echo(f"    {query.question}")
        for param in query.params:
            need = "optional" if param.optional else f"required, e.g. {example_value(query, param.name)}"
            kind = f"{param.type} {param.bounds[0]}..{param.bounds[1]}" if param.type == "integer" else param.type
            several = ", several" if param.several else ""
            click.echo(f"    --param {param.name}=...  ({kind}, {need}{several}) {param.doc}")


def _parse_params(pairs: tuple[str, ...]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r} is not key=value, e.g. --param actor=al-nujaba", param_hint="--param")
        values.setdefault(key.strip(), []).append(value)
    return values


class _QueryCommand(click.Command):
    """``kg query``, whose help ends with the prefixes every query may use without declaring them."""

    def format_epilog(self, ctx, formatter) -> None:
        from .sparql import QUERY_PREFIXES

        with formatter.section("Predeclared prefixes (no PREFIX line needed, on both engines)"):
            formatter.write_dl([(f"{prefix}:", f"<{namespace}>") for prefix, namespace in QUERY_PREFIXES.items()])


@main.command(cls=_QueryCommand)
@click.argument("query", required=False)
@click.option("--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Run the SPARQL query in this file.")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of a named query (an entity by id or name, a document id, a date, a number or "
                   "text; see 'kg queries'); one --param per parameter, unless it takes several values.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "markdown"]), default="table",
              show_default=True, help="Output format; json is SPARQL 1.1 Query Results JSON (exact values). In csv "
                                      "and tsv a cell starting with =, +, -, @, tab or carriage return gets a leading "
                                      "' so that spreadsheets do not run it; table and markdown show control "
                                      "characters as escapes such as \\n.")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
              help="Embedded engine: pyoxigraph (fast) or rdflib's own (reference).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The build to query (default: out/ in the project).")
@click.option("--timeout", type=click.FloatRange(min=0), default=60, show_default=True,
              help="Stop the query after this many seconds (0: no limit).")
@click.option("--max-width", type=click.IntRange(min=0), default=60, show_default=True,
              help="Table format: wrap a cell longer than this onto more lines (0: never wrap); nothing is cut.")
@click.option("--allow-service", is_flag=True, default=False,
              help="Let SERVICE clauses send requests to the endpoints they name (refused by default: "
                   "kg query makes no outgoing requests).")
def query(query: str | None, query_file: Path | None, params: tuple[str, ...], fmt: str, engine: str,
          out: Path | None, timeout: float, max_width: int, allow_service: bool) -> None:
    """Run a named query from the library, a query file, or SPARQL text.

    \b
    kg query spokespersons
    kg query statements-by --param actor=akram-al-kaabi --format csv
    kg query --file my.rq
    kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from .errors import QueryError
    from .sparql import bind, format_result, load_library, looks_like_sparql, run_sparql

    out = _default_out(out)
    try:
        values = _parse_params(params)
        named = None
        if query_file is not None:
            if query:
                raise QueryError("give either a query name or text, or --file, not both")
            text = query_file.read_text(encoding="utf-8")
        elif query is None:
            raise QueryError("name a query (see 'kg queries'), give SPARQL text, or use --file")
        else:
            library = load_library()
            named = library.get(query)
            if named is None and not looks_like_sparql(query):
                import difflib

                close = difflib.get_close_matches(query, library, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                raise QueryError(f"no query named '{query}'; {hint}'kg queries' lists them")
            text = query
        if values and named is None:
            raise QueryError("--param applies to named queries only")
        if named is not None:
            text = bind(named, values, out, engine)
        result = run_sparql(text, out, engine=engine, timeout=timeout or None, allow_service=allow_service)
    except KGError as error:
        _fail(error)
    click.echo(format_result(result, fmt, max_width), nl=False)


@main.command()
@click.option("--port", type=int, default=7878, show_default=True,
              help="Port on 127.0.0.1 (1024 to 65535; one that nothing else listens on).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The build to serve (default: out/ in the project).")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Oxigraph store folder: a new or empty folder, or one an earlier kg serve made, which is "
                   "replaced (default: a temporary one, removed on exit). Any other folder is refused.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30, show_default=True,
              help="Stop a query after this many seconds (whole seconds; the server answers with an error).")
@click.option("--allow-service", is_flag=True, default=False,
              help="Let SERVICE clauses make the server send requests to the endpoints they name "
                   "(refused by default: kg serve makes no outgoing requests).")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let browser pages from ORIGIN read the answers, e.g. --cors https://yasgui.triply.cc "
                   "(pages served from localhost or 127.0.0.1 always may; '*' allows any; repeat for several).")
def serve(port: int, out: Path | None, store: Path | None, timeout: float, allow_service: bool,
          cors: tuple[str, ...]) -> None:
    """Serve the build over the SPARQL 1.1 Protocol, read-only, on 127.0.0.1.

    Loads the current build into an Oxigraph store and starts the Oxigraph
    server; any SPARQL tool can then query it. Queries stop after --timeout
    seconds; SERVICE is refused unless --allow-service. Stop it with Ctrl-C.
    Exit codes: 0 stopped, 2 bad input (no build, a busy or invalid port, a
    store folder that is not ours).
    """
    from .serve import start_server

    def stop_on_signal(signum, frame):  # Ctrl-C or a service manager's TERM: stop cleanly either way
        raise KeyboardInterrupt

    previous = {signum: signal.signal(signum, stop_on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}
    server = None
    try:
        server = start_server(_default_out(out), port=port, store=store, timeout=timeout,
                              allow_service=allow_service, cors=cors)
        limits = f"read-only, queries stop after {timeout:g} s, " + ("SERVICE allowed" if allow_service else "no SERVICE")
        click.echo(f"SPARQL endpoint: {server.query_url}  ({limits}; Ctrl-C stops it)")
        click.echo("Try:")
        click.echo(f"  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT ?person ?org WHERE "
                   f"{{ ?person <https://example.org/faction-kg/ontology#spokespersonOf> ?org }}' {server.query_url}")
        code = server.wait()
        if code:
            click.echo(f"error: the Oxigraph server stopped (exit code {code})", err=True)
            sys.exit(2)
    except KGError as error:
        _fail(error)
    except KeyboardInterrupt:
        click.echo("\nstopping")
    finally:
        if server is not None:
            server.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@main.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store Protocol endpoint, e.g. http://127.0.0.1:7879/store (a read-write Oxigraph) or "
                   "http://host:3030/ds/data (Fuseki); user:password@ in the URL is sent as Basic authentication "
                   "and never shown.")
@click.option("--graph", metavar="IRI", default=None,
              help="Put everything into this one graph (an absolute IRI) instead of one graph per source document.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The build to publish (default: out/ in the project).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60, show_default=True,
              help="How long each request may wait for an answer, in seconds.")
@click.option("--user", metavar="NAME", default=None,
              help="Log in as NAME, answering the store's Basic or Digest challenge; the password comes from "
                   "the KG_PUBLISH_PASSWORD environment variable, or is asked for (never on the command line).")
@click.option("--default-graph", is_flag=True, default=False,
              help="Also put the merge into the store's default graph, so queries without FROM or "
                   "default-graph-uri see it (Oxigraph, Fuseki, GraphDB; Virtuoso has none to write).")
def publish(endpoint: str, graph: str | None, out: Path | None, timeout: float, user: str | None,
            default_graph: bool) -> None:
    """Send the build to a SPARQL 1.1 Graph Store (Oxigraph, Fuseki, GraphDB, Virtuoso).

    Each source document's graph, the registry, the ontology and the merge of
    them all (graph/all, the graph the named queries are written for) are
    replaced with HTTP PUT, then read back: the triples are counted and a
    sample is compared term for term. On a failure partway it says which
    graphs were replaced and which were not. Exit codes: 0 ok, 1 a graph was
    not stored in full, 2 bad input or a store that cannot be reached or
    refuses.

    \b
    oxigraph serve --location /tmp/store --bind 127.0.0.1:7879 &
    kg publish --endpoint http://127.0.0.1:7879/store --default-graph
    KG_PUBLISH_PASSWORD=... kg publish --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth --user dba
    """
    from .publish import publish as run_publish

    password = None
    if user is not None:
        password = os.environ.get("KG_PUBLISH_PASSWORD")
        if password is None:
            if not sys.stdin.isatty():
                _fail(KGError(f"--user {user} needs a password: set KG_PUBLISH_PASSWORD, or run at a terminal "
                              "to be asked for it"))
            password = click.prompt(f"password for {user}", hide_input=True, err=True)
    try:
        results = run_publish(_default_out(out), endpoint, graph, timeout=timeout, user=user, password=password,
                              default_graph=default_graph)
    except KGError as error:
        _fail(error)
    for item in results:
        click.echo(f"{'ok ' if item.ok else 'BAD'} {item.graph}: sent {item.sent}, stored {item.stored}, "
                   f"{item.compared - item.missing} of {item.compared} sampled triples found as sent")
    if not all(item.ok for item in results):
        click.echo("error: some graphs were not stored in full", err=True)
        sys.exit(1)


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The build to analyse; the report is written into it (default: out/ in the project).")
@click.option("--window", type=click.IntRange(min=0), default=30, show_default=True,
              help="Days after a threat within which an attack by the same actor counts as follow-through.")
def report(out: Path | None, window: int) -> None:
    """Rebuild only the graph-analysis report and metrics from an existing build.

    Reads out/kg.nt and rewrites report.html, report.md, metrics.json,
    metrics.csv, metrics.csv-metadata.json, kg.graphml and kg.gexf; no other file is touched.
    """
    from .analysis import AnalysisSettings, rebuild_report
    from .folders import check_build_folder, output_lock

    try:
        out = check_build_folder(_default_out(out))
        with output_lock(out):
            written = rebuild_report(out, AnalysisSettings(window_days=window))
    except KGError as error:
        _fail(error)
    for path in written:
        click.echo(f"wrote {path}")


@main.command()
@click.option("--focus", metavar="ENTITY", default=None,
              help="Centre the page on this entity (its id or any of its names, e.g. al-nujaba or \"Ka'abi\").")
@click.option("--hops", type=click.IntRange(min=0), default=2, show_default=True,
              help="With --focus: how many links away from the entity to show.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=2000, show_default=True,
              help="Above this many nodes, show the most central ones (and say how many are hidden).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The build to read and write the page into (default: out/ in the project).")
def view(focus: str | None, hops: int, max_nodes: int, out: Path | None) -> None:
    """Write an interactive page from the build: focused on one entity, or all of it.

    \b
    kg view --focus al-nujaba --hops 2    writes out/graph-al-nujaba-2hops.html
    kg view --max-nodes 5000              writes out/graph.html again, bigger
    """
    from .folders import check_build_folder, output_lock
    from .view import write_focused_page

    try:
        out = check_build_folder(_default_out(out))
        with output_lock(out):
            page = write_focused_page(out, focus=focus, hops=hops, max_nodes=max_nodes)
    except KGError as error:
        _fail(error)
    click.echo(f"wrote {page}")


@main.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one 'file:line:col: error: message' line per problem; json: for tools.")
@click.option("--no-shacl", is_flag=True, default=False, help="Skip the SHACL validation (faster).")
def check(path: Path | None, fmt: str, no_shacl: bool) -> None:
    """Check the sources as the build does (hashes, quotes, ids, SHACL), writing nothing.

    PATH is a sources folder (default: sources/) or one file in it; a file is
    checked with the folder it belongs to, and only its problems are listed.
    Exit codes as the build's: 0 ok, 1 SHACL violations, 2 bad input.
    """
    from .curation.check import check_sources

    result = check_sources(path, shacl=not no_shacl)
    if fmt == "json":
        click.echo(result.to_json())
    else:
        for diagnostic in result.diagnostics:
            click.echo(str(diagnostic))
        if result.elsewhere:
            click.echo(f"note: {result.elsewhere} more problem(s) in other files; run kg check on the folder", err=True)
        if result.exit_code == 0:
            click.echo(f"ok: {result.documents} documents, {result.facts} facts", err=True)
    sys.exit(result.exit_code)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "doc_id", default=None, help="The document id (default: from the file name), e.g. jttm-2024-03-01.")
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The sources folder (default: sources/ in the project).")
def add(file: Path, doc_id: str | None, sources: Path | None) -> None:
    """Copy a new text into sources/documents/ and write its metadata record.

    The text is copied byte for byte and its SHA-256 recorded; the title is
    its first line. Dates, publisher and series found in the text are left
    as commented suggestions with their quotes. A text already in the corpus,
    a text that is not UTF-8 and an existing file are refused (exit code 2).
    """
    from .curation.add import add_document

    try:
        result = add_document(file, sources, doc_id)
    except KGError as error:
        _fail(error)
    click.echo(f"wrote {result.text} (sha256 {result.sha256})")
    click.echo(f"wrote {result.metadata} ({len(result.suggestions)} commented suggestions)")
    click.echo(f"next: kg suggest {result.metadata}", err=True)


@main.command(name="schema")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the schemas (default: schemas/ in the project).")
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The sources folder whose ids the schemas list (default: sources/ in the project).")
def schema_command(out: Path | None, sources: Path | None) -> None:
    """Write JSON Schemas of the document and registry files, for the YAML language server.

    Relation names, statuses, types and ids come from the ontology and the
    sources; run this again after adding entities or records.
    """
    from .curation.jsonschema import write_schemas

    try:
        written = write_schemas(out, sources)
    except KGError as error:
        _fail(error)
    for path in written:
        click.echo(f"wrote {path}")


@main.command()
@click.argument("document")
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The sources folder (default: sources/ in the project, or the one DOCUMENT lies in).")
def suggest(document: str, sources: Path | None) -> None:
    """Pre-annotate a document: write <id>.suggested.yaml beside it.

    DOCUMENT is a document id or the path of its .yaml or .txt file. The
    suggestions (registry names and new spellings, dates, quoted speech and
    its speaker, outlets, new names, candidate facts from the corpus's own
    patterns) each carry their exact quote and offsets. The build never
    loads the file, and no curated file is written; accept a suggestion by
    moving it into <id>.yaml, then run kg check.
    """
    from .curation.suggest import suggest as run_suggest
    from .curation.suggest import write_suggestions

    try:
        found = run_suggest(document, sources)
        path = write_suggestions(found)
    except KGError as error:
        _fail(error)
    click.echo(f"wrote {path}: {len(found.mentions)} mentions ({sum(m.new_alias for m in found.mentions)} new spellings), "
               f"{len(found.outlets) + len(found.addresses)} outlets, {len(found.dates)} dates, {len(found.speech)} quotations, "
               f"{len(found.new_names)} new names, {len(found.facts)} candidate facts")


@main.command()
@click.argument("entity")
@click.argument("spelling")
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The sources folder (default: sources/ in the project).")
def alias(entity: str, spelling: str, sources: Path | None) -> None:
    """Add SPELLING to the aliases of ENTITY in the registry (e.g. a new spelling kg suggest found).

    The registry file keeps its comments, order and layout; it is replaced atomically.
    """
    from .curation.alias import add_alias

    try:
        result = add_alias(entity, spelling, sources)
    except KGError as error:
        _fail(error)
    click.echo(f"added {result.alias!r} to the aliases of {result.entity} in {result.file}")
