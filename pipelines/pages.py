"""The one Jinja2 environment every HTML page is rendered with, from pipelines/templates/.

Autoescaping is on: every value a template prints is escaped, so a name or title from a
vendor or the roster cannot add markup, and nothing that carries data is marked safe.
Templates get typed values (dates, numbers, None) and format them with the filters here.

A printed value is escaped by `escape_output`, with MarkupSafe's C escaping, and handed
straight to the page as text: Jinja2's own `escape` wraps each value in a Markup object
first, and on a large program's 50,000 worker pages and facility lists that wrapping cost
more than the rest of the drawing (worker pages 0.36 -> 0.24 ms, the 49 summary pages 5.2
-> 1.8 s, same bytes). `render` then writes the page's quote entities as `html.escape`
does (`&quot;` and `&#x27;` where MarkupSafe writes `&#34;` and `&#39;`), once a page,
whichever filter (join, e, xmlattr) did the escaping: the pages keep the bytes they had
before they came from templates.
"""

from __future__ import annotations

import jinja2
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import _escape_inner


def as_html_escape_writes(page: str) -> str:
    """A page escaped by MarkupSafe alone, with its quote entities (`&#34;`, `&#39;`) written
    as html.escape writes them (`&quot;`, `&#x27;`). Exact: MarkupSafe writes `&` as `&amp;`,
    so neither entity can come from the data, and no template writes them."""
    return page.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


def escape_output(value: object) -> str:
    """A printed value as the page holds it: escaped as markupsafe.escape does, unless it
    is markup already (a macro's output, a filter's Markup); plain text, as the page is.
    MarkupSafe's `_escape_inner` is the C function its `escape` calls, without the Markup
    object around the result."""
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_inner(str(value))


class Template(jinja2.Template):
    """Jinja2's template with its printed values escaped by `escape_output`. A compiled
    template calls the name `escape` of its module for each value it prints, and only
    there (jinja2.compiler's `_output_child_pre`); this rebinds that name."""

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):  # noqa: A002 (Jinja2's signature)
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__
        if namespace.get("escape") is not jinja2.runtime.escape:
            raise RuntimeError(f"Jinja2 {jinja2.__version__} no longer escapes printed values by `escape`")
        namespace["escape"] = escape_output
        return template


def cell(value: object) -> str:
    """A table cell: SQL NULL is an empty cell."""
    return "" if value is None else str(value)


def lines(values: list[str] | tuple[str, ...]) -> str:
    """One line each, for a <pre> block (escaped once printed, like any value)."""
    return "\n".join(values)


ENVIRONMENT = Environment(
    loader=PackageLoader("pipelines", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    keep_trailing_newline=True,  # a page ends as its template does
    trim_blocks=True,  # a line holding only {% ... %} leaves nothing in the page
    lstrip_blocks=True,
)
ENVIRONMENT.template_class = Template
ENVIRONMENT.filters["cell"] = cell
ENVIRONMENT.filters["lines"] = lines


def render(template: str, **values: object) -> str:
    return as_html_escape_writes(ENVIRONMENT.get_template(template).render(**values))
