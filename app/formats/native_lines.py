"""Load native YAML/JSON together with the source line of every value.

`yaml.safe_load` forgets where things were. Here the document is first composed into
PyYAML's node tree, which remembers each node's start line, then constructed into
plain Python data exactly as `safe_load` would. A `SourceMap` maps paths such as
`("questions", 3, "options", 1)` to line numbers and to the scalar's source text, so
every problem can say file:line, and `10.10` written unquoted can be recovered as it
was typed. JSON is parsed by `json`, then indexed by `index_json`, a one-pass token scan
that gives the same map as composing it as YAML would (JSON is YAML), forty times faster.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path = tuple[str | int, ...]

# Aliases let a short YAML file expand into a huge tree ("billion laughs"); a bank has
# at most a few tens of thousands of values, so refuse anything far beyond that.
MAX_VALUES = 500_000

# libyaml's parser when PyYAML was built with it (the wheels are): same nodes and marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DocumentTooLarge(ValueError):
    """The document expands to more values than any bank needs."""


@dataclass
class SourceMap:
    """Line numbers and source text of the values of one document."""

    lines: dict[Path, int] = field(default_factory=dict)
    raw: dict[Path, str] = field(default_factory=dict)
    duplicates: list[tuple[Path, int]] = field(default_factory=list)

    def line(self, path: Path) -> int | None:
        """The line of a path, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


def load_yaml(text: str) -> tuple[object, SourceMap]:
    """Data as `yaml.safe_load` gives it, and its source map; raises yaml.YAMLError.

    Parsed by libyaml for speed; a file it refuses is parsed again by PyYAML's own parser,
    whose error messages name the problem more plainly ("expected <block end>").
    """
    try:
        return _load_yaml(text, _LOADER)
    except yaml.YAMLError:
        if _LOADER is yaml.SafeLoader:
            raise
        return _load_yaml(text, yaml.SafeLoader)


def _load_yaml(text: str, loader_class: type) -> tuple[object, SourceMap]:
    """Compose, index and construct one document with the given loader."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, SourceMap()
        source_map = index_node(node)
        return loader.construct_document(node), source_map
    finally:
        loader.dispose()


def load_json(text: str) -> tuple[object, SourceMap]:
    """Data as `json.loads` gives it, and its source map; raises json.JSONDecodeError."""
    data = json.loads(text)
    return data, index_json(text)


# Strings (no raw line breaks in strict JSON), punctuation, literals, and line breaks.
_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+|\n')


def index_json(text: str) -> SourceMap:
    """Lines, literal texts and repeated keys of valid JSON text, in one pass over its tokens.

    A key's line stands for its value and an array element's line is where it starts, as
    in `index_node`. Only numbers and literals keep their source text: a string's text is
    its value.
    """
    out = SourceMap()
    line = 1
    # Open containers: (path, is_object, keys seen); `at` is where the next value goes.
    stack: list[tuple[Path, bool, set[str]]] = []
    at: Path = ()
    index: list[int] = []  # the next element's index in each open array
    expect_key = False
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == "\n":
            line += 1
        elif first == '"' and expect_key:
            path, _obj, seen = stack[-1]
            key = json.loads(token)
            if key in seen:
                out.duplicates.append(((*path, key), line))
            seen.add(key)
            at = (*path, key)
            out.lines.setdefault(at, line)
            expect_key = False
        elif first in "{[":
            out.lines.setdefault(at, line)
            stack.append((at, first == "{", set()))
            if first == "[":
                index.append(0)
                at = (*at, 0)
            expect_key = first == "{"
        elif first in "}]":
            path, is_object, _seen = stack.pop()
            if not is_object:
                index.pop()
            at = path
        elif first == ",":
            path, is_object, _seen = stack[-1]
            if is_object:
                expect_key = True
            else:
                index[-1] += 1
                at = (*path, index[-1])
        elif first != ":":
            out.lines.setdefault(at, line)
            if first != '"':
                out.raw[at] = token
    return out


def index_node(root: Node) -> SourceMap:
    """Walk a composed node tree, recording lines, scalar texts and repeated keys."""
    source_map = SourceMap()
    budget = [MAX_VALUES]
    _walk(root, (), root.start_mark.line + 1, source_map, budget)
    return source_map


def _walk(node: Node, path: Path, line: int, out: SourceMap, budget: list[int]) -> None:
    """Record one node and its children; a key's line stands for its value."""
    budget[0] -= 1
    if budget[0] < 0:
        raise DocumentTooLarge("the document expands to too many values")
    out.lines.setdefault(path, line)
    if isinstance(node, ScalarNode):
        out.raw[path] = node.value
    elif isinstance(node, SequenceNode):
        for index, child in enumerate(node.value):
            _walk(child, (*path, index), child.start_mark.line + 1, out, budget)
    elif isinstance(node, MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, ScalarNode) else "?"
            key_line = key_node.start_mark.line + 1
            if key in seen and key != "<<":
                out.duplicates.append(((*path, key), key_line))
            seen.add(key)
            _walk(value_node, (*path, key), key_line, out, budget)
