import html

import pytest

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
