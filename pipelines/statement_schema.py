"""Statements checked against schemas/xapi-statement.schema.json, the published xAPI schema.

The schema is read and compiled once (jsonschema-rs, a validator in Rust: a few
microseconds a statement). `violations(statement)` takes a parsed statement and returns
every defect, each with the JSON pointer (RFC 6901) of the value at fault and a one-line
message that names the schema's rule (its `title`) and says what is wrong.

Pointers are the instance paths the validator reports, with two refinements: an unknown
key is reported at its own pointer (`/verb/Id`), one violation a key, not at the object
holding it; and the few rules no JSON Schema can say, comparisons between two values
(result.score min <= raw <= max, min <= max), are checked here and reported at
`/result/score/raw` or `/result/score/min`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema_rs

from pipelines import resources

SCHEMA_PATH = resources.SCHEMAS / "xapi-statement.schema.json"
SHOWN = 60  # characters of a value shown in a message


@dataclass(frozen=True)
class Violation:
    pointer: str  # RFC 6901 JSON pointer into the statement; "" is the statement itself
    message: str  # one line: the rule's title, then what is wrong


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def validator() -> jsonschema_rs.Validator:
    return jsonschema_rs.Draft202012Validator(schema(), validate_formats=False)


def pointer(path: list[str | int]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


@cache
def rule_at(schema_path: tuple[str | int, ...]) -> tuple[str, str]:
    """The title and description of the deepest schema node along the path that has a title."""
    node: Any = schema()
    title, description = "statement", ""
    for part in schema_path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "title" in node:
            title, description = node["title"], node.get("description", "")
    return title, description


WRONG = {
    "Type": "{value} is of the wrong type",
    "Pattern": "{value} is not of the required form",
    "Enum": "{value} is not one of the allowed values",
    "Constant": "{value} is not the allowed value",
    "Minimum": "{value} is out of range",
    "Maximum": "{value} is out of range",
    "MinItems": "too few items",
    "MaxItems": "too many items",
    "Not": "not allowed here",
    "FalseSchema": "not allowed here",
    "OneOfNotValid": "none of the allowed forms",
    "OneOfMultipleValid": "more than one of the allowed forms",
    "AnyOf": "none of the allowed forms",
}


def message(error: jsonschema_rs.ValidationError) -> str:
    title, description = rule_at(tuple(error.schema_path))
    kind = type(error.kind).__name__
    if kind == "Required":
        return f"{title}: {shown(error.kind.property)} is missing ({description.rstrip('.')})"
    if kind in WRONG:
        return f"{title}: {WRONG[kind].format(value=shown(error.instance))} ({description.rstrip('.')})"
    return f"{title}: {one_line(error.message)}"


def violations(statement: Any) -> list[Violation]:
    """Every way the statement breaks the schema, and score values out of order."""
    found: list[Violation] = []
    for error in validator().iter_errors(statement):
        path = list(error.instance_path)
        kind = type(error.kind).__name__
        if kind == "AdditionalProperties":
            found += [
                Violation(pointer([*path, key]), f"unknown key {shown(key)} (keys are case-sensitive)")
                for key in error.kind.unexpected
            ]
        elif kind == "PropertyNames":
            key = error.kind.error.instance
            title, description = rule_at(tuple(error.schema_path[:-1]))
            found.append(
                Violation(
                    pointer([*path, key]),
                    f"{title}: the key {shown(key)} is not allowed "
                    f"({rule_at(tuple(error.schema_path))[1].rstrip('.')})",
                )
            )
        else:
            found.append(Violation(pointer(path), message(error)))
    found += score_order(statement)
    return found


def one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 160 else text[:159] + "…"


def score_order(statement: Any) -> list[Violation]:
    """min <= raw <= max and min <= max, in the statement's score and a SubStatement's."""
    found = []
    for prefix, holder in (("", statement), ("/object", _get(statement, "object"))):
        score = _get(_get(holder, "result"), "score")
        if not isinstance(score, dict):
            continue
        numbers = {k: v for k in ("raw", "min", "max") if _number(v := score.get(k))}
        low, high, raw = numbers.get("min"), numbers.get("max"), numbers.get("raw")
        at = f"{prefix}/result/score"
        if low is not None and high is not None and low > high:
            found.append(Violation(f"{at}/min", f"score min: {shown(low)} is above max {shown(high)}"))
        if raw is not None and low is not None and raw < low:
            found.append(Violation(f"{at}/raw", f"score raw: {shown(raw)} is below min {shown(low)}"))
        if raw is not None and high is not None and raw > high:
            found.append(Violation(f"{at}/raw", f"score raw: {shown(raw)} is above max {shown(high)}"))
    return found


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
