"""Question text written in Markdown, or imported as HTML, is shown safely."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from app.domain.markdown import render, render_inline

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "code", "pre", "blockquote", "ul", "ol",
    "li", "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "h5", "h6", "hr",
    "a", "img", "sub", "sup", "span", "div",
}  # fmt: skip


class TagCollector(HTMLParser):
    """Every start tag of a fragment with its attributes, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def tags_of(html: str) -> list[tuple[str, dict[str, str]]]:
    """The start tags of an HTML fragment."""
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


def assert_harmless(html: str) -> None:
    """Only allowed tags, no event handlers, and URLs only of the allowed schemes."""
    for tag, attrs in tags_of(html):
        assert tag in ALLOWED_TAGS, f"<{tag}> survived in {html!r}"
        assert not [a for a in attrs if a.startswith("on")], f"handler survived in {html!r}"
        href, src = attrs.get("href"), attrs.get("src")
        if href is not None:
            assert href.lower().startswith(("http://", "https://", "mailto:")), html
        if src is not None:
            assert src.lower().startswith(("http://", "https://", "data:image/png")), html


PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="java&#x09;script:alert(1)">click</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<style>body { display: none }</style>",
    '<a href="data:text/html,<script>alert(1)</script>">open</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">open</a>',
    "<b>unclosed <i>tags <script>alert(1)",
    "<img src=x onerror=alert(1)",
    '<img src="x" onerror="alert(1)" alt="a">',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<a href="https://example.org" onmouseover="alert(1)" target="_blank">x</a>',
    "[click](javascript:alert(1))",
    "[click](javascript&#58;alert(1))",
    "![pic](javascript:alert(1))",
    '<iframe src="https://evil.example">framed</iframe>',
    "<details open ontoggle=alert(1)>x</details>",
    '<form action="https://evil.example"><button>go</button></form>',
    '<object data="javascript:alert(1)"></object>',
    '<a href="vbscript:msgbox(1)">v</a>',
    '<p onclick="alert(1)">para</p>',
    "<<script>script>alert(1)<</script>/script>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("renderer", [render, render_inline], ids=["block", "inline"])
def test_script_payloads_are_neutralised(renderer, payload):
    html = str(renderer(payload))
    assert_harmless(html)
    assert "<script" not in html.lower()


def test_a_script_tag_disappears_with_its_content():
    assert render("<script>alert(1)</script>Which clause?") == Markup("Which clause?")


def test_a_remote_image_loses_its_source_and_its_handler_but_keeps_its_text():
    html = render('<img src="https://example.org/a.png" alt="Process map" onerror="alert(1)">')
    assert html == Markup('<img alt="Process map">')


@pytest.mark.parametrize(
    "source",
    [
        "http://203.0.113.7/pixel.png",
        "https://tracker.example/p.gif?u=1",
        "//tracker.example/p.gif",
        "HTTPS://TRACKER.EXAMPLE/P.GIF",
        " https://tracker.example/p.gif",
        "/static/clausewise.css",
    ],
)
def test_images_never_point_outside_the_content(source):
    for html in (render(f'<img src="{source}" alt="x">'), render(f"![x]({source})")):
        assert "src" not in html and "tracker" not in html and "203.0.113.7" not in html


def test_links_keep_web_and_mail_addresses_and_gain_a_safe_rel():
    html = render("[Guide](https://example.org/guide) or [mail](mailto:help@example.org)")
    assert html == Markup(
        '<p><a href="https://example.org/guide" rel="noopener noreferrer nofollow">Guide</a>'
        ' or <a href="mailto:help@example.org" rel="noopener noreferrer nofollow">mail</a></p>'
    )


def test_links_to_other_schemes_and_relative_paths_lose_their_address():
    html = render('<a href="data:text/html,x">a</a> <a href="/admin">b</a> <a href="ftp://x">c</a>')
    assert "href" not in html
    assert "a</a>" in html and "b</a>" in html


def test_raster_data_images_are_kept_and_svg_data_images_are_not():
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in render(
        "![dot](data:image/png;base64,iVBORw0KGgo=)"
    )
    assert "src" not in render('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="x">')


def test_unclosed_tags_are_closed():
    html = render("<b>unclosed <i>emphasis")
    assert html.count("<b>") == html.count("</b>")
    assert html.count("<i>") == html.count("</i>")


def test_no_element_keeps_a_class_or_a_style():
    html = render(
        '<p class="btn" style="color:red">x</p>'
        '<div class="note" id="n"><span class="k">y</span></div>'
        '<div class="position-fixed top-0 start-0 w-100 h-100 bg-white" style="z-index:9999">'
        "Your session expired: sign in again below</div>"
    )
    assert html == Markup(
        "<p>x</p><div><span>y</span></div><div>Your session expired: sign in again below</div>"
    )
    inline = render_inline('<span class="btn btn-primary" style="position:fixed">Submit</span>')
    assert inline == Markup("<span>Submit</span>")


def test_everyday_markdown_survives():
    html = render(
        "Which clause requires **top management** to show *leadership*?\n\n"
        "- 5.1\n- 6.1\n\n1. first\n2. second\n\n> Note\n\nUse `clause 8.5.1`.\n\n---"
    )
    assert "<strong>top management</strong>" in html
    assert "<em>leadership</em>" in html
    assert "<ul>\n<li>5.1</li>\n<li>6.1</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>" in html
    assert "<blockquote>\n<p>Note</p>\n</blockquote>" in html
    assert "<code>clause 8.5.1</code>" in html
    assert "<hr>" in html


def test_tables_keep_their_alignment_without_a_style_attribute():
    html = render("| Process | Clause |\n|:--|--:|\n| Change | 8.5.1 |")
    assert '<th align="left">Process</th>' in html
    assert '<td align="right">8.5.1</td>' in html
    assert "style" not in html
    tampered = render(
        '<table><tr><td style="background:url(javascript:x);text-align:center">c</td>'
        '<td align="justify">d</td><td align="CENTER">e</td></tr></table>'
    )
    assert "<td>c</td><td>d</td>" in tampered and '<td align="center">e</td>' in tampered


def test_fenced_code_is_kept_without_its_language_class():
    html = render("```yaml\nclauses: [8.5.1]\n```")
    assert html == Markup("<pre><code>clauses: [8.5.1]\n</code></pre>")


def test_headings_move_below_the_pages_own_headings():
    assert render("# Case study\n\n## Background") == Markup(
        "<h3>Case study</h3>\n<h4>Background</h4>"
    )


def test_imported_moodle_html_is_kept_where_safe():
    html = render(
        '<p>Select the <b>best</b> answer.<br>H<sub>2</sub>O</p><font color="red">x</font>'
    )
    assert html == Markup("<p>Select the <b>best</b> answer.<br>H<sub>2</sub>O</p>x")


def test_inline_rendering_has_no_paragraphs_or_blocks():
    assert render_inline("**Plan** the change") == Markup("<strong>Plan</strong> the change")
    assert render_inline("<p>Yes</p>") == Markup("Yes")
    html = render_inline("# not a heading\n\n<div>block</div><ul><li>item</li></ul>")
    for tag in ("<p", "<h", "<div", "<ul", "<li"):
        assert tag not in html


def test_inline_rendering_keeps_line_breaks_of_multi_line_fields():
    assert render_inline("First line\r\n**second** line") == Markup(
        "First line<br>\n<strong>second</strong> line"
    )
    assert render("First line\nsecond line") == Markup("<p>First line\nsecond line</p>")


def test_empty_text_renders_as_empty_markup():
    assert render("") == Markup("")
    assert render_inline("") == Markup("")


def test_repeated_texts_come_from_the_cache():
    text = "A text rendered twice for **caching**"
    first = render(text)
    hits = render.cache_info().hits
    assert render(text) is first
    assert render.cache_info().hits == hits + 1


def test_an_excerpt_is_the_plain_start_of_a_text_cut_at_a_word():
    from app.domain.markdown import excerpt

    assert excerpt("What happens **first** to a <b>new</b> incident?") == (
        "What happens first to a new incident?"
    )
    long = "Top management shall demonstrate leadership " * 5
    cut = excerpt(long, 40)
    assert cut.endswith("…") and len(cut) <= 41 and not cut[:-1].endswith(" ")
