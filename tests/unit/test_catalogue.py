"""Every string a person reads goes through Babel, whole: nothing visible bypasses the catalogue.

Three readings of the source, none of them a running app:
- Babel's own extraction with babel.cfg, as `make translations` runs it, finds every
  message marked in a module or a template, including the `_l` and `N_` markers.
- Templates: text between HTML tags, and the attributes people read (title, placeholder,
  aria-label, alt), hold no bare words once Jinja's tags, expressions and comments are taken
  out; an expression printed as text is not a bare string literal.
- Python (ast): flash(), WTForms fields (label, description, choice labels, validator
  messages, placeholders), ValidationError, abort() descriptions and the domain exceptions
  carry `_()`/`_l()` calls, not str literals.
Both readings refuse a message glued from fragments: `_("…") + x`, `_(f"…")`,
`_("…" % x)`, `_("…") % x`, `_("…").format(…)` and the Jinja `~` (with words), `%` and
`|format` twins. Joining translated messages with a symbol (`_('a') ~ ' · ' ~ _('b')`)
is allowed.

Not read here (NOT_CHECKED): app/domain, app/formats and app/analytics, which return codes
with parameters that the web layer renders, and the CLI, which speaks English to operators;
the JSON API's own errors stay English too (ENGLISH_ONLY). app/static/*.js shows only
messages that templates hand it in data- attributes.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import jinja2
import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from jinja2 import nodes

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"
TEMPLATES = sorted(APP.rglob("templates/**/*.html"))
GETTEXT = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "N_"}
# Words that are the same in every language, so they need no catalogue entry.
ALLOWED_WORDS = {
    "Clausewise",  # the product's name
    "UTC",  # times are shown in UTC, named as such
}
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


@cache
def extracted() -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    """(file, line, message ids) of every message Babel extracts with babel.cfg, as `make
    translations` does; a plural message has two ids. Read once per run."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "N_": None}
    return tuple(
        (file, line, (message,) if isinstance(message, str) else tuple(message))
        for file, line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords
        )
    )


def _msgids() -> set[str]:
    """The message ids Babel extracts with babel.cfg, as `make translations` does."""
    return {message for _file, _line, ids in extracted() for message in ids}


def test_extraction_reads_every_template_and_marker():
    msgids = _msgids()
    assert "Skip to content" in msgids  # app/templates/base.html
    assert "Keep me signed in on this device" in msgids  # an _l form label
    assert "In review" in msgids or "Draft" in msgids  # an N_ label of app/domain/states.py
    for template in TEMPLATES:
        for message in re.findall(r"\b_\('([^'\\]+)'", template.read_text(encoding="utf-8")):
            assert message in msgids, f"{template.relative_to(ROOT)}: {message!r} not extracted"
    for module in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            first = node.args[0] if _is_translated_call(node) and node.args else None
            if isinstance(first, ast.Constant):
                assert first.value in msgids, f"{module.relative_to(ROOT)}: {first.value!r}"


# --- templates -----------------------------------------------------------------------------

JINJA = re.compile(r"{#.*?#}|{%-?\s*raw\s*-?%}.*?{%-?\s*endraw\s*-?%}|{%.*?%}|{{.*?}}", re.S)
HTML_NOISE = re.compile(
    r"<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>|&#?\w+;", re.S | re.I
)
TAG = re.compile(r"<[^>]*>", re.S)


def _blank(match: re.Match) -> str:
    """The same text with everything but its line breaks blanked (keeps line numbers)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _bare_words(text: str) -> list[str]:
    """Words with letters that are not on the allowlist."""
    return [w for w in re.findall(r"[^\W\d_][\w'’.-]*", text) if w.strip(".") not in ALLOWED_WORDS]


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(APP)))
def test_template_text_goes_through_babel(template):
    found = _template_problems(template.read_text(encoding="utf-8"))
    assert not found, f"{template.relative_to(ROOT)} shows untranslated text: {found}"


def test_the_template_check_sees_what_it_should():
    source = (
        "<p>Saved</p>\n"
        '<a title="Open" href="{{ url }}">{{ _("Open") }}</a>\n'
        "<td>{{ 'Yes' if ok else 'No' }}</td>\n"
        "<p>{{ _('Hello') ~ ' world' }}</p>\n"
        "<p>{{ _('Hello, %s') % name }}</p>\n"
        "<p>{{ _('Hello ' ~ name) }}</p>\n"
        "<p class=\"{{ 'active' if on }}\">&nbsp;Clausewise · {{ _('Fine') }} 2018</p>\n"
    )
    found = _template_problems(source)
    lines = sorted(int(f.split(":")[0].removeprefix("line ")) for f in found)
    assert lines == [1, 2, 3, 3, 4, 5, 6]


def _template_problems(source: str) -> list[str]:
    """Bare words, visible attributes, printed literals and glued messages of one template."""
    # Jinja markup becomes a placeholder: an attribute made of it alone is fine.
    plain = JINJA.sub(lambda m: re.sub(r"[^\n]", "\x00", m.group(0)), source)
    plain = HTML_NOISE.sub(_blank, plain)
    found = []
    for tag in TAG.finditer(plain):
        for name, value in re.findall(r"""\s([\w-]+)\s*=\s*"([^"]*)\"""", tag.group(0)):
            if name.lower() in VISIBLE_ATTRIBUTES and _bare_words(value.replace("\x00", " ")):
                found.append(f"line {_line(plain, tag.start())}: {name}={value!r}")
    text = TAG.sub(_blank, plain)
    # A fragment of attributes (included into a tag elsewhere) holds only Jinja values.
    text = re.sub(r'[\w-]+="[\x00\s]*"', _blank, text).replace("\x00", " ")
    for words in re.finditer(r"[^\n]+", text):
        if bare := _bare_words(words.group(0)):
            found.append(f"line {_line(text, words.start())}: {' '.join(bare)!r}")
    for output in re.finditer(r"{{.*?}}", source, re.S):
        before = plain[: output.start()]
        if before.rfind("<") <= before.rfind(">"):  # printed as text, not inside a tag
            found += _printed_literals(output.group(0), _line(source, output.start()))
    return found + _jinja_problems(source)


def _is_gettext(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Call) and getattr(node.node, "name", None) in GETTEXT


def _is_words(node: nodes.Node) -> bool:
    return (
        isinstance(node, nodes.Const)
        and isinstance(node.value, str)
        and bool(_bare_words(node.value))
    )


def _printed_literals(expression: str, line: int) -> list[str]:
    """A string literal printed as page text: `{{ 'Yes' if x else 'No' }}`."""
    tree = ENV.parse(expression)
    found = []
    for output in tree.find_all(nodes.Output):
        for node in output.nodes:
            shown = [node.expr1, node.expr2] if isinstance(node, nodes.CondExpr) else [node]
            found += [f"line {line}: literal {p.value!r}" for p in shown if _is_words(p)]
    return found


# What a message id may be inside _(): a literal, or a variable holding a marked one (N_).
WHOLE = (nodes.Const, nodes.Name, nodes.Getattr, nodes.Getitem)
ENV = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)


def _message_args(call: nodes.Call) -> list[nodes.Node]:
    """The message ids among a gettext call's arguments (ngettext's count is not one)."""
    return call.args[:2] if getattr(call.node, "name", "").endswith("ngettext") else call.args


def _jinja_problems(source: str) -> list[str]:
    """Messages glued from fragments, in a template's own AST."""
    found = []
    tree = ENV.parse(source)
    for call in tree.find_all(nodes.Call):
        if _is_gettext(call) and not all(isinstance(a, WHOLE) for a in _message_args(call)):
            found.append(f"line {call.lineno}: a message built from pieces inside _()")
    for glue in tree.find_all(nodes.Concat):
        pieces = list(glue.iter_child_nodes())
        if any(map(_is_gettext, pieces)) and any(map(_is_words, pieces)):
            found.append(f"line {glue.lineno}: a translated message glued to words with ~")
    for glue in tree.find_all(nodes.Mod):
        if _is_gettext(glue.left):
            found.append(f"line {glue.lineno}: a translated message formatted with %")
    for filtered in tree.find_all(nodes.Filter):
        if filtered.name == "format" and _is_gettext(filtered.node):
            found.append(f"line {filtered.lineno}: a translated message passed to |format")
    return found


# --- Python --------------------------------------------------------------------------------

# Domain, formats and analytics return codes with parameters that the web layer renders
# (docs/architecture.md); the CLI talks to operators in English.
NOT_CHECKED = {"domain", "formats", "analytics", "cli"}
DOMAIN_ERRORS = {
    "DomainError",
    "InvalidInput",
    "Unauthenticated",
    "PermissionDenied",
    "NotFound",
    "Conflict",
    "ValidationError",
}
# The JSON API answers programs, in English (its clients show their own words).
ENGLISH_ONLY = {"web/api/routes.py", "web/api/openapi.py"}


def _name(node: ast.AST) -> str:
    """The called name: `flash`, `StringField`, `_` (or the attribute's last part)."""
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _is_text(node: ast.AST | None) -> bool:
    """A str literal or f-string with letters: English that did not go through Babel."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_bare_words(node.value))
    return isinstance(node, ast.JoinedStr | ast.BinOp) and any(
        _is_text(n) for n in ast.walk(node) if n is not node and not isinstance(n, ast.BinOp)
    )


def _is_translated_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and _name(node.func) in GETTEXT


def _python_problems(call: ast.Call, package: str) -> list[tuple[int, str]]:
    """What is wrong with one call: visible text outside Babel, or a glued message."""
    name, args = _name(call.func), call.args
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    shown: list[ast.AST | None] = []
    if name == "flash" or (name == "abort" and len(args) > 1):
        shown = [args[0] if name == "flash" else args[1], keywords.get("description")]
    elif name.endswith("Field"):
        shown = [args[0] if args else None, keywords.get("label"), keywords.get("description")]
    elif name in ("DataRequired", "InputRequired"):
        shown = [args[0] if args else None]
    elif name == "SelectChoice" and len(args) > 1:
        shown = [args[1], keywords.get("label")]
    elif name in DOMAIN_ERRORS and package != "api":
        shown = [args[0] if args else None]
    shown.append(keywords.get("message"))
    if isinstance(render_kw := keywords.get("render_kw"), ast.Dict):
        shown += [
            v
            for k, v in zip(render_kw.keys, render_kw.values, strict=True)
            if isinstance(k, ast.Constant) and k.value in VISIBLE_ATTRIBUTES
        ]
    problems = [(n.lineno, f"{name}(): {ast.unparse(n)[:60]}") for n in shown if _is_text(n)]
    whole = (ast.Constant, ast.Name, ast.Attribute, ast.Subscript)
    ids = args[:2] if name.endswith("ngettext") else args
    if _is_translated_call(call) and not all(isinstance(a, whole) for a in ids):
        problems.append((call.lineno, f"a message built from pieces inside {name}()"))
    if _name(call.func) == "format" and _is_translated_call(getattr(call.func, "value", None)):
        problems.append((call.lineno, "a translated message passed to .format()"))
    return problems


def _glues_a_message(node: ast.AST) -> bool:
    """`_("…") + x`, `x + _("…")` or `_("…") % x`: pieces a translator cannot reorder."""
    return (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Add | ast.Mod)
        and any(map(_is_translated_call, (node.left, node.right)))
    )


def _module_problems(source: str, package: str) -> list[tuple[int, str]]:
    """Every problem of one module, with its line."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            found += _python_problems(node, package)
        elif _glues_a_message(node):
            found.append((node.lineno, "a translated message glued with + or %"))
    return found


def _python_modules() -> list[Path]:
    """Every module of the app but those NOT_CHECKED."""
    return sorted(p for p in APP.rglob("*.py") if p.relative_to(APP).parts[0] not in NOT_CHECKED)


@pytest.mark.parametrize("module", _python_modules(), ids=lambda p: str(p.relative_to(APP)))
def test_python_strings_shown_to_people_go_through_babel(module):
    where = module.relative_to(APP)
    package = "api" if str(where) in ENGLISH_ONLY else where.parts[0]
    found = _module_problems(module.read_text(encoding="utf-8"), package)
    assert not found, f"{module.relative_to(ROOT)}: " + "; ".join(
        f"line {line}: {what}" for line, what in sorted(found)
    )


def test_the_python_check_sees_what_it_should():
    source = (
        'flash("Saved.")\n'
        'x = StringField("Code", description=_l("ok"))\n'
        'raise InvalidInput("No.")\n'
        'y = _("Hello, %(n)s") % name\n'
        'z = _(f"Hello {name}")\n'
        'w = SelectChoice("a", "Apple")\n'
    )
    found = _module_problems(source, "web")
    assert sorted(line for line, _what in found) == [1, 2, 3, 4, 5, 6]
