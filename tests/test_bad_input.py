"""Bad input gets one clear message, exit code 2, and leaves the previous output byte for byte intact.

Every case breaks a copy of the real sources the way a tired curator or an
attacker might, runs ``kg build`` in-process, and checks the exit code, the
message (file, line, what is wrong, how to fix it), that no traceback is
shown, and that the output folder of an earlier good build is unchanged.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main

DOC = "documents/jttm-2024-01-08.yaml"
DOC_2022 = "documents/jttm-2022-08-08.yaml"
DOC_2024_07 = "documents/jttm-2024-07-30.yaml"
GROUPS = "entities/groups.yaml"
WEAPONS = "entities/weapons.yaml"
SPOKESMAN_QUOTE = 'quote: "the spokesman for the Iran-backed Iraqi Al-Nujaba Movement militia"'
NEW_FACT = "facts:\n  - relation: backedBy\n    subject: al-nujaba\n    object: iran\n    status: reported\n"


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def edit(rel: str, old: str, new: str):
    """A mutation that replaces the first ``old`` in one source file."""
    return lambda src: _edit(src / rel, old, new)


def write(rel: str, content: str | bytes):
    def mutate(src: Path) -> None:
        path = src / rel
        if path.exists() or path.is_symlink():
            path.unlink()
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return mutate


def replace_with(rel: str, make):
    """A mutation that puts something else (a folder, a pipe, a symlink) where a file is expected."""
    def mutate(src: Path) -> None:
        path = src / rel
        if path.exists() or path.is_symlink():
            path.unlink()
        make(path)
    return mutate


def symlink_loop(path: Path) -> None:
    other = path.with_name("loop-" + path.name)
    other.symlink_to(path)
    path.symlink_to(other)


def text_outside_sources(src: Path) -> None:
    text = src / "documents" / "jttm-2024-01-08.txt"
    outside = src.parent / "elsewhere.txt"
    shutil.move(text, outside)
    text.symlink_to(outside)


def documents_folder_outside_sources(src: Path) -> None:
    outside = src.parent / "documents-elsewhere"
    shutil.move(src / "documents", outside)
    (src / "documents").symlink_to(outside, target_is_directory=True)


def append_entity(src: Path, entry: str, rel: str = WEAPONS) -> None:
    path = src / rel
    path.write_text(path.read_text(encoding="utf-8") + entry, encoding="utf-8")


def long_text_and_bogus_quote(src: Path) -> None:
    """A 4 MB document text (its hash updated) and a quote that is not in it."""
    text = src / "documents" / "jttm-2024-01-08.txt"
    old_sha = hashlib.sha256(text.read_bytes()).hexdigest()
    text.write_bytes(text.read_bytes() + b"\nFiller paragraph about nothing in particular, repeated. " * 70000)
    _edit(src / DOC, old_sha, hashlib.sha256(text.read_bytes()).hexdigest())
    _edit(src / DOC, SPOKESMAN_QUOTE, 'quote: "' + "the militia spokesman said that " * 650 + '"')


def many(*mutations):
    def mutate(src: Path) -> None:
        for m in mutations:
            m(src)
    return mutate


LINE, NO_LINE = True, False
# (id, mutation, file named, message pattern, fix, whether the message gives a line)
CASES = [
    # the mistakes the loader always caught
    ("broken-yaml", edit(WEAPONS, "  - {id: rockets,", "  - {id: rockets, ["), "weapons.yaml",
     r"broken YAML: .* at \(line \d+, column \d+\)", "check the brackets", LINE),
    ("unknown-id", edit(DOC, "object: al-nujaba", "object: al-nujabaa"), "jttm-2024-01-08.yaml",
     r"unknown id 'al-nujabaa' in 'object'", "did you mean 'al-nujaba'", LINE),
    ("duplicate-id", lambda s: append_entity(s, "  - {id: drones, type: Weapon, label: Drones again, aliases: [], description: Copy.}\n"),
     "weapons.yaml", r"duplicate id 'drones'", "already defined at sources/entities/weapons.yaml", LINE),
    ("bad-date", edit(DOC_2024_07, "date: 2024-07-28", "date: 2024-07-32"), "jttm-2024-07-30.yaml",
     r"bad date: '2024-07-32' is not a real date", "write YYYY-MM-DD", LINE),
    ("quote-not-found", edit(DOC, "the spokesman for the Iran-backed", "the spokesperson of the Iran-backed"), "jttm-2024-01-08.yaml",
     r"quote not found in jttm-2024-01-08.txt", "closest passage: 'the spokesman for the Iran-backed", LINE),
    ("changed-document", lambda s: (s / "documents/jttm-2023-11-01.txt").write_bytes(
        (s / "documents/jttm-2023-11-01.txt").read_bytes().replace(b"Akram Al-Kaabi", b"Akram Al-Kabi", 1)),
     "jttm-2023-11-01.yaml", r"the document jttm-2023-11-01.txt has changed: its SHA-256 is [0-9a-f]{64}", "restore the original text", LINE),
    ("missing-field", edit("entities/people.yaml", "    label: Husayn Al-Mousawi\n", ""), "people.yaml",
     r"entity 'husayn-al-mousawi' is missing the field 'label'", "add 'label:'", LINE),
    ("unknown-relation", edit(DOC, "relation: spokespersonOf", "relation: spokesmanOf"), "jttm-2024-01-08.yaml",
     r"unknown relation 'spokesmanOf'", "did you mean 'spokespersonOf'", LINE),
    ("boilerplate-quote", edit(DOC, "facts:\n", NEW_FACT + '    quote: "The full text of this post is available to subscribers."\n'),
     "jttm-2024-01-08.yaml", r"is subscription boilerplate, which is never evidence", "quote the report's own text", LINE),
    ("wrong-status", edit(DOC, "facts:\n", NEW_FACT.replace("backedBy", "frontFor") + '    quote: "Al-Nujaba Movement militia"\n'),
     "jttm-2024-01-08.yaml", r"relation 'frontFor' is always assessed, not reported", "write status: assessed", LINE),
    # one value where a list or mapping was given, and lists or mappings as keys
    ("type-as-list", edit(GROUPS, "type: ArmedGroup", "type: [ArmedGroup]"), "groups.yaml",
     r"'type' in an entity must be one piece of text, not a list", "write one value after the colon", LINE),
    ("label-as-mapping", edit(GROUPS, "label: Al-Nujaba Movement", "label: {en: Al-Nujaba Movement}"), "groups.yaml",
     r"'label' in an entity must be one piece of text, not a mapping", "write one value after the colon", LINE),
    ("status-as-list", edit(DOC, "status: reported", "status: [reported]"), "jttm-2024-01-08.yaml",
     r"'status' in a relation record must be one piece of text, not a list", "write one value after the colon", LINE),
    ("kind-as-mapping", edit(DOC, "kind: monitoring-report", "kind: {value: monitoring-report}"), "jttm-2024-01-08.yaml",
     r"'kind' in the document record must be one piece of text, not a mapping", "write one value after the colon", LINE),
    ("event-label-as-list", edit(DOC, "label: Claimed Al-Aqrab missile attack on Haifa", "label: [Claimed Al-Aqrab missile attack on Haifa]"),
     "jttm-2024-01-08.yaml", r"'label' in an event record must be one piece of text, not a list", "write one value", LINE),
    ("label-is-no", edit(GROUPS, "label: Al-Nujaba Movement", "label: No"), "groups.yaml",
     r"'label' in an entity must be one piece of text, not 'false'", "write one value after the colon", LINE),
    ("list-as-key", edit(GROUPS, "    label: Al-Nujaba Movement", "    ? [a, b]\n    : x\n    label: Al-Nujaba Movement"),
     "groups.yaml", r"a list or mapping is used as a key", "check the brackets", LINE),
    ("mapping-as-key", edit(GROUPS, "    label: Al-Nujaba Movement", "    {a: 1}: x\n    label: Al-Nujaba Movement"),
     "groups.yaml", r"a list or mapping is used as a key", "check the brackets", LINE),
    # control characters
    ("nul-in-file", edit(GROUPS, "Iran-backed Iraqi Shi'ite militia.", "Iran-backed\x00 Iraqi Shi'ite militia."), "groups.yaml",
     r"a control character U\+0000 at column \d+", "remove it", LINE),
    ("escape-in-file", edit(GROUPS, "Iran-backed Iraqi Shi'ite militia.", "Iran-backed\x1b[2J Iraqi Shi'ite militia."), "groups.yaml",
     r"a control character U\+001B at column \d+", "remove it", LINE),
    ("control-in-label", edit(GROUPS, "label: Al-Nujaba Movement", 'label: "Al-Nujaba\\a Movement"'), "groups.yaml",
     r"a control character U\+0007 in the text 'Al-Nujaba\\x07 Movement'", "remove it", LINE),
    ("control-in-alias", edit(GROUPS, "aliases: [Al-Nujaba, ", 'aliases: ["Al-Nu\\x08jaba", '), "groups.yaml",
     r"a control character U\+0008 in the text", "remove it", LINE),
    ("control-in-note", edit(DOC, 'status: reported\n    quote: "the spokesman', 'status: reported\n    note: "see\\f above"\n    quote: "the spokesman'),
     "jttm-2024-01-08.yaml", r"a control character U\+000C in the text 'see\\x0c above'", "remove it", LINE),
    ("lone-surrogate", edit(GROUPS, "label: Al-Nujaba Movement", 'label: "Al-Nujaba \\ud800"'), "groups.yaml",
     r"broken YAML: .*found invalid Unicode character escape code", "", LINE),
    ("control-in-text", lambda s: (s / "documents/jttm-2024-01-08.txt").write_bytes(
        (s / "documents/jttm-2024-01-08.txt").read_bytes().replace(b"Haifa", b"Hai\x00fa", 1)),
     "jttm-2024-01-08.yaml", r"the document text jttm-2024-01-08.txt: a control character U\+0000 at column \d+ \(line \d+\)",
     "remove it", LINE),
    # bidirectional controls
    ("bidi-in-label", edit(GROUPS, "label: Al-Nujaba Movement", "label: Al-Nujaba\u202e Movement"), "groups.yaml",
     r"a bidirectional control character U\+202E at column \d+", "remove it; a right-to-left name displays correctly", LINE),
    ("bidi-escape-in-alias", edit(GROUPS, "aliases: [Al-Nujaba, ", 'aliases: ["Al-Nujaba\\u2066", '), "groups.yaml",
     r"a bidirectional control character U\+2066 in the text", "remove it", LINE),
    ("bidi-in-quote", edit(DOC, SPOKESMAN_QUOTE, 'quote: "the spokesman for the \\u202aIran-backed Iraqi Al-Nujaba Movement militia"'),
     "jttm-2024-01-08.yaml", r"a bidirectional control character U\+202A in the text", "remove it", LINE),
    # dates
    ("date-space-in-bound", edit(DOC_2024_07, "date: 2024-07-28", 'date: "[2024-07- 01..2024-07-28]"'), "jttm-2024-07-30.yaml",
     r"bad date: '\[2024-07- 01\.\.2024-07-28\]' has spaces inside it", "'[2024-07-01..2024-07-28]'", LINE),
    ("date-spaces-around-bounds", edit(DOC_2024_07, "date: 2024-07-28", 'date: "[ 2024-07-01 .. 2024-07-28 ]"'), "jttm-2024-07-30.yaml",
     r"has spaces inside it", "no spaces, e.g. '[2024-07-01..2024-07-28]'", LINE),
    ("date-arabic-indic-digits", edit(DOC_2024_07, "date: 2024-07-28", 'date: "\u0662\u0660\u0662\u0664-07-28"'), "jttm-2024-07-30.yaml",
     r"bad date: .* has characters other than ASCII \(such as Arabic-Indic digits\)", "the digits 0-9", LINE),
    ("date-fullwidth-digits", edit(DOC_2024_07, "date: 2024-07-28", 'date: "2024-07-\uff12\uff18"'), "jttm-2024-07-30.yaml",
     r"has characters other than ASCII", "the digits 0-9", LINE),
    ("date-as-list", edit(DOC_2024_07, "date: 2024-07-28", "date: [2024-07-28]"), "jttm-2024-07-30.yaml",
     r"'date' in a statement record must be one date, not a list", "write one date", LINE),
    # something else where a file is expected
    ("folder-as-yaml", replace_with("entities/extra.yaml", Path.mkdir), "entities/extra.yaml",
     r"this is a folder, not a file", "move it out of the sources", NO_LINE),
    ("dangling-symlink", replace_with("entities/extra.yaml", lambda p: p.symlink_to(p.parent / "missing.yaml")),
     "entities/extra.yaml", r"this is a symlink to .*missing\.yaml, which does not exist", "point it at the file", NO_LINE),
    ("symlink-loop", replace_with("entities/extra.yaml", symlink_loop), "entities/extra.yaml",
     r"this is a symlink loop", "replace the symlink with the file itself", NO_LINE),
    ("fifo-as-yaml", replace_with("entities/extra.yaml", os.mkfifo), "entities/extra.yaml",
     r"this is a named pipe, not a file", "put a regular file here", NO_LINE),
    ("fifo-as-text", replace_with("documents/jttm-2024-01-08.txt", os.mkfifo), "jttm-2024-01-08.yaml",
     r"the document text jttm-2024-01-08.txt: this is a named pipe, not a file", "put a regular file here", LINE),
    ("folder-as-text", replace_with("documents/jttm-2024-01-08.txt", Path.mkdir), "jttm-2024-01-08.yaml",
     r"the document text jttm-2024-01-08.txt: this is a folder, not a file", "move it out", LINE),
    ("invalid-utf8-yaml", lambda s: (s / WEAPONS).write_bytes((s / WEAPONS).read_bytes() + b"  - \xff\xfe\n"), "weapons.yaml",
     r"not valid UTF-8 \(invalid start byte at byte \d+\)", "save the file as UTF-8", LINE),
    ("huge-yaml", write("entities/huge.yaml", b"entities: []\n" + b"#" * (17 * 1024 * 1024)), "entities/huge.yaml",
     r"the file is larger than 16 MiB", "split it into smaller files", NO_LINE),
    # quotes
    ("short-quote", edit(DOC, SPOKESMAN_QUOTE, 'quote: "Movement militia"'), "jttm-2024-01-08.yaml",
     r"quote 'Movement militia' is too short to be evidence", "write {text: 'Movement militia', short: true}", LINE),
    ("one-word-quote", edit(DOC, SPOKESMAN_QUOTE, 'quote: "Iran-backed"'), "jttm-2024-01-08.yaml",
     r"quote 'Iran-backed' is too short to be evidence", "at least 3 words and 12 characters", LINE),
    ("short-not-true", edit(DOC, SPOKESMAN_QUOTE, 'quote: {text: "Movement militia", short: yes please}'), "jttm-2024-01-08.yaml",
     r"'short' in a quote must be true or false", "write true or false", LINE),
    ("quote-field-typo", edit(DOC, "quote: {text: \"January 8, 2024\", occurrence: 1}", "quote: {text: \"January 8, 2024\", occurence: 1}"),
     "jttm-2024-01-08.yaml", r"unknown field 'occurence' in a quote", "did you mean 'occurrence'", LINE),
    ("long-bogus-quote", edit(DOC, SPOKESMAN_QUOTE, 'quote: "' + "the militia spokesman said that " * 650 + '"'),
     "jttm-2024-01-08.yaml", r"quote not found in jttm-2024-01-08.txt", "closest passage:", LINE),
    ("long-text-bogus-quote", long_text_and_bogus_quote, "jttm-2024-01-08.yaml", r"quote not found in jttm-2024-01-08.txt",
     "closest passage:", LINE),
    # anchors and aliases
    ("anchor-and-alias", edit(GROUPS, "    aliases: [Al-Nujaba, ", "    note: &n Same as below.\n    description: *n\n    aliases: [Al-Nujaba, "),
     "groups.yaml", r"a YAML anchor \('&n'\) is not allowed", "the curation format does not use anchors and aliases", LINE),
    ("alias-bomb", write("entities/bomb.yaml", "a: &a [x, x, x, x, x, x, x, x, x]\n"
                         + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9))
                         + "entities: *j\n"), "entities/bomb.yaml", r"a YAML anchor \('&a'\) is not allowed", "write the value out in full", LINE),
    # empty files, and files outside the sources
    ("empty-document", write(DOC, ""), "jttm-2024-01-08.yaml", r"the file is empty \(or holds only comments\)",
     "write the document's record and its facts", NO_LINE),
    ("comment-only-document", write(DOC, "# to do: curate this report\n"), "jttm-2024-01-08.yaml",
     r"the file is empty \(or holds only comments\)", "or delete the file and its text", NO_LINE),
    ("empty-registry", write(GROUPS, ""), "groups.yaml", r"the file is empty \(or holds only comments\)",
     "add an 'entities:' list, or delete the file", NO_LINE),
    ("yml-extension", lambda s: shutil.move(s / WEAPONS, s / "entities/weapons.yml"), "entities/weapons.yml",
     r"the build reads only files ending in \.yaml", "rename it to weapons.yaml", NO_LINE),
    ("control-in-file-name", write("entities/x\x1b[31m.yaml", ""), "entities/x\\x1b[31m.yaml",
     r"the file is empty", "add an 'entities:' list", NO_LINE),
    ("text-without-document", write("documents/orphan-2024-01-01.txt", "An orphan text\n"), "orphan-2024-01-01.txt",
     r"this text belongs to no document file", "add orphan-2024-01-01.yaml beside it", NO_LINE),
    ("file-is-a-path-upwards", edit(DOC, "file: jttm-2024-01-08.txt", "file: ../../../etc/passwd"), "jttm-2024-01-08.yaml",
     r"the document text '\.\./\.\./\.\./etc/passwd' is a path, not a file name", "give its name only", LINE),
    ("file-is-an-absolute-path", edit(DOC, "file: jttm-2024-01-08.txt", "file: /etc/hostname"), "jttm-2024-01-08.yaml",
     r"the document text '/etc/hostname' is a path, not a file name", "give its name only", LINE),
    ("text-symlinked-outside", text_outside_sources, "jttm-2024-01-08.yaml",
     r"the file lies outside the sources folder", "copy the file into the sources folder", LINE),
    ("documents-folder-symlinked-outside", documents_folder_outside_sources, "jttm-2024-01-08.yaml",
     r"the file lies outside the sources folder", "copy the file into the sources folder", NO_LINE),
    # ties that cannot be
    ("self-loop", edit(DOC, "subject: al-nujaba\n    object: iran", "subject: al-nujaba\n    object: al-nujaba"),
     "jttm-2024-01-08.yaml", r"'al-nujaba' is backedBy itself", "check the subject and the object", LINE),
    ("part-of-cycle", edit(DOC_2022, "  - relation: partOf\n", "  - relation: partOf\n    subject: sayyid-al-shuhada-brigades\n"
                           "    object: sayyid-al-shuhada-information-bureau\n    status: reported\n"
                           "    quote: \"the Al-Shuhada Brigades information bureau\"\n\n  - relation: partOf\n"),
     "jttm-2022-08-08.yaml", r"part-of and member-of ties go round in a circle: .*sayyid-al-shuhada-brigades partOf "
     r"sayyid-al-shuhada-information-bureau", "nothing can be part of itself", LINE),
    ("event-part-of-cycle", edit(DOC_2022, "part_of: israel-pij-confrontation-2022-08", "part_of: israel-killing-taysir-al-jabari-2022-08-05"),
     "jttm-2022-08-08.yaml", r"go round in a circle: .*israel-operation-breaking-dawn-2022-08-05 partOfEvent "
     r"israel-killing-taysir-al-jabari-2022-08-05", "nothing can be part of itself", LINE),
    ("shared-alias", edit(GROUPS, "aliases: [Al-Nujaba, ", "aliases: [Hizbullah Brigades, Al-Nujaba, "), "groups.yaml",
     r"the name 'Hizbullah Brigades' of 'hizbullah-brigades' is also a name of 'al-nujaba' \(sources/entities/groups.yaml, line \d+\)",
     "add it to 'shared_aliases:' of both", LINE),
    ("shared-alias-intended-by-one", edit(GROUPS, "aliases: [Al-Nujaba, ", "shared_aliases: [Hizbullah Brigades]\n    aliases: [Hizbullah Brigades, Al-Nujaba, "),
     "groups.yaml", r"is also a name of 'al-nujaba'", "of both", LINE),
    ("shared-alias-not-an-alias", edit(GROUPS, "aliases: [Al-Nujaba, ", "shared_aliases: [Nujaba]\n    aliases: [Al-Nujaba, "),
     "groups.yaml", r"shared alias 'Nujaba' of 'al-nujaba' is not one of its aliases", "list it in 'aliases:' too", LINE),
    # what else a tired curator or an attacker writes
    ("duplicate-key", edit(GROUPS, "label: Al-Nujaba Movement", "label: Al-Nujaba Movement\n    label: Nujaba"), "groups.yaml",
     r"broken YAML: duplicate key 'label'", "check the brackets", LINE),
    ("tab-indented", edit(GROUPS, "  - id: al-nujaba\n    type", "  - id: al-nujaba\n\ttype"), "groups.yaml",
     r"broken YAML: .*tab", "indent with spaces", LINE),
    ("number-as-id", edit(GROUPS, "id: al-nujaba\n", "id: 12\n"), "groups.yaml", r"id 12 is not a slug", "in quotes if it is all digits", LINE),
    ("list-as-id", edit(GROUPS, "id: al-nujaba\n", "id: [al-nujaba]\n"), "groups.yaml",
     r"'id' in an entity must be one piece of text, not a list", "write one value", LINE),
    ("mapping-as-event-id", edit(DOC, "event: iri-haifa-al-aqrab-attack-2024-01", "event: {id: iri-haifa-al-aqrab-attack-2024-01}"),
     "jttm-2024-01-08.yaml", r"'event' in an event record must be one piece of text, not a mapping", "write one value", LINE),
    ("huge-number", edit(GROUPS, "id: al-nujaba\n", "id: " + "9" * 5000 + "\n"), "groups.yaml",
     r"broken YAML: a number with too many digits", "", LINE),
    ("python-tag", edit(GROUPS, "label: Al-Nujaba Movement", "label: !!python/object/apply:os.system [echo hi]"), "groups.yaml",
     r"broken YAML: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'", "", LINE),
    ("binary-tag", edit(GROUPS, "label: Al-Nujaba Movement", "label: !!binary aGk="), "groups.yaml",
     r"broken YAML: the tag 'tag:yaml.org,2002:binary' is not part of the curation format", "", LINE),
    ("deep-nesting", write("entities/deep.yaml", "entities: " + "[" * 50000 + "]" * 50000 + "\n"), "entities/deep.yaml",
     r"lists and mappings are nested more than 32 deep", "flatten the structure", LINE),
]


@pytest.fixture(scope="module")
def good_build(tmp_path_factory, out_dir) -> tuple[Path, dict[str, str]]:
    """An output folder of a real build, and the SHA-256 of every file in it."""
    return out_dir, _hashes(out_dir)


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def previous_out(tmp_path, good_build) -> Path:
    """A copy of a good build's output folder, for the build under test to leave alone."""
    out = tmp_path / "out"
    shutil.copytree(good_build[0], out, symlinks=True)
    return out


@pytest.fixture()
def guard():
    """Stop a test after 60 s instead of letting a hang block the suite (a guard, not a timing assertion)."""
    def stop(signum, frame):
        raise TimeoutError("the build did not finish within 60 s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _case(name: str):
    return next(c[1] for c in CASES if c[0] == name)


def _build(sources: Path, out: Path, *extra: str):
    return CliRunner().invoke(main, ["build", "--sources", str(sources), "--out", str(out), *extra])


def _assert_untouched(out: Path, good_build) -> None:
    assert _hashes(out) == good_build[1], "the previous output changed"
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".out")) == [], "a staging folder was left behind"


@pytest.mark.parametrize(("mutate", "file", "message", "fix", "has_line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_reported_with_file_line_and_fix(sources_copy, previous_out, good_build, guard, mutate, file, message, fix,
                                                      has_line):
    mutate(sources_copy)
    result = _build(sources_copy, previous_out)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no exception escaped: no traceback
    assert "Traceback" not in result.output
    problem_lines = [line for line in result.output.splitlines() if file in line and re.search(message, line)]
    assert problem_lines, result.output
    line = problem_lines[0]
    assert fix in line, line
    if has_line:
        assert re.search(r", line \d+:", line), "the message names the line"
    _assert_untouched(previous_out, good_build)


def test_all_problems_are_reported_in_one_run(sources_copy, previous_out, good_build):
    for case in ("unknown-id", "bad-date", "missing-field"):
        _case(case)(sources_copy)
    result = _build(sources_copy, previous_out)
    assert result.exit_code == 2
    assert "3 problems in the source files" in result.output
    for expected in ("al-nujabaa", "2024-07-32", "missing the field 'label'"):
        assert expected in result.output
    _assert_untouched(previous_out, good_build)


@pytest.mark.parametrize("break_registry", [write(GROUPS, ""), edit(GROUPS, "  - id: al-nujaba\n", "  - id: al-nujaba [\n"),
                                            edit(GROUPS, "label: Al-Nujaba Movement", "label: Al-Nujaba\x00")],
                         ids=["empty", "broken", "control-character"])
def test_a_broken_registry_comes_first_and_its_cascade_is_one_count(sources_copy, previous_out, good_build, break_registry):
    break_registry(sources_copy)
    _case("unknown-id")(sources_copy)  # an unrelated typo: counted too, since it cannot be told apart from the cascade
    result = _build(sources_copy, previous_out)
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert re.match(r"error: 1 problem in the source files:", lines[0]), result.output
    assert "sources/entities/groups.yaml" in lines[1], "the root cause comes first"
    assert "unknown id" not in result.output, "the unknown ids it causes are not listed one by one"
    cascade = re.search(r"\.\.\. and (\d+) references to ids that are not defined, most likely because of the problems above", result.output)
    assert cascade and int(cascade.group(1)) > 1, result.output
    _assert_untouched(previous_out, good_build)


def test_an_unreadable_file_is_reported(sources_copy, previous_out, good_build):
    path = sources_copy / WEAPONS
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("this user (root) can read a file without read permission")
        result = _build(sources_copy, previous_out)
    finally:
        path.chmod(0o644)
    assert result.exit_code == 2
    assert "weapons.yaml: the file cannot be read (permission denied) (make it readable" in result.output
    _assert_untouched(previous_out, good_build)


def test_an_ambiguous_quote_asks_for_an_occurrence(sources_copy, previous_out):
    edit(DOC, "facts:\n", NEW_FACT + '    quote: "Telegram, January 7, 2024."\n')(sources_copy)
    result = _build(sources_copy, previous_out)
    assert result.exit_code == 2
    assert "occurs 2 times in the document" in result.output
    assert "occurrence: N" in result.output


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_a_shacl_violation_names_the_file_and_line_of_the_fact(sources_copy, previous_out, good_build):
    # The loader accepts any entity after 'via'; the SHACL shape insists on an outlet, channel or platform.
    edit(DOC, "via: [al-alam]", "via: [rockets]")(sources_copy)
    result = _build(sources_copy, previous_out)
    assert result.exit_code == 1, result.output
    assert "SHACL validation failed with 1 violation; the previous output was left untouched:" in result.output
    line = _line_of(sources_copy / DOC, "via: [rockets]")
    assert re.search(rf"sources/documents/jttm-2024-01-08.yaml, line {line}: SHACL: .*kg:MediaOutlet.* "
                     r"\(id:mousawi-al-alam-2024-01-08, path kg:via, value id:rockets\)", result.output), result.output
    assert "Traceback" not in result.output
    _assert_untouched(previous_out, good_build)


@pytest.mark.parametrize("accept", [
    edit(DOC, SPOKESMAN_QUOTE, 'quote: {text: "Movement militia", short: true}'),
    many(
        edit(GROUPS, "aliases: [Hizbullah Brigades]", "shared_aliases: [Hizbullah Brigades]\n    aliases: [Hizbullah Brigades]"),
        edit(GROUPS, "aliases: [Al-Nujaba, ", "shared_aliases: [Hizbullah Brigades]\n    aliases: [Hizbullah Brigades, Al-Nujaba, ")),
    lambda s: (s / GROUPS).write_bytes(b"\xef\xbb\xbf" + (s / GROUPS).read_bytes()),
    lambda s: (s / "entities/.#groups.yaml").symlink_to("curator@host.1234:1700000000"),
    lambda s: (s / GROUPS).write_bytes((s / GROUPS).read_bytes().replace(b"\n", b"\r\n")),
], ids=["short-quote-marked-short", "shared-alias-intended-by-both", "byte-order-mark", "editor-lock-file", "crlf-line-ends"])
def test_what_is_deliberately_allowed_builds(sources_copy, tmp_path, accept):
    accept(sources_copy)
    result = _build(sources_copy, tmp_path / "new-out")
    assert result.exit_code == 0, result.output
    assert "SHACL:     conforms" in result.output


def test_a_successful_build_replaces_the_previous_output(sources_copy, tmp_path):
    out = tmp_path / "out"
    first = _build(sources_copy, out)
    assert first.exit_code == 0, first.output
    (out / "kg.ttl").write_text("an older build\n", encoding="utf-8")
    result = _build(sources_copy, out)
    assert result.exit_code == 0, result.output
    assert (out / "kg.ttl").read_text(encoding="utf-8").startswith("@prefix")
    for line in ("documents: 5", "SHACL:     conforms", "triples:"):
        assert line in result.output
