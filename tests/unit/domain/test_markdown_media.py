"""Rendering keeps MathML, ruby and the bank's own files, and nothing that could run."""

import pytest

from app.domain.markdown import render, render_inline

BASE = "/banks/7/assets/"


def test_bank_files_are_addressed_under_the_banks_base():
    html = str(render("See ![A diagram](asset:links.png) and [hear it](asset:term.mp3)", BASE))
    assert '<img src="/banks/7/assets/links.png" alt="A diagram">' in html
    assert (
        '<a href="/banks/7/assets/term.mp3" rel="noopener noreferrer nofollow">hear it</a>' in html
    )
    inline = str(render_inline("![dot](asset:dot.gif)", BASE))
    assert inline == '<img src="/banks/7/assets/dot.gif" alt="dot">'


def test_without_a_bank_a_file_shows_as_its_description():
    html = str(render("See ![A diagram](asset:links.png)"))
    assert "asset:" not in html and 'alt="A diagram"' in html and "src" not in html


@pytest.mark.parametrize(
    "text",
    [
        "![x](asset:../../etc/passwd)",
        '<img src="asset:a.png" onerror="alert(1)">',
        "![x](asset:a.png%22%20onerror=%22alert(1))",
        '<a href="asset:javascript:alert(1)">x</a>',
    ],
)
def test_a_crafted_reference_cannot_leave_the_bank_or_run(text):
    html = str(render(text, BASE))
    assert "onerror" not in html and "javascript" not in html and "../" not in html


def test_mathml_and_ruby_are_kept_with_allowed_attributes_only():
    text = (
        '<math display="block" onclick="x"><msup><mi mathvariant="bold" style="a" class="btn">'
        "x</mi><mn>2</mn></msup></math> "
        "<ruby onclick='x'>服务<rp>(</rp><rt>fúwù</rt><rp>)</rp></ruby>"
    )
    html = str(render(text))
    assert (
        '<math display="block"><msup><mi mathvariant="bold">x</mi><mn>2</mn></msup></math>' in html
    )
    assert "<ruby>服务<rp>(</rp><rt>fúwù</rt><rp>)</rp></ruby>" in html
    assert "onclick" not in html and "style" not in html and "class" not in html


@pytest.mark.parametrize(
    "payload",
    [
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<math><maction actiontype="statusline" href="javascript:alert(1)">x</maction></math>',
        '<math><annotation-xml encoding="text/html"><img src=x onerror=alert(1)>'
        "</annotation-xml></math>",
        "<math><mtext><style><img src=x onerror=alert(1)></style></mtext></math>",
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    ],
)
def test_mathml_namespace_tricks_do_not_run(payload):
    html = str(render(payload))
    assert "onerror" not in html and "javascript" not in html and "<img" not in html
