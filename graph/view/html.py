"""Safe HTML building blocks shared by the graph page and the source pages.

* One Jinja environment with autoescaping on: every value from the data is
  escaped where a template prints it.
* :func:`script_json` embeds data as JSON inside ``<script>``: ``<``, ``>``
  and ``&`` become ``\\u003c``, ``\\u003e``, ``\\u0026`` and U+2028/U+2029 are
  escaped too, so no string can close the script element or open markup.
* :func:`inline_asset` reads a script or style shipped with the package (or
  with pyvis) for inlining, refusing any that could end its element early.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .errors import ViewError

__all__ = ["environment", "script_json", "escape_json_text", "inline_asset", "vis_network_js", "vendored", "packaged",
           "content_security_policy", "TEMPLATES"]

TEMPLATES = resources.files("graph.view") / "templates"
VENDOR = resources.files("graph.view") / "vendor"
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")
_CLOSING = re.compile(r"</(script|style)|<!--", re.IGNORECASE)


def escape_json_text(text: str) -> Markup:
    """Make JSON text safe to put inside a ``<script>`` element.

    The escapes are valid JSON string escapes, so ``JSON.parse`` reads the
    same value back (outside strings these characters cannot occur in JSON).

    Examples
    --------
    >>> print(escape_json_text('{"a": "</script><img src=x>"}'))
    {"a": "\\u003c/script\\u003e\\u003cimg src=x\\u003e"}
    """
    return Markup(_JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text))


def script_json(value) -> Markup:
    """``value`` as compact, key-sorted JSON that is safe inside ``<script>``.

    Examples
    --------
    >>> print(script_json({"b": "x & y", "a": "\u2028"}))
    {"a":"\\u2028","b":"x \\u0026 y"}
    >>> json.loads(script_json(["<b>"])) == ["<b>"]
    True
    """
    return escape_json_text(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def inline_asset(text: str, name: str) -> Markup:
    """Script or style text to inline; refuse text that could close its element.

    Examples
    --------
    >>> print(inline_asset("let a = 1 < 2;", "ok.js"))
    let a = 1 < 2;
    >>> inline_asset("x = '</script>'", "bad.js")
    Traceback (most recent call last):
    ...
    graph.view.errors.ViewError: bad.js cannot be inlined: it contains '</script'
    """
    found = _CLOSING.search(text)
    if found:
        raise ViewError(f"{name} cannot be inlined: it contains {found.group()!r}")
    return Markup(text)


@lru_cache(maxsize=None)
def vis_network_js() -> Markup:
    """vis-network's standalone build as bundled in the pyvis package (no CDN).

    The source-map comment is dropped so that no tool ever tries to fetch it.
    """
    path = resources.files("pyvis") / "lib" / "vis-9.1.2" / "vis-network.min.js"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:  # pragma: no cover - depends on the installed pyvis
        raise ViewError(f"pyvis does not ship {path}; install pyvis 0.3.2 (pip install -e .)") from error
    text = re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.MULTILINE)
    return inline_asset(text, "vis-network.min.js")


@lru_cache(maxsize=None)
def vendored(name: str) -> Markup:
    """A library vendored from npm in ``graph/view/vendor`` (see its README), ready to inline.

    The source-map comment is dropped so that no tool ever tries to fetch it.
    """
    text = (VENDOR / name).read_text(encoding="utf-8")
    text = re.sub(r"^//# sourceMappingURL=.*$|/\*# sourceMappingURL=.*?\*/", "", text, flags=re.MULTILINE)
    return inline_asset(text, name)


@lru_cache(maxsize=None)
def packaged(name: str) -> Markup:
    """A script or stylesheet shipped in ``graph/view/templates``, ready to inline."""
    return inline_asset((TEMPLATES / name).read_text(encoding="utf-8"), name)


def content_security_policy(*scripts: str) -> str:
    """A Content-Security-Policy that runs only the given inline scripts and fetches nothing.

    Scripts are allowed by hash, so inline event handlers (``onerror=...``)
    never run even if markup got in; ``default-src 'none'`` blocks every
    request (styles may be inline; images only ``data:``).

    Examples
    --------
    >>> content_security_policy("1")
    "default-src 'none'; script-src 'sha256-a4ayc/80/OGda4BO/1o/V0etpOqiLx1JwB5S3beHW0s='; \
style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    """
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
                      for s in scripts) or "'none'"
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


@lru_cache(maxsize=None)
def environment() -> Environment:
    """The Jinja environment for the view templates, autoescaping everything.

    Shared, so that each template is compiled once, not once per page.

    Examples
    --------
    >>> environment().from_string("{{ x }}").render(x="<script>")
    '&lt;script&gt;'
    """
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["script_json"] = script_json
    env.filters["json_text"] = escape_json_text
    env.globals["packaged"] = packaged
    env.globals["content_security_policy"] = content_security_policy
    return env
