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
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from pipelines import resources
from pipelines.errors import CeledgerError
from pipelines.statement_files import StatementFile, discover

SCHEMA_PATH = resources.SCHEMAS / "xapi-statement.schema.json"
SHOWN = 60  # characters of a value shown in a message


@dataclass(frozen=True)
class Violation:
    pointer: str  # RFC 6901 JSON pointer into the statement; "" is the statement itself
    message: str  # one line: the rule's title, then what is wrong
    rule: str = ""  # JSON pointer into the schema: the titled node whose rule failed ("" the statement's)
    field: str = ""  # the field the rules read that the defect lies in (see `read_field`); "" for none

    def reason(self) -> str:
        """The violation as one quarantine or warning reason: where, then what."""
        return f"{self.pointer}: {self.message}" if self.pointer else self.message


# Severity (docs/rules.md, "What is quarantined"): a defect in a field the rules read makes
# the statement unusable; any other leaves it usable, with a warning. The fields, as
# patterns on the defect's pointer in lower case (so a mis-cased key such as `/verb/Id`
# counts as the field it fails to be), each with the name staging's reasons use for it.
READ_FIELDS = [
    (re.compile(p), name)
    for p, name in (
        (r"/id", "id"),
        (r"/actor(?:/.*)?", "actor"),  # its identity: every part of it but the display names
        (r"/verb/id", "verb"),
        (r"/object/(?:id|objecttype)", "object"),
        (r"/timestamp", "timestamp"),
        (r"/stored", "stored"),
        (r"/result/duration", "result.duration"),
        (r"/result/score(?:/.*)?", "result.score"),
        (r"/version", "version"),
        (r"/context/contextactivities/(?:parent|grouping)(?:/\d+(?:/(?:id|objecttype))?)?", "context"),
    )
]
NAMES = re.compile(r"/actor(?:/member/\d+)?/name")  # display names: no rule reads them
# Objects holding those fields: one missing, or of the wrong type, hides them all.
HOLDERS = {"": "statement", "/verb": "verb", "/object": "object", "/result": "result", "/context": "context"}
HOLDERS["/context/contextactivities"] = "context"


def read_field(subject: str, kind: str) -> str:
    """The field the rules read that a defect at `subject` (the pointer of the value at
    fault; a missing key's own pointer) lies in, or "" when the rules read none there."""
    at = subject.lower()
    if kind in ("Type", "Required") and at in HOLDERS:
        return HOLDERS[at]
    if NAMES.fullmatch(at):
        return ""
    return next((name for pattern, name in READ_FIELDS if pattern.fullmatch(at)), "")


# The shared value forms: a message names the field holding one (its title) and says the
# form (this one's description), as in "timestamp: ... (An ISO 8601 date and time ...)".
FORMS = {"/$defs/iri", "/$defs/uuid", "/$defs/timestamp", "/$defs/duration", "/$defs/languageTag"}


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def validator() -> jsonschema_rs.Validator:
    return jsonschema_rs.Draft202012Validator(schema(), validate_formats=False)


def pointer(path: list[str | int] | tuple[str | int, ...]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def resolve(reference: str) -> tuple[Any, list[str]]:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in reference.removeprefix("#").split("/")[1:]]
    node: Any = schema()
    for part in parts:
        node = node[part]
    return node, parts


@cache
def rule_at(evaluation_path: tuple[str | int, ...]) -> tuple[str, str, str]:
    """The rule an error's evaluation path ends in: the location and title of the last
    titled node on it that is not a shared value form, and the description of the last
    titled node of all (the form's, when the path ends in one)."""
    node: Any = schema()
    location: list[str | int] = []
    rule, title, description = "", "statement", ""  # the root's own description is the schema's
    for part in evaluation_path:
        try:
            if part == "$ref":
                node, location = resolve(node["$ref"])
            elif part == "$defs" and part not in node:  # a propertyNames error's path goes on from the root
                node, location = schema()["$defs"], ["$defs"]
            else:
                node = node[part]
                location = [*location, part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "title" in node:
            description = node.get("description", "")
            if pointer(location) not in FORMS:
                rule, title = pointer(location), node["title"]
    return rule, title, description


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


def message(error: jsonschema_rs.ValidationError, title: str, description: str) -> str:
    kind = type(error.kind).__name__
    said = f" ({description.rstrip('.')})" if description else ""
    if kind == "Required":
        return f"{title}: {shown(error.kind.property)} is missing{said}"
    if kind in WRONG:
        return f"{title}: {WRONG[kind].format(value=shown(error.instance))}{said}"
    return f"{title}: {one_line(error.message)}"


def violations(statement: Any) -> list[Violation]:
    """Every way the statement breaks the schema, and score values out of order."""
    found: list[Violation] = []
    for error in validator().iter_errors(statement):
        path = list(error.instance_path)
        kind = type(error.kind).__name__
        rule, title, description = rule_at(tuple(error.evaluation_path))
        if kind == "AdditionalProperties":
            for key in error.kind.unexpected:
                at = pointer([*path, key])
                said = f"{title}: unknown key {shown(key)} (keys are case-sensitive)"
                found.append(Violation(at, said, rule, read_field(at, kind)))
        elif kind == "PropertyNames":
            key = error.kind.error.instance
            said = f" ({description.rstrip('.')})" if description else ""
            at = pointer([*path, key])
            found.append(
                Violation(at, f"{title}: the key {shown(key)} is not allowed{said}", rule, read_field(at, kind))
            )
        else:
            subject = pointer([*path, error.kind.property]) if kind == "Required" else pointer(path)
            found.append(Violation(pointer(path), message(error, title, description), rule, read_field(subject, kind)))
    found += score_order(statement)
    return list(dict.fromkeys(found))  # one rule can fail twice alike (dependentRequired)


def one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 160 else text[:159] + "…"


SCORE_ORDER = "/$defs/score/description"  # where the schema states the rule this module checks


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
        read = read_field(at, "")
        if low is not None and high is not None and low > high:
            said = f"score min: {shown(low)} is above max {shown(high)}"
            found.append(Violation(f"{at}/min", said, SCORE_ORDER, read))
        if raw is not None and low is not None and raw < low:
            found.append(
                Violation(f"{at}/raw", f"score raw: {shown(raw)} is below min {shown(low)}", SCORE_ORDER, read)
            )
        if raw is not None and high is not None and raw > high:
            found.append(
                Violation(f"{at}/raw", f"score raw: {shown(raw)} is above max {shown(high)}", SCORE_ORDER, read)
            )
    return found


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# `celedger check`: statement files read as `celedger run` reads them, each record checked


@dataclass
class CheckedFile:
    path: Path
    records: int
    defects: list[str]  # `file:record: statement-id: pointer: message`, one per defect


class _Decoder:
    """Strict JSON a record at a time; NaN, Infinity and a key twice in one object are read
    but noted, as staging quarantines them."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.decoder = json.JSONDecoder(object_pairs_hook=self.object, parse_constant=self.constant)

    def object(self, pairs: list[tuple[str, Any]]) -> dict:
        keys = [key for key, _ in pairs]
        if len(set(keys)) != len(keys):
            self.problems.append("a key appears twice in one object")
        return dict(pairs)

    def constant(self, name: str) -> float:
        self.problems.append(f"not strict JSON ({name})")
        return float(name.replace("Infinity", "inf"))

    def record(self, text: str, at: int) -> tuple[Any | str, int]:
        """The value at `at` (or what is wrong with it) and where it ends."""
        self.problems = []
        value, end = self.decoder.raw_decode(text, at)
        return (self.problems[0] if self.problems else value), end


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _values(text: str) -> list[Any | str]:
    """Every JSON value in the text, one after another (NDJSON, pretty-printed objects)."""
    decoder, values, at = _Decoder(), [], _skip(text, 0)
    while at < len(text):
        value, at = decoder.record(text, at)
        values.append(value)
        at = _skip(text, at)
    return values


def _items(text: str) -> list[Any | str]:
    """The elements of the one JSON array the text holds."""
    decoder, values, at = _Decoder(), [], _skip(text, 0)
    if text[at : at + 1] != "[":
        raise ValueError("not a JSON array")
    at = _skip(text, at + 1)
    if text[at : at + 1] == "]":
        at += 1
    else:
        while True:
            value, at = decoder.record(text, at)
            values.append(value)
            at = _skip(text, at)
            if text[at : at + 1] == "]":
                at += 1
                break
            if text[at : at + 1] != ",":
                raise ValueError(f"',' or ']' expected at character {at}")
            at = _skip(text, at + 1)
    if _skip(text, at) != len(text):
        raise ValueError(f"more after the array at character {at}")
    return values


def records(file: StatementFile) -> list[Any | str]:
    """The file's records in the order `celedger run` numbers them: a parsed value, or a
    string saying why the record is not a statement's JSON (run quarantines it). A file
    that cannot be read as statements at all raises CeledgerError, as it stops a run."""
    if file.form == "empty":
        return []
    data = file.path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if file.form == "array":
            raise CeledgerError(f"{file.path}: not valid JSON (not UTF-8 text)") from None
        text = None
    if text is not None:
        try:
            return _items(text) if file.form == "array" else _values(text)
        except ValueError as err:
            if file.form == "array" or not _ndjson_at_heart(file, text):
                raise CeledgerError(f"{file.path}: not valid JSON ({one_line(str(err))})") from None
    found: list[Any | str] = []  # NDJSON with broken lines: each line a record
    for line in data.split(b"\n"):
        line = line.rstrip(b"\r")
        if not line.strip(b" "):
            continue
        try:
            found.append(_line(line.decode("utf-8")))
        except UnicodeDecodeError:
            found.append("not UTF-8 text")
        except ValueError:
            found.append("not valid JSON")
    return found


def _line(text: str) -> Any | str:
    value, end = _Decoder().record(text, _skip(text, 0))
    if _skip(text, end) != len(text):
        raise ValueError("more than one value on the line")
    return value


def _ndjson_at_heart(file: StatementFile, text: str) -> bool:
    """Named .ndjson, or its first line alone is a JSON object (pipelines/load.py)."""
    if file.path.suffix == ".ndjson":
        return True
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def check_file(file: StatementFile) -> CheckedFile:
    found = records(file)
    defects = []
    for number, record in enumerate(found, start=1):
        where = f"{file.path}:{number}"
        if isinstance(record, str):
            defects.append(f"{where}: -: : {record}")
            continue
        raw_id = record.get("id") if isinstance(record, dict) else None
        shown_id = raw_id if isinstance(raw_id, str) and raw_id and raw_id.isprintable() and " " not in raw_id else "-"
        defects += [f"{where}: {shown_id}: {v.pointer}: {v.message}" for v in violations(record)]
    return CheckedFile(file.path, len(found), defects)


def check(paths: list[Path]) -> tuple[list[CheckedFile], list[str]]:
    """Each statement file under the paths checked; and the one-line errors of those that
    could not be read."""
    checked, unreadable = [], []
    for path in paths:
        try:
            files = discover([path])
        except CeledgerError as err:
            unreadable.append(str(err))
            continue
        for file in files:
            if path.is_dir():  # named as given, not resolved
                file = replace(file, path=path / file.path.relative_to(path.resolve()))
            else:
                file = replace(file, path=path)
            try:
                checked.append(check_file(file))
            except CeledgerError as err:
                unreadable.append(str(err))
            except OSError as err:
                unreadable.append(f"{file.path}: cannot read statement file ({err.strerror})")
    return checked, unreadable
