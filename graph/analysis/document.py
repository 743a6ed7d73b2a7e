"""A small document model for the report, rendered to Markdown and to self-contained HTML.

The report is built as a list of blocks (headings, paragraphs, tables,
figures, lists). Text is plain text everywhere: the HTML renderer escapes
every string with :func:`html.escape` and the Markdown renderer escapes
``<``, ``>``, ``&`` and Markdown punctuation, so data (labels, quotes,
aliases) is always shown as text and never run as markup. Only the SVG of
the charts, drawn by matplotlib, is inlined as it is.

A :class:`Traced` value is a number together with the facts, documents and
records behind it; both renderers show them next to the number (in HTML in a
collapsible ``<details>``, with links to the report's fact appendix).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

__all__ = ["Traced", "Link", "Href", "Heading", "Paragraph", "Table", "Figure", "Bullets", "to_html", "to_markdown",
           "anchor", "capped", "CSS", "KEY_LIMIT"]

#: At most this many keys are listed behind one number; the rest are counted ("and 12 more").
KEY_LIMIT = 60


@dataclass(frozen=True)
class Traced:
    """A value and what it rests on: fact keys, document keys, record keys, or a note naming them."""

    value: object
    facts: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    note: str = ""

    def parts(self) -> list[tuple[str, tuple[str, ...], int]]:
        """``(name, keys shown, how many more)`` for facts, documents and records that are not empty."""
        return [(name, keys[:KEY_LIMIT], max(0, len(keys) - KEY_LIMIT))
                for name, keys in (("facts", self.facts), ("documents", self.documents), ("records", self.records))
                if keys]


@dataclass(frozen=True)
class Link:
    """Text that links to an anchor inside the report."""

    text: str
    target: str


@dataclass(frozen=True)
class Href:
    """Text that links to another page of the build (a profile, a source page), by relative URL."""

    text: str
    url: str


@dataclass
class Heading:
    level: int
    text: str
    anchor: str = ""


@dataclass
class Paragraph:
    parts: list = field(default_factory=list)  # str, Link or Traced


@dataclass
class Table:
    columns: list[str]
    rows: list[list]  # cells: None, str, int, float, Link, Traced
    anchors: list[str] | None = None  # one anchor per row, or None


@dataclass
class Figure:
    svg: str
    caption: str
    anchor: str = ""


@dataclass
class Bullets:
    items: list = field(default_factory=list)  # each a str, Link, Traced or list of them
    numbered: bool = False
    css: str = ""


def capped(columns: list[str], rows: list[list], limit: int, where: str = "metrics.json") -> list:
    """A table of at most ``limit`` rows, and a note saying how many more there are and where.

    Examples
    --------
    >>> blocks = capped(["n"], [[1], [2], [3]], 2)
    >>> len(blocks[0].rows), blocks[1].parts
    (2, ['Showing the first 2 of 3 rows; metrics.json has them all.'])
    """
    if len(rows) <= limit:
        return [Table(columns, rows)]
    return [Table(columns, rows[:limit]),
            Paragraph([f"Showing the first {limit} of {len(rows)} rows; {where} has them all."])]


def anchor(key: str) -> str:
    """An anchor name for a key: lower case letters, digits and hyphens.

    Examples
    --------
    >>> anchor("fact/jttm-2022-08-08/021dd12605d6306b")
    'fact-jttm-2022-08-08-021dd12605d6306b'
    """
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def _number(value) -> str:
    if value is None:
        return "undefined"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


# ---------------------------------------------------------------- HTML

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;max-width:1180px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.8em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}h3{margin-top:1.5em}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.9em}
th,td{border:1px solid #d0d0d0;padding:.25em .5em;vertical-align:top;text-align:left}
th{background:#f3f3f3}td.num{text-align:right;white-space:nowrap}
details.trace{display:inline-block;vertical-align:top}details.trace summary{cursor:pointer;color:#0645ad;display:inline}
details.trace[open]{display:block;background:#fafafa;border-left:3px solid #ccd;padding:.2em .4em;margin:.2em 0}
details.trace .keys{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8em;word-break:break-all}
figure{margin:1em 0}figure svg{max-width:100%;height:auto}figcaption{font-size:.9em;color:#444}
div.para{margin:1em 0}
p.built{color:#555;margin-top:-.6em}nav.toc ol{columns:2;font-size:.95em}
ol.findings li{margin:.5em 0}details.trace .fact{margin:.25em 0}details.trace .fact q{color:#444}
@media print{body{max-width:none;margin:0;font-size:10.5pt}h2{break-before:page;border:none}
h2#findings,h2#contents{break-before:auto}table,figure,tr,details.trace{break-inside:avoid}
thead{display:table-header-group}th,td{overflow-wrap:break-word;hyphens:auto}table{width:100%;font-size:8.5pt}td.num{white-space:normal}details.trace summary{color:#222}a{color:#222;text-decoration:none}
figure svg{max-width:100%}nav.toc ol{columns:1}}
code,.key{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em}
.undefined{color:#888;font-style:italic}
"""


def _h(text) -> str:
    return html.escape(str(text), quote=True)


def _html_keys(keys: tuple[str, ...], linked: set[str]) -> str:
    out = []
    for key in keys:
        if key in linked:
            out.append(f'<a href="#{_h(anchor(key))}">{_h(key)}</a>')
        else:
            out.append(_h(key))
    return ", ".join(out)


def _html_inline(part, linked: set[str]) -> str:
    if isinstance(part, Link):
        return f'<a href="#{_h(anchor(part.target))}">{_h(part.text)}</a>'
    if isinstance(part, Href):
        return f'<a href="{_h(part.url)}">{_h(part.text)}</a>'
    if isinstance(part, Traced):
        value = (_html_inline(part.value, linked) if isinstance(part.value, (Link, Href))
                 else _html_value(part.value))
        if not part.parts() and not part.note:
            return value
        lines = []
        said = getattr(linked, "facts", {})
        for name, keys, more in part.parts():
            stated = [key for key in keys if key in said]
            if name == "facts" and stated:
                lines += [f'<div class="fact"><a href="#{_h(anchor(key))}">{_h(said[key][0])}</a>: '
                          f'<q>{_h(said[key][1])}</q></div>' for key in stated]
                keys = tuple(key for key in keys if key not in said)
                if not keys:
                    lines += [f"<div>{_h(f'and {more} more facts')}</div>"] if more else []
                    continue
            lines.append(f"<div>{_h(name)}: <span class=\"keys\">{_html_keys(keys, linked)}</span>"
                         f"{_h(f' and {more} more') if more else ''}</div>")
        if part.note:
            lines.append(f"<div>{_h(part.note)}</div>")
        return f'<details class="trace"><summary>{value}</summary>{"".join(lines)}</details>'
    if isinstance(part, (int, float)) or part is None:
        return _html_value(part)
    return _h(part)


def _html_value(value) -> str:
    if value is None:
        return '<span class="undefined">undefined</span>'
    return _h(_number(value))


def _html_cell(cell, linked: set[str]) -> str:
    numeric = isinstance(cell, (int, float)) or (isinstance(cell, Traced) and isinstance(cell.value, (int, float)))
    if isinstance(cell, list):
        content = "; ".join(_html_inline(part, linked) for part in cell)
    else:
        content = "" if cell == "" else _html_inline(cell, linked)
    return f'<td class="num">{content}</td>' if numeric else f"<td>{content}</td>"


class _Linked(set):
    """The keys that have an anchor in the page, and what each cited fact states with its own quote."""

    def __init__(self, keys, facts: dict[str, tuple[str, str]]):
        super().__init__(keys)
        self.facts = facts


def to_html(title: str, blocks: list, linked: set[str], facts: dict[str, tuple[str, str]] | None = None,
            subtitle: str = "") -> str:
    """The whole report as one self-contained HTML page.

    ``linked`` are keys that have an anchor in it; ``facts`` maps a fact key to
    what it states and the quote that states it, shown wherever the fact is
    listed behind a number.
    """
    linked = _Linked(linked, facts or {})
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
           'img-src data:; base-uri \'none\'; form-action \'none\'">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">', f"<title>{_h(title)}</title>",
           f"<style>{CSS.strip()}</style>", "</head>", "<body>", f"<h1>{_h(title)}</h1>"]
    if subtitle:
        out.append(f'<p class="built">{_h(subtitle)}</p>')
    for block in blocks:
        if isinstance(block, Heading):
            ident = f' id="{_h(anchor(block.anchor))}"' if block.anchor else ""
            out.append(f"<h{block.level}{ident}>{_h(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            # A <div>, not a <p>: <details> (the traced numbers) may not stand inside a <p>.
            out.append('<div class="para">' + "".join(_html_inline(part, linked) for part in block.parts) + "</div>")
        elif isinstance(block, Bullets):
            items = []
            for item in block.items:
                parts = item if isinstance(item, list) else [item]
                items.append("<li>" + "".join(_html_inline(part, linked) for part in parts) + "</li>")
            tag = "ol" if block.numbered else "ul"
            list_html = f'<{tag} class="{_h(block.css)}">' + "".join(items) + f"</{tag}>"
            out.append(f'<nav class="toc">{list_html}</nav>' if block.css == "toc" else list_html)
        elif isinstance(block, Table):
            head = "".join(f"<th>{_h(c)}</th>" for c in block.columns)
            rows = []
            for index, row in enumerate(block.rows):
                ident = f' id="{_h(anchor(block.anchors[index]))}"' if block.anchors else ""
                rows.append(f"<tr{ident}>" + "".join(_html_cell(cell, linked) for cell in row) + "</tr>")
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
        elif isinstance(block, Figure):
            ident = f' id="{_h(anchor(block.anchor))}"' if block.anchor else ""
            out.append(f"<figure{ident}>{block.svg}<figcaption>{_h(block.caption)}</figcaption></figure>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def _m(text) -> str:
    """Plain text made inert in Markdown (and in the HTML a Markdown viewer may produce).

    Examples
    --------
    >>> _m("<script>x</script> | [a](b)")
    '&lt;script&gt;x&lt;/script&gt; \\\\| \\\\[a\\\\](b)'
    """
    text = html.escape(str(text), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def github_slug(text: str) -> str:
    """The anchor GitHub gives a Markdown heading.

    Examples
    --------
    >>> github_slug("Structure: pieces, core, brokers and clusters")
    'structure-pieces-core-brokers-and-clusters'
    """
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _md_inline(part, notes: list[str], headings: dict[str, str] | None = None) -> str:
    if isinstance(part, Link):
        if headings and part.target in headings:
            return f"[{_m(part.text)}](#{headings[part.target]})"
        return _m(part.text)
    if isinstance(part, Href):
        return f"[{_m(part.text)}](<{part.url.replace('>', '%3E').replace('<', '%3C')}>)"
    if isinstance(part, Traced):
        value = _md_inline(part.value, notes) if isinstance(part.value, (Link, Href)) else _m(_number(part.value))
        lines = [f"{name}: " + ", ".join(f"`{key}`" for key in keys) + (f" and {more} more" if more else "")
                 for name, keys, more in part.parts()]
        if part.note:
            lines.append(_m(part.note))
        if not lines:
            return value
        notes.append("; ".join(lines))
        return f"{value}[^{len(notes)}]"
    if isinstance(part, (int, float)) or part is None:
        return _m(_number(part))
    return _m(part)


def to_markdown(title: str, blocks: list, subtitle: str = "") -> str:
    """The whole report as Markdown prose: the keys behind each number go to footnotes at the end.

    GitHub-flavoured tables; charts are in the HTML report. Carriage returns,
    newlines and table pipes in data are neutralised.
    """
    out = [f"# {_m(title)}", ""] + ([_m(subtitle), ""] if subtitle else [])
    notes: list[str] = []
    headings = {b.anchor: github_slug(b.text) for b in blocks if isinstance(b, Heading) and b.anchor}
    for block in blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * block.level} {_m(block.text)}", ""]
        elif isinstance(block, Paragraph):
            out += ["".join(_md_inline(part, notes) for part in block.parts), ""]
        elif isinstance(block, Bullets):
            for number, item in enumerate(block.items, start=1):
                parts = item if isinstance(item, list) else [item]
                out.append(f"{number}. " if block.numbered else "- ")
                out[-1] += "".join(_md_inline(part, notes, headings) for part in parts)
            out.append("")
        elif isinstance(block, Table):
            out.append("| " + " | ".join(_m(c) for c in block.columns) + " |")
            out.append("|" + "|".join("---" for _ in block.columns) + "|")
            for row in block.rows:
                cells = []
                for cell in row:
                    if isinstance(cell, list):
                        cells.append("; ".join(_md_inline(part, notes) for part in cell))
                    else:
                        cells.append("" if cell == "" else _md_inline(cell, notes))
                out.append("| " + " | ".join(cells) + " |")
            out.append("")
        elif isinstance(block, Figure):
            out += [f"*Chart: {_m(block.caption)} (drawn in report.html).*", ""]
    if notes:
        out += ["## Notes: the facts, documents and records behind each number", ""]
        out += [f"[^{number}]: {note}" for number, note in enumerate(notes, start=1)]
    return "\n".join(out).rstrip() + "\n"
