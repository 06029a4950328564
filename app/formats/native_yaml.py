"""Tidy YAML for native banks: the layout a trainer would type by hand.

Multi-line texts become `|` blocks, clause numbers and editions are double-quoted,
clause and tag lists and short entries (options, pairs, steps) sit on one line, lists
are indented under their key, and a blank line separates sections and questions.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

_FLOW_LIMIT = 88  # an entry longer than this on one line is written as a block


class _Quoted(str):
    """A string always written in double quotes (clause numbers, editions)."""


class _Flow(dict[str, Any]):
    """A mapping written on one line."""


class _FlowList(list[Any]):
    """A list written on one line."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents lists under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Never write indentless sequences."""
        return super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Multi-line text as a literal block, anything else in the default style."""
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(
    _Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"')
)
_Dumper.add_representer(
    _Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True)
)
_Dumper.add_representer(
    _FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)


def dump_yaml(data: dict[str, Any]) -> str:
    """The native data as YAML text."""
    styled = _style(data)
    sections = [
        yaml.dump({key: value}, Dumper=_Dumper, **_OPTIONS) for key, value in styled.items()
    ]
    return "\n".join(_space_items(s) for s in sections)


_OPTIONS: dict[str, Any] = {
    "sort_keys": False,
    "allow_unicode": True,
    "default_flow_style": False,
    "width": 100,
}


def _style(data: dict[str, Any]) -> dict[str, Any]:
    """Mark which values are quoted or written on one line."""
    out = dict(data)
    out["bank"] = {k: _Quoted(v) if k == "edition" else v for k, v in data["bank"].items()}
    if "scenarios" in out:
        out["scenarios"] = [_style_translated(s) for s in data["scenarios"]]
    out["questions"] = [_style_question(q) for q in data["questions"]]
    return out


def _style_question(question: dict[str, Any]) -> dict[str, Any]:
    """One question's styling."""
    out = dict(question)
    out["clauses"] = _FlowList(_Quoted(c) for c in question["clauses"])
    if "edition" in out:
        out["edition"] = _Quoted(out["edition"])
    for key in ("tags", "answers", "extra_matches"):
        if key in out and _short(out[key]):
            out[key] = _FlowList(out[key])
    for key in ("options", "pairs", "steps", "rubric"):
        if key in out:
            out[key] = [_Flow(item) if _short(item) else item for item in out[key]]
    return _style_translated(out)


def dump_translations(translations: dict[str, Any], indent: int) -> str:
    """A `translations:` block for an item whose keys start at column `indent`, styled as
    `dump_yaml` writes it (no final line break)."""
    styled = _style_translated({"translations": translations})
    block = yaml.dump(styled, Dumper=_Dumper, **_OPTIONS).rstrip("\n")
    return "\n".join(" " * indent + line if line else line for line in block.split("\n"))


def _style_translated(item: dict[str, Any]) -> dict[str, Any]:
    """An item's translations: short part maps and lists on one line, as in the source."""
    if "translations" not in item:
        return item
    out = dict(item)
    out["translations"] = {
        tag: _style_translation(entry) for tag, entry in item["translations"].items()
    }
    return out


def _style_translation(entry: dict[str, Any]) -> dict[str, Any]:
    """One translation's styling."""
    out = dict(entry)
    for key, value in entry.items():
        if isinstance(value, dict) and _short(value):
            out[key] = _Flow(value)
        elif isinstance(value, dict):
            out[key] = {
                k: _Flow(v) if isinstance(v, dict) and _short(v) else v for k, v in value.items()
            }
        elif isinstance(value, list) and _short(value):
            out[key] = _FlowList(value)
        elif isinstance(value, list):
            out[key] = [_Flow(v) if isinstance(v, dict) and _short(v) else v for v in value]
    return out


def _short(value: object) -> bool:
    """True when a value fits on one line without hiding any line break."""
    rendered = json.dumps(value, ensure_ascii=False)
    return "\\n" not in rendered and len(rendered) <= _FLOW_LIMIT


def _space_items(section: str) -> str:
    """A blank line between the items of a top-level list, for readability."""
    lines = section.splitlines(keepends=True)
    spaced = [
        ("\n" + line) if line.startswith("  - ") and n > 1 else line for n, line in enumerate(lines)
    ]
    return "".join(spaced)
