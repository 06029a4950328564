"""Load native YAML/JSON together with the source line of every value.

`yaml.safe_load` forgets where things were. Here the document is first composed into
PyYAML's node tree, which remembers each node's start line, then constructed into
plain Python data exactly as `safe_load` would. A `SourceMap` maps paths such as
`("questions", 3, "options", 1)` to line numbers and to the scalar's source text, so
every problem can say file:line, and `10.10` written unquoted can be recovered as it
was typed. JSON is parsed by `json`, then indexed the same way (JSON is YAML).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path = tuple[str | int, ...]

# Aliases let a short YAML file expand into a huge tree ("billion laughs"); a bank has
# at most a few tens of thousands of values, so refuse anything far beyond that.
MAX_VALUES = 500_000


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
    """Data as `yaml.safe_load` gives it, and its source map; raises yaml.YAMLError."""
    loader = yaml.SafeLoader(text)
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
    # Strict JSON allows tabs only between tokens, where YAML would refuse them, so
    # turning them into spaces changes no value and no line.
    try:
        node = yaml.compose(text.replace("\t", " "), Loader=yaml.SafeLoader)
        source_map = index_node(node) if node is not None else SourceMap()
    except (yaml.YAMLError, DocumentTooLarge, RecursionError):
        source_map = SourceMap()
    return data, source_map


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
