"""An independent GIFT parser reads every bundled bank's GIFT export as Clausewise meant it.

gift-pegjs (npm, pinned in tests/tools/gift/package-lock.json, installed by `make test`)
parses each export; every question is compared with the record it was written from:
type, title, stem and its format, answers with their correctness and weights, answer
feedback, true/false feedback, matching pairs, general feedback, Moodle id and tags, and
the category it is filed under. Any difference is listed; the goal is none. Without node
these tests skip, except in CI, where they fail.

Where gift-pegjs 1.0.2 lacks a Moodle feature the comparison says so at that place:
- it has no ordering type (Moodle 4.3's `{>n …}` block): it reads the block as a
  short answer with one answer, so for ordering items the test checks everything but
  the type, and that the steps stand in the key's order in that answer text;
- its true/false `trueFeedback` and `falseFeedback` are the first and second `#`
  feedback as written: Moodle reads them as the feedback for a wrong answer, then for
  a right one, so that is how they are compared;
- it leaves GIFT escapes in a matching pair's match (after `->`) as its own
  placeholders (`Change management&&058; reviewing…` for `Change management\\: reviewing…`):
  its grammar reads that text with `PlainText`, which never decodes them. Moodle
  decodes them there (`escapedchar_post` on the subanswer) and the GIFT format needs
  `:` escaped, so the writer is right; the test decodes those placeholders before
  comparing;
- it cuts a tag at an escaped `]` (`[tag:a\\]b]` gives `a\\`), where Moodle reads `a]b`:
  the bank of awkward texts below has no such tag.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.domain.records import BankRecord, OptionRecord, PairRecord, QuestionRecord
from app.formats import gift
from app.formats.gift_rubric import with_rubric
from app.formats.native import read_yaml
from app.formats.tags import write_tags
from app.formats.texts_cases import with_case
from tests.unit.formats.sample import every_type_bank

ROOT = Path(__file__).resolve().parents[3]
TOOL = ROOT / "tests" / "tools" / "gift"
BANKS = sorted((ROOT / "question_banks" / "banks").glob("*.yaml"))
NODE = shutil.which("node")
# gift-pegjs's placeholders for escaped characters, left undecoded in matches (see above).
PLACEHOLDERS = {"&&092;": "\\", "&&058;": ":", "&&035;": "#", "&&061;": "=", "&&123;": "{"}
PLACEHOLDERS |= {"&&125;": "}", "&&126;": "~", "&&010": "\n"}

# Without node these tests skip locally and fail in CI, like the browser tests.
pytestmark = pytest.mark.skipif(
    NODE is None and not os.environ.get("CI"), reason="node is not installed: gift-pegjs cannot run"
)


def gift_pegjs(text: str) -> list[dict[str, Any]]:
    """gift-pegjs's parse of a GIFT text: a list of categories and questions."""
    if NODE is None:
        pytest.fail("node is not installed: gift-pegjs cannot run")
    if not (TOOL / "node_modules" / "gift-pegjs").is_dir():
        pytest.fail(f"gift-pegjs is not installed: run `npm ci` in {TOOL} (make test does)")
    run = subprocess.run(
        [str(NODE), str(TOOL / "parse.js")],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    parsed = json.loads(run.stdout) if run.stdout else {"error": run.stderr}
    assert run.returncode == 0 and isinstance(parsed, list), parsed
    return parsed


def _text(value: str) -> dict[str, str] | None:
    """A Markdown text as gift-pegjs gives it; None for an empty one (nothing written)."""
    return {"format": "markdown", "text": value} if value else None


def _choices(q: QuestionRecord) -> list[dict[str, Any]]:
    """The choices of a single-choice, multiple-response or short-answer item.

    Multiple response: `~` answers whose weights are 100/k for the k right options and
    -100/w for the w wrong ones, to five decimals (rounded here to compare).
    """
    if q.type == "short_answer":
        return [
            {"isCorrect": True, "weight": None, "text": _text(a), "feedback": None}
            for a in q.answers
        ]
    right = sum(o.correct for o in q.options)
    wrong = len(q.options) - right
    choices = []
    for o in q.options:
        weight = None
        if q.type == "multiple_response":
            weight = round(100 / right if o.correct else -100 / wrong, 4)
        correct = o.correct and q.type == "single_choice"
        choices.append(
            {
                "isCorrect": correct,
                "weight": weight,
                "text": _text(o.text),
                "feedback": _text(o.feedback),
            }
        )
    return choices


def expected(q: QuestionRecord, bank: BankRecord) -> dict[str, Any]:
    """What gift-pegjs should read for a written question (fields it shares with Moodle)."""
    case = next((s for s in bank.scenarios if s.id == q.scenario), None)
    item: dict[str, Any] = {
        "title": q.title or None,
        "stem": _text(with_case(case, q.stem) if case else q.stem),
        "hasEmbeddedAnswers": False,
        "globalFeedback": _text(with_rubric(q)),
        "id": q.id,
        # Moodle skips a tag with `<`, `>`, a backquote or a control character
        "tags": [t for t in write_tags(q) if not re.search(r"[<>`\x00-\x1f\x7f]", t)] or None,
    }
    if q.type in ("single_choice", "multiple_response", "short_answer"):
        item["type"] = "Short" if q.type == "short_answer" else "MC"
        item["choices"] = _choices(q)
    elif q.type == "true_false":
        right, wrong = (q.feedback_true, q.feedback_false)
        if not q.answer:
            right, wrong = wrong, right
        item |= {"type": "TF", "isTrue": q.answer, "wrong_right": [_text(wrong), _text(right)]}
    elif q.type == "matching":
        pairs = [(p.prompt, p.match) for p in q.pairs] + [("", m) for m in q.extra_matches]
        item |= {"type": "Matching", "matchPairs": pairs}
    elif q.type == "essay":
        item["type"] = "Essay"
    elif q.type == "ordering":
        item |= {"type": "ordering (unknown to gift-pegjs)", "steps": [s.text for s in q.steps]}
    return item


def seen(parsed: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """The same fields of gift-pegjs's question, in the shape `expected` gives."""
    got = {key: parsed.get(key) for key in item if key in parsed}
    if parsed.get("type") == "MC" or parsed.get("type") == "Short":
        got["choices"] = [
            {**c, "weight": None if c["weight"] is None else round(c["weight"], 4)}
            for c in parsed["choices"]
        ]
    if parsed.get("type") == "TF":
        got["wrong_right"] = [parsed["trueFeedback"], parsed["falseFeedback"]]
    if parsed.get("type") == "Matching":
        got["matchPairs"] = [
            (m["subquestion"]["text"], _decoded(m["subanswer"])) for m in parsed["matchPairs"]
        ]
        formats = {m["subquestion"]["format"] for m in parsed["matchPairs"]}
        got["type"] = parsed["type"] if formats <= {"markdown"} else f"Matching with {formats}"
    if "steps" in item:
        got |= _ordering_seen(parsed, item["steps"])
    return got


def _decoded(match: str) -> str:
    """A match text with gift-pegjs's escape placeholders turned back into characters."""
    return re.sub("|".join(PLACEHOLDERS), lambda found: PLACEHOLDERS[found.group()], match)


def _ordering_seen(parsed: dict[str, Any], steps: list[str]) -> dict[str, Any]:
    """What gift-pegjs makes of an ordering block: one short answer holding the header and
    the steps (whitespace collapsed); the steps must follow each other in the key's order."""
    choices = parsed.get("choices") or [{}]
    answer = (choices[0].get("text") or {}).get("text", "")
    header = f">{len(steps)} ALL VERTICAL RELATIVE_NEXT_EXCLUDE_LAST SHOW none "
    shown = header + " ".join(" ".join(s.split()) for s in steps)
    return {
        "type": "ordering (unknown to gift-pegjs)"
        if parsed.get("type") == "Short"
        else parsed.get("type"),
        "steps": steps if len(choices) == 1 and " ".join(answer.split()) == shown else [answer],
    }


def differences(bank: BankRecord) -> Iterator[str]:
    """Every place where gift-pegjs reads the bank's GIFT export otherwise than meant."""
    result = gift.write(bank)
    skipped = {s.name for s in result.skipped}
    written = [q for q in bank.questions if q.id not in skipped]
    parsed = gift_pegjs(result.data.decode("utf-8"))
    questions = [p for p in parsed if p["type"] != "Category"]
    if len(questions) != len(written):
        yield f"{bank.id}: {len(written)} questions written, gift-pegjs read {len(questions)}"
    for q, found in zip(written, questions, strict=False):
        item = expected(q, bank)
        got = seen(found, item)
        for key, value in item.items():
            if got.get(key) != value:
                yield f"{bank.id}/{q.id} {key}: meant {value!r}, gift-pegjs read {got.get(key)!r}"
    categories = []
    for q in written:
        category = "/".join(["clausewise", q.level, *q.clauses[:1]])
        if not categories or categories[-1] != category:
            categories.append(category)
    read_categories = [p["title"] for p in parsed if p["type"] == "Category"]
    if read_categories != categories:
        yield f"{bank.id}: categories {read_categories[:5]}… differ from {categories[:5]}…"


def bundled(path: Path) -> BankRecord:
    result = read_yaml(path.read_bytes(), str(path))
    assert not result.errors, result.errors[:5]
    return result.bank


@pytest.mark.parametrize("path", BANKS, ids=[p.stem for p in BANKS])
def test_gift_pegjs_reads_the_bundled_banks_gift_export_as_written(path: Path) -> None:
    assert list(differences(bundled(path))) == []


def test_gift_pegjs_reads_every_type_with_feedback_and_scenarios_as_written() -> None:
    assert list(differences(every_type_bank())) == []


def awkward_bank() -> BankRecord:
    """Texts full of GIFT syntax, and texts that start like a format marker or a weight."""
    syntax = "a = b ~ c # d { e } f : g \\ h ####\nsecond line"
    options = [
        OptionRecord("a", "%50% is no weight", True, "[html] is text here"),
        OptionRecord("b", syntax, False, syntax),
        OptionRecord("c", "[plain] is no marker", False),
    ]
    pairs = [
        PairRecord("p1", "[html] prompt", "[html] match"),
        PairRecord("p2", "% prompt", "%50% match"),
        PairRecord("p3", syntax.replace("\n", " "), "x # y ~ z = w { } \\ : v"),
    ]
    common = {"level": "foundation", "clauses": ["8.1"], "tags": ["back`quote", "a<b", "8.2"]}
    return BankRecord(
        id="awkward",
        title="Awkward",
        questions=[
            QuestionRecord(
                "odd-1",
                "single_choice",
                syntax,
                title="[html] Title: {x} 100%",
                explanation=syntax,
                options=options,
                **common,
            ),
            QuestionRecord(
                "odd-2",
                "multiple_response",
                "Pick",
                title="% title",
                options=[*options[:2], OptionRecord("c", "[plain] also right", True)],
                **common,
            ),
            QuestionRecord(
                "odd-3", "matching", "Match", pairs=pairs, extra_matches=["% extra"], **common
            ),
            QuestionRecord(
                "odd-4", "short_answer", "Say", answers=["%20% a", "[html] b"], **common
            ),
            QuestionRecord(
                "odd-5", "true_false", "True?", answer=False, feedback_true=syntax, **common
            ),
        ],
    )


def test_gift_pegjs_reads_texts_full_of_gift_syntax_as_written() -> None:
    assert list(differences(awkward_bank())) == []
