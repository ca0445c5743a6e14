import html

import pytest
from jinja2 import UndefinedError

from pipelines.pages import ENVIRONMENT, as_html_escape_writes


@pytest.mark.parametrize(
    "value",
    [
        "O'Brien",
        'a "quoted" title',
        "<script>alert('x')</script>",
        "&#34; and &#39; typed by a vendor",
        "&quot; already an entity",
        "plain text",
    ],
)
def test_a_printed_value_reads_as_html_escape_writes_it(value):
    page = as_html_escape_writes(ENVIRONMENT.from_string("<td>{{ v }}</td>").render(v=value))
    assert page == f"<td>{html.escape(value)}</td>"


def test_quotes_escaped_by_a_filter_read_the_same_way():
    page = as_html_escape_writes(ENVIRONMENT.from_string("{{ names|join(', ') }}").render(names=["O'Brien", '"Al"']))
    assert page == html.escape('O\'Brien, "Al"')


@pytest.mark.parametrize("value", [3, None, 1.5, "<b>"])
def test_a_value_that_is_not_text_prints_as_its_text_escaped(value):
    page = ENVIRONMENT.from_string("{{ v }}").render(v=value)
    assert page == html.escape(str(value))


def test_markup_from_a_macro_prints_as_it_is_and_its_values_escaped_once():
    source = (
        "{% macro cell(v) %}<td>{{ v }}</td>{% endmacro %}{{ cell(v) }}{% set t %}<i>{{ v }}</i>{% endset %}{{ t }}"
    )
    page = as_html_escape_writes(ENVIRONMENT.from_string(source).render(v="a < b & 'c'"))
    assert page == "<td>a &lt; b &amp; &#x27;c&#x27;</td><i>a &lt; b &amp; &#x27;c&#x27;</i>"


def test_a_value_the_template_does_not_have_still_stops_the_page():
    with pytest.raises(UndefinedError):
        ENVIRONMENT.from_string("{{ missing }}").render()
