"""No message is a fragment that only makes sense glued to the words or values beside it.

A translator sees each message alone, and Chinese puts a sentence's parts in another
order than English: "3 of 5 members ready" becomes "5 名成员中 3 名已就绪". So a message
is a whole sentence (or a whole label) with named placeholders for the values in it.
Heuristics, over every message Babel extracts (test_catalogue.extracted):

- it starts with a lowercase word ("of %(n)d ready") or with punctuation ("(quartiles)");
- it ends with a dangling connective ("Teams with people who are", "Week to");
- in a template, a message is printed right beside another message or a value, with
  nothing but spaces and inline formatting between: `{{ n }} {{ _('answered') }}`,
  `{{ _('Key:') }} {{ value }}` (a label's colon before a value), `{{ _('By') }}
  {{ _('the manager') }}`. Whole sentences in a row (ending in . ! ? and so on) are fine;
  so is a message beside a value when a tag (a link, a badge) or a symbol (·, /) parts them;
- in Python, an f-string that prints a translated message among other words or values.

Exceptions, each explained: the sentences of the Message codes (app.messages.TEXTS) start
in lowercase on purpose, since they are whole clauses that `render()` shows alone or puts
whole into a sentence with a named placeholder ("%(where)s: error: %(message)s"); and
ALLOWED below lists the standalone words and labels that are not fragments.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.unit.test_catalogue import extracted

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"

# Standalone words and labels that trip a heuristic but read whole on their own. Each
# sits alone in its element (a table cell, a badge, a status after a "·", a title).
ALLOWED = {
    # Statuses and states, shown alone in a cell, a badge or after a "·"
    "in progress",
    "submitted",
    "time ran out",
    "discarded",
    "active",
    "deactivated",
    "revoked",
    "pass",
    "not yet",
    "done",
    "held back",
    "score held back",
    "goal met",
    "not answered",
    "answered",  # the exam grid's legend, and a cell's state in its aria-label
    "flagged",
    "steady",  # a trend: the score did not move
    "new",  # a trend: nothing to compare with yet
    "never",
    "today",
    "yesterday",
    "none",  # an axis label under the bar of people without a forecast
    "no forecast",
    "no forecast yet",
    "needed",  # the title of the "still needed" part of a stacked bar
    "ready",  # the label of the readiness line on a chart, and of a share
    "the key",  # the title of the ✓ that marks the key
    "facility",  # an axis title of the item map
    "eight weeks",  # the caption of a sparkline
    "people of the chosen teams",  # a heading's aside: whose figures these are
    "see the marking rubric below",  # an essay's key, in the place of an answer
    # Short labels, each a whole label with its value inside it
    "v%(n)d",  # a version, as in "v3"
    "v%(n)d in exams",
    "version %(n)d",  # a page header's part, beside "difficulty %(d)d" with a "·"
    "difficulty %(d)d",
    "created %(d)s",  # an API token's creation date
    "due %(t)s",  # when a timed attempt ends (on the reader's clocks)
    "shown in %(num)d attempt",
    "shown in %(num)d attempts",
    "under %(p)s",  # a histogram bin: "under 10%"
    "range %(low)s–%(high)s",  # a pass chance's range, in brackets after it
    "range %(low)s to %(high)s",
    "mean %(m)s · %(b)d of %(n)d under 60%%",  # a sparkline's caption
    # Field names of a bank, listed where an import would change them
    "title",
    "language",
    "licence",
    "edition",
    "description",
    # Field names of a question part in the version history ("feedback: …")
    "correct",
    "feedback",
    "premise",
    "matching response",
    "criterion",
    "marks",
    "guidance",
    "category",
    "says how many parts are right",
    "clears the wrong parts",
    # Starts with punctuation but stands alone
    "— choose —",  # the empty choice of a select
    "— choose a category —",
    "> 99%",  # a chance too close to certain to show as a number
    "< 1%",
    "<input>",  # the name of an upload that came without a file name
    "(the key)",  # read after the option the ✓ marks
    "(%(low)s–%(high)s)",  # a share's range, after the share
    "(%(range)s)",  # a pass chance's range, after the chance
    '["8.5.1"]',  # example values that a sentence of the formats shows as typed
    "[first, second]",
    # Ends with a connective that is part of the phrase
    "Sign in",  # "in" belongs to the verb
    "Thinking asked for",  # a column header: the cognitive level a question asks for
}

CONNECTIVES = {
    "a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "into", "is", "of",
    "on", "or", "per", "than", "that", "the", "to", "was", "were", "which", "who",
    "whose", "with",
}  # fmt: skip
SENTENCE_END = (".", "!", "?", "…", "。", "！", "？", ")", "”")


def _code_sentences() -> set[str]:
    """The sentences of the Message codes (app.messages.TEXTS), singular and plural."""
    from app.messages import TEXTS

    return {t for text in TEXTS.values() for t in ((text,) if isinstance(text, str) else text)}


def _message_problems(message: str, code_sentence: bool) -> list[str]:
    """What makes one message look like a fragment."""
    text = message.strip()
    if not text or message in ALLOWED:
        return []
    found = []
    first = text[0]
    if first.islower() and not code_sentence:
        found.append("starts with a lowercase word")
    if not (first.isalnum() or first in "%\"'“‘"):
        found.append("starts with punctuation")
    words = re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text)  # "sign-in" is one word
    if words and words[-1].lower() in CONNECTIVES and text[-1].isalpha():
        found.append(f"ends with {words[-1]!r}")
    return found


def test_no_message_looks_like_a_fragment():
    code = _code_sentences()
    found = {}
    for file, line, ids in extracted():
        for message in ids:
            problems = _message_problems(message, message in code)
            if problems:
                found.setdefault(message, (f"{file}:{line}", problems))
    listed = [f"{where}: {m!r}: {', '.join(why)}" for m, (where, why) in sorted(found.items())]
    assert not listed, "messages that look like fragments:\n" + "\n".join(listed)


def test_the_allow_list_holds_only_messages_there_are():
    """A message rewritten whole leaves its old entry here; remove it."""
    msgids = {message for _file, _line, ids in extracted() for message in ids}
    assert sorted(ALLOWED - msgids) == []


# --- templates -----------------------------------------------------------------------------

TOKEN = re.compile(
    r"(?P<comment>{#.*?#})|(?P<statement>{%.*?%})|(?P<output>{{.*?}})"
    r"|(?P<inline></?(?:strong|em|b|i|code|abbr|mark|kbd)\b[^>]*>)|(?P<tag><[^>]*>)",
    re.S,
)
# An output that is one translation: {{ _('…') }}, {{ ngettext('…', …) }}.
TRANSLATED = re.compile(r"^{{-?\s*(?:_|gettext|ngettext)\(\s*(?P<q>['\"])(?P<id>.*?)(?P=q)", re.S)
# An output that is one value: {{ name }}, {{ items|length }}, {{ trend_arrow(a, b) }}.
VALUE = re.compile(r"^{{-?\s*[\w.]+(?:\([^{}]*\))?(?:\|\w+(?:\([^{}]*\))?)*\s*-?}}$", re.S)
# Statements that do not part what is printed before from what is printed after.
SEE_THROUGH = re.compile(r"^{%-?\s*(?:if|endif)\b")


def _kind(output: str) -> tuple[str, str]:
    """("message", its id), ("value", "") or ("other", "") for one {{ … }} output."""
    translated = TRANSLATED.match(output)
    if translated:
        return "message", translated["id"]
    return ("value" if VALUE.match(output) else "other"), ""


def _glue(before: tuple[str, str], after: tuple[str, str]) -> str:
    """Why two outputs printed side by side make one glued sentence ("" if they do not)."""
    (kind, message), (next_kind, next_message) = before, after
    if kind == "message" and message.rstrip().endswith(":"):
        return "a label's colon before a value: write one message with a placeholder"
    if kind == "message" and next_kind == "message" and not message.endswith(SENTENCE_END):
        return "two messages make one sentence"
    if kind == "value" and next_kind == "message" and next_message[:1].islower():
        return "a value followed by the rest of its sentence"
    return ""


def _template_glue(source: str) -> list[str]:
    """Glued messages of one template, as "line N: what"."""
    found, last, end = [], None, 0
    for token in TOKEN.finditer(source):
        between, end = source[end : token.start()], token.end()
        if between.strip() or token["tag"]:
            last = None  # words, a symbol or a tag part what comes before from what follows
        if token["statement"] and not SEE_THROUGH.match(token["statement"]):
            last = None
        if not token["output"]:
            continue
        kind = _kind(token["output"])
        why = _glue(last, kind) if last else ""
        if why:
            line = source.count("\n", 0, token.start()) + 1
            found.append(f"line {line}: {why}: {token['output'][:70]!r}")
        last = kind
    return found


TEMPLATES = sorted(APP.rglob("templates/**/*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(APP)))
def test_templates_print_no_glued_sentence(template):
    found = _template_glue(template.read_text(encoding="utf-8"))
    assert not found, f"{template.relative_to(ROOT)}: " + "; ".join(found)


def test_the_template_check_sees_what_it_should():
    source = (
        "<p>{{ count }} {{ _('answered') }}</p>\n"
        "<p>{{ _('Key:') }} <strong>{{ key }}</strong></p>\n"
        "<p>{{ _('Median') }} {% if wide %}{{ _('of the team') }}{% endif %}</p>\n"
        "<p>{{ _('Saved.') }} {{ _('Thank you.') }}</p>\n"
        "<p>{{ count }} · {{ _('answered') }}</p>\n"
        "<p>{{ _('Edit') }} <a href='x'>{{ name }}</a></p>\n"
        "<p>{{ n }} {{ _('Questions') }}</p>\n"
    )
    lines = [int(f.split(":")[0].removeprefix("line ")) for f in _template_glue(source)]
    assert lines == [1, 2, 3]


# --- Python --------------------------------------------------------------------------------

GETTEXT = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext"}


def _translated(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name | ast.Attribute)
        and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) in GETTEXT
    )


def _fstring_glue(source: str) -> list[int]:
    """Lines of f-strings that print a translated message among other words or values."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        parts = node.values
        messages = [p for p in parts if isinstance(p, ast.FormattedValue) and _translated(p.value)]
        words = [p for p in parts if isinstance(p, ast.Constant) and re.search(r"\w", p.value)]
        others = [p for p in parts if isinstance(p, ast.FormattedValue) and p not in messages]
        if messages and (words or others):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("module", sorted(APP.rglob("*.py")), ids=lambda p: str(p.relative_to(APP)))
def test_python_prints_no_translated_message_inside_an_f_string(module):
    lines = _fstring_glue(module.read_text(encoding="utf-8"))
    assert not lines, f"{module.relative_to(ROOT)}: lines {lines}"


def test_the_f_string_check_sees_what_it_should():
    source = 'a = f"{_(\'Score\')} {n}"\nb = f"{n} · {m}"\nc = f"{_(\'Saved.\')}"\n'
    assert _fstring_glue(source) == [1]
