"""pipelines/statement_schema.py and schemas/xapi-statement.schema.json: every invalid statement
of the corpus reported at its pointer, no valid one flagged, every rule of the schema met by
some invalid statement, the patterns staging reads, and other validators agreeing."""

import json
from pathlib import Path

import jsonschema
import pytest

from pipelines.statement_schema import FORMS, SCORE_ORDER, pointer, resolve, schema, validator, violations
from pipelines.warehouse import PATTERNS

CORPUS = Path(__file__).resolve().parent / "corpus"
VALID = json.loads((CORPUS / "xapi_valid.json").read_text(encoding="utf-8"))
INVALID = json.loads((CORPUS / "xapi_invalid.json").read_text(encoding="utf-8"))


def test_corpus_sizes():
    assert len(INVALID) >= 300
    assert len(VALID) >= 100


@pytest.mark.parametrize("case", INVALID, ids=[c["name"] for c in INVALID])
def test_invalid_statement_reported_at_its_pointer(case):
    found = violations(case["statement"])
    assert case["pointer"] in [v.pointer for v in found], found
    assert all(v.message and "\n" not in v.message for v in found)


@pytest.mark.parametrize("case", VALID, ids=[c["name"] for c in VALID])
def test_valid_statement_not_flagged(case):
    assert violations(case["statement"]) == []


STAGING = json.loads((CORPUS / "valid.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", STAGING, ids=[c["name"] for c in STAGING])
def test_staging_corpus_is_valid_xapi(case):
    assert violations(case["statement"]) == []


def titled_nodes() -> dict[str, str]:
    found = {}

    def walk(node, location):
        if isinstance(node, dict):
            if "title" in node:
                found[pointer(location)] = node["title"]
            for key, value in node.items():
                walk(value, [*location, key])
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, [*location, index])

    walk(schema(), [])
    return found


def traversed(evaluation_path) -> set[str]:
    node, location, found = schema(), [], set()
    for part in evaluation_path:
        if part == "$ref":
            node, location = resolve(node["$ref"])
        elif part == "$defs" and part not in node:  # see rule_at
            node, location = schema()["$defs"], ["$defs"]
        else:
            node, location = node[part], [*location, part]
        if isinstance(node, dict) and "title" in node:
            found.add(pointer(location))
    return found


def test_every_rule_has_an_invalid_statement():
    """Each titled node of the schema lies on the path of some invalid statement's error."""
    met = set()
    for case in INVALID:
        for error in validator().iter_errors(case["statement"]):
            met |= traversed(error.evaluation_path)
    unmet = {at: title for at, title in titled_nodes().items() if at and at not in met}
    assert unmet == {}
    assert SCORE_ORDER in {v.rule for case in INVALID for v in violations(case["statement"])}


def test_every_rule_has_a_title_and_description():
    for at in titled_nodes():
        node = schema()
        for part in at.split("/")[1:]:
            node = node[int(part) if isinstance(node, list) else part]
        assert node.get("description"), at
    assert {f"/$defs/{name}" for name in schema()["$defs"]} >= FORMS


def test_patterns_are_stagings():
    """The IRI and timestamp patterns are those staging reads (PATTERNS in pipelines/warehouse.py),
    the IRI one with the delimiters RFC 3987 never allows added."""
    defs = schema()["$defs"]
    assert defs["timestamp"]["pattern"] == "^(?:" + PATTERNS["timestamp_pattern"] + ")$"
    assert defs["iri"]["pattern"] == "^(?:" + PATTERNS["iri_pattern"][:-2] + '<>"{}|\\\\^`]+)$'


def test_other_validators_agree():
    """The published file means the same to Python's jsonschema (all but score order)."""
    jsonschema.Draft202012Validator.check_schema(schema())
    other = jsonschema.Draft202012Validator(schema())
    for case in VALID:
        assert other.is_valid(case["statement"]), case["name"]
    for case in INVALID:
        by_schema = [v for v in violations(case["statement"]) if v.rule != SCORE_ORDER]
        assert other.is_valid(case["statement"]) == (not by_schema), case["name"]


def test_messages_name_the_rule():
    statement = dict(VALID[0]["statement"], timestamp="2026-01-05T15:00:00-00:00")
    statement["verb"] = {"Id": "x:y", "display": {"en_US": "done"}}
    assert sorted((v.pointer, v.message.split(":")[0]) for v in violations(statement)) == [
        ("/timestamp", "timestamp"),
        ("/verb", "verb"),
        ("/verb/Id", "verb"),
        ("/verb/display/en_US", "language map"),
    ]
