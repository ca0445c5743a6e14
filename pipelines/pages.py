"""The one Jinja2 environment every HTML page is rendered with, from pipelines/templates/.

Autoescaping is on: every value a template prints is escaped, so a name or title from a
vendor or the roster cannot add markup, and nothing that carries data is marked safe.
Templates get typed values (dates, numbers, None) and format them with the filters here.

Values are escaped by MarkupSafe (in C, once a value), and `render` then writes its quote
entities as `html.escape` does (`&quot;` and `&#x27;` where MarkupSafe writes `&#34;` and
`&#39;`), once a page: the pages keep the bytes they had before they came from templates,
whichever filter (join, e, xmlattr) did the escaping.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined


def as_html_escape_writes(page: str) -> str:
    """A page escaped by MarkupSafe alone, with its quote entities (`&#34;`, `&#39;`) written
    as html.escape writes them (`&quot;`, `&#x27;`). Exact: MarkupSafe writes `&` as `&amp;`,
    so neither entity can come from the data, and no template writes them."""
    return page.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


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
ENVIRONMENT.filters["cell"] = cell
ENVIRONMENT.filters["lines"] = lines


def render(template: str, **values: object) -> str:
    return as_html_escape_writes(ENVIRONMENT.get_template(template).render(**values))
