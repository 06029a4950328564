"""HTML to Markdown on awkward input: markup inside attributes, comments and CDATA, nesting,
and stray "<"; the fast path for plain paragraphs agrees with the full parser."""

from __future__ import annotations

import time

import pytest

from app.formats.html_markdown import html_to_markdown, node_to_markdown, parse_html

CASES = {
    # A ">" inside a quoted attribute does not end the tag.
    '<p title=">">x</p>': "x",
    "<p title='>'>x</p>": "x",
    '<p dir="ltr" style="text-align: left;">Atto</p><p class=\'x>y\'>two</p>': "Atto\n\ntwo",
    # Nor does a "<" start one.
    '<p title="<script>">x</p>': "x",
    '<b title="a<b>c">bold</b> text': "**bold** text",
    '<script data-x=">">alert(1)</script>ok': "ok",
    # A CDATA section is literal text, and its "]]>" is not left behind.
    "<![CDATA[a>b]]>": "a>b",
    "<![CDATA[a<b]]>": "a&lt;b",
    "<p>1 <![CDATA[<b>not bold</b>]]> 2</p>": "1 &lt;b>not bold&lt;/b> 2",
    "<p>a</p><![CDATA[b]]>": "a\n\nb",
    '<p title="a]]>b">x</p>': "x",
    # Comments go, whatever they hold, closed or not.
    "<p>a<!-- <b>not</b> -->b</p>": "ab",
    "<p>a<!-- x > y -->b</p>": "ab",
    "x<!-- unterminated <p>y": "x",
    '<!DOCTYPE html><?xml version="1.0"?><p>x</p>': "x",
    # Nesting.
    "<div><p>one <em>two <strong>three</strong></em></p><ul><li>a<ul><li>b</li></ul></li></ul>"
    "</div>": "one *two **three***\n\n- a\n\n  - b",
    # A "<" that opens no tag stays, escaped when it looks like one.
    "1 < 2 and 3 <a": "1 < 2 and 3 &lt;a",
}


@pytest.mark.parametrize(("html", "markdown"), CASES.items())
def test_awkward_html_converts_to_its_text(html, markdown):
    assert html_to_markdown(html) == markdown


@pytest.mark.parametrize(
    "html",
    [
        "<p>plain</p>",
        '<p title=">">x</p>',
        "<p title='a > b'>x &amp; y</p>\n<p class=\"c\">z</p>",
        '<p dir="ltr" style="text-align: left;">one</p> <p>two</p>',
        '<p title="it\'s">q</p>',
    ],
)
def test_plain_paragraphs_read_the_same_on_the_fast_path(html):
    assert html_to_markdown(html) == node_to_markdown(parse_html(html))


@pytest.mark.parametrize("unit", ["<a", '<a"', "<!", "<?", '<a "x" ', "</p", "<![CDATA["])
def test_long_runs_of_unclosed_markup_convert_in_linear_time(unit):
    text = unit * 20_000  # 30 s for "<a" when each "<" was scanned to the end of the text
    started = time.perf_counter()
    html_to_markdown(text)
    assert time.perf_counter() - started < 2.0
