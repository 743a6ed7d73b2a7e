"""Real SPARQL stores for the tests: Virtuoso and Jena TDB2/ARQ, started on 127.0.0.1.

Each is a Debian package (``virtuoso-opensource``; ``libapache-jena-java`` with
a headless JRE); ``.ci/run`` installs them. Where one is missing, the tests
that need it skip with a message that says what to install. Every store runs
in a throwaway folder and is stopped when its fixture ends.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = ["Virtuoso", "start_virtuoso", "Jena", "jena_or_skip", "result_rows", "free_port"]

DBA_PASSWORD = "kg-test-dba-7d41"  # not the default: the store is reached only from 127.0.0.1, for one test session


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


XSD = "http://www.w3.org/2001/XMLSchema#"
# Integer types that Oxigraph keeps as xsd:integer, while Virtuoso and Jena keep the type as loaded.
_INTEGER_TYPES = {XSD + name for name in ("integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
                                          "negativeInteger", "long", "int", "short", "byte", "unsignedLong",
                                          "unsignedInt", "unsignedShort", "unsignedByte")}
SEPARATOR = " | "  # the named queries' GROUP_CONCAT separator


def _cell(cell: dict) -> tuple:
    kind = "literal" if cell["type"] in ("literal", "typed-literal") else cell["type"]
    value, datatype = cell["value"], cell.get("datatype")
    if datatype == XSD + "string":
        datatype = None
    elif datatype in _INTEGER_TYPES:
        datatype = XSD + "integer"
    elif datatype == XSD + "boolean":  # Virtuoso writes booleans as 1 and 0
        value = {"1": "true", "0": "false"}.get(value, value)
    if kind == "literal" and datatype is None and SEPARATOR in value:
        # SPARQL leaves the order inside GROUP_CONCAT to the engine: compare the parts as a set.
        value = SEPARATOR.join(sorted(value.split(SEPARATOR)))
    return kind, value, datatype, cell.get("xml:lang")


def result_rows(results: dict) -> Counter:
    """The rows of SPARQL 1.1 Query Results JSON as a multiset of comparable tuples.

    Cells are compared by what they mean: a plain literal is an ``xsd:string``,
    ``typed-literal`` (Virtuoso's older spelling) is ``literal``, every integer
    type is ``xsd:integer``, a boolean ``1`` is ``true``, and the parts of a
    ``GROUP_CONCAT`` are a set.
    """
    names = results["head"]["vars"]
    rows = Counter()
    for binding in results["results"]["bindings"]:
        rows[tuple(_cell(binding[name]) if name in binding else None for name in names)] += 1
    return rows


@dataclass
class Virtuoso:
    folder: Path
    sql_port: int
    http_port: int
    process: subprocess.Popen

    @property
    def sparql_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def isql(self, statements: str) -> str:
        done = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", DBA_PASSWORD, f"exec={statements}"],
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout}\n{done.stderr}")
        return done.stdout

    def bulk_load(self, file: Path, graph: str) -> None:
        """Virtuoso's own bulk loader (``ld_dir`` and ``rdf_loader_run``) into ``graph``."""
        staged = self.folder / "load" / file.name
        staged.parent.mkdir(exist_ok=True)
        shutil.copyfile(file, staged)
        self.isql(f"ld_dir('{staged.parent}', '{file.name}', '{graph}'); rdf_loader_run(); "
                  f"DELETE FROM DB.DBA.LOAD_LIST;")

    def query(self, text: str, default_graph: str | None = None) -> dict:
        fields = {"query": text, "format": "application/sparql-results+json"}
        if default_graph:
            fields["default-graph-uri"] = default_graph
        request = urllib.request.Request(self.sparql_url, data=urllib.parse.urlencode(fields).encode(),
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.loads(answer.read().decode("utf-8"))


def _virtuoso_ini(folder: Path, sql_port: int, http_port: int) -> str:
    return f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 120
"""


def start_virtuoso(folder: Path) -> Virtuoso:
    """Start Virtuoso in ``folder`` on two free ports of 127.0.0.1, with a non-default dba password."""
    binary = shutil.which("virtuoso-t")
    if binary is None or shutil.which("isql-vt") is None:
        pytest.skip("Virtuoso is not installed; install it with: apt-get install virtuoso-opensource")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(_virtuoso_ini(folder, sql_port, http_port), encoding="utf-8")
    log = open(folder / "server.out", "w", encoding="utf-8")
    process = subprocess.Popen([binary, "-f", "-c", str(folder / "virtuoso.ini")], cwd=folder, stdout=log,
                               stderr=subprocess.STDOUT)
    store = Virtuoso(folder, sql_port, http_port, process)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Virtuoso stopped at start: {(folder / 'server.out').read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", http_port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        raise RuntimeError("Virtuoso did not start within 90 s")
    done = subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba",
                           f"exec=user_set_password('dba', '{DBA_PASSWORD}');"], capture_output=True, text=True,
                          timeout=60)
    if done.returncode != 0:
        process.kill()
        raise RuntimeError(f"could not set Virtuoso's dba password: {done.stdout}{done.stderr}")
    return store


def stop_virtuoso(store: Virtuoso) -> None:
    store.process.terminate()
    try:
        store.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        store.process.kill()
        store.process.wait()


# Debian's Jena 4.5 moves its private copy of Xerces to the package ``xerces`` but leaves the
# message files at their old place, so every Jena command fails at start ("internal error").
# A folder holding those files at the place the classes look for them mends that.
_JENA_DEPENDENCIES = ("libcommons-cli-java", "libcommons-codec-java", "libcommons-compress-java",
                      "libcommons-csv-java", "libcommons-io-java", "libcommons-lang3-java", "libdexx-java",
                      "libgoogle-gson-java", "libguava-java", "libhttpclient-java", "libhttpcore-java",
                      "libjackson2-core-java", "libjackson2-databind-java", "libjackson2-annotations-java",
                      "libjsonld-java", "libjsonp2-java", "libprotobuf-java", "libthrift-java",
                      "libtitanium-json-ld-java", "libcaffeine-java", "libcommons-collections4-java")


@dataclass
class Jena:
    classpath: str

    def run(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(["java", "-Xmx2g", "-cp", self.classpath, *args], capture_output=True, text=True,
                              timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"jena {' '.join(args[:2])} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def load(self, location: Path, *files: Path, graph: str | None = None) -> None:
        """TDB2's loader; without ``graph``, triples go to the default graph and quads to their graphs."""
        self.run("tdb2.tdbloader", "--loc", str(location), *([f"--graph={graph}"] if graph else []),
                 *map(str, files))

    def query(self, location: Path, text: str) -> dict:
        return json.loads(self.run("tdb2.tdbquery", "--loc", str(location), "--results=json", text))


def _debian_jars(package: str) -> list[str]:
    done = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True)
    # Debian ships each jar twice, with and without its version; the plain name is the one to use.
    return [line for line in done.stdout.splitlines()
            if line.endswith(".jar") and not line.rsplit("-", 1)[-1][:1].isdigit()]


def jena_or_skip(folder: Path) -> Jena:
    """Jena's command-line tools on the JRE, from Debian's packages, or a skip that says what to install."""
    jena_core = Path("/usr/share/java/jena-core.jar")
    if shutil.which("java") is None or not jena_core.is_file():
        pytest.skip("Jena is not installed; install it with: apt-get install libapache-jena-java "
                    "default-jre-headless")
    resources = folder / "jena-xerces-messages"
    with zipfile.ZipFile(jena_core) as jar:
        for name in jar.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and not name.endswith(("/", ".class")):
                target = resources / "xerces" / name[len("org/apache/jena/ext/xerces/"):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    jars = _debian_jars("libapache-jena-java")
    for package in _JENA_DEPENDENCIES:
        jars += _debian_jars(package)
    jars += ["/usr/share/java/slf4j-api.jar", "/usr/share/java/slf4j-nop.jar"]
    return Jena(":".join([str(resources), *jars]))
