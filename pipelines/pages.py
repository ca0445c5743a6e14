"""The one Jinja2 environment every HTML page is rendered with, from pipelines/templates/.

Autoescaping is on: every value a template prints is escaped, so a name or title from a
vendor or the roster cannot add markup, and nothing that carries data is marked safe.
Templates get typed values (dates, numbers, None) and format them with the filters here.

Values are escaped as `html.escape` escapes them (`&quot;` and `&#x27;` for quotes, where
MarkupSafe writes `&#34;` and `&#39;`), so the pages keep the bytes they had before they
came from templates: `finalize` escapes each printed value before autoescape sees it.
Filters that escape with MarkupSafe on their own (join, e, forceescape, xmlattr, urlize)
would bring MarkupSafe's entities back; the templates use `lines` instead of join.
"""

from __future__ import annotations

import html

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup


def escaped(value: object) -> object:
    """What a template prints, escaped; markup a template made itself stays as it is."""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))


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
    finalize=escaped,
    keep_trailing_newline=True,  # a page ends as its template does
    trim_blocks=True,  # a line holding only {% ... %} leaves nothing in the page
    lstrip_blocks=True,
)
ENVIRONMENT.filters["cell"] = cell
ENVIRONMENT.filters["lines"] = lines


def render(template: str, **values: object) -> str:
    return ENVIRONMENT.get_template(template).render(**values)
