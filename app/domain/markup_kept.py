"""The markup Clausewise keeps from imported HTML beyond Markdown: presentation MathML
and ruby annotations. The import (app/formats/html_media.py) keeps them as inline
HTML in the Markdown text, and the sanitiser (app/domain/markdown.py) lets exactly
these elements and attributes through when it renders the text.
"""

from __future__ import annotations

MATHML_ELEMENTS = frozenset(
    {"math", "mi", "mn", "mo", "ms", "mtext", "mspace", "mrow", "mfrac", "msqrt", "mroot"}
    | {"mstyle", "merror", "mpadded", "mphantom", "mfenced", "menclose", "msub", "msup"}
    | {"msubsup", "munder", "mover", "munderover", "mmultiscripts", "mprescripts", "none"}
    | {"mtable", "mtr", "mtd", "mlabeledtr", "semantics", "annotation"}
)
MATHML_ATTRIBUTES = frozenset(
    {"display", "mathvariant", "displaystyle", "scriptlevel", "fence", "separator"}
    | {"stretchy", "symmetric", "largeop", "movablelimits", "accent", "accentunder"}
    | {"lspace", "rspace", "linethickness", "columnalign", "rowalign", "columnspan"}
    | {"rowspan", "notation", "open", "close", "separators", "dir", "mathsize", "width"}
    | {"height", "depth", "encoding", "form", "minsize", "maxsize", "bevelled"}
)
RUBY_ELEMENTS = frozenset({"ruby", "rt", "rp"})
KEPT_ELEMENTS = MATHML_ELEMENTS | RUBY_ELEMENTS
