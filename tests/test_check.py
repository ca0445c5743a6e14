"""`celedger check FILE...`: every defect on a line of its own, exit 1 if any, 0 if none, 2 for
a file it cannot read; no config and no warehouse."""

import json
from pathlib import Path

from pipelines.cli import main
from tests.corpus.make_xapi_corpus import BASE

ROOT = Path(__file__).resolve().parent.parent
GOOD = BASE  # a valid statement, the one the xAPI corpus starts from


def bad(**changes) -> dict:
    return {**GOOD, **changes}


def test_defects_one_line_each_and_exit_1(tmp_path, capsys):
    misspelt = {("Verb" if key == "verb" else key): value for key, value in bad(result={"duration": "P4W1"}).items()}
    lines = [GOOD, bad(timestamp="2026-01-05T15:00:00-00:00"), misspelt]
    path = tmp_path / "vendor.ndjson"
    path.write_text("\n".join(json.dumps(s) for s in lines) + "\n{broken\n")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    sid = GOOD["id"]
    assert out[0].startswith(f"{path}:2: {sid}: /timestamp: timestamp: ")
    assert f'{path}:3: {sid}: /Verb: statement: unknown key "Verb" (keys are case-sensitive)' in out
    assert any(line.startswith(f"{path}:3: {sid}: /result/duration: result duration: ") for line in out)
    assert any(line.startswith(f'{path}:3: {sid}: : statement: "verb" is missing') for line in out)
    assert out[-1] == f"{path}:4: -: : not valid JSON"
    assert len(out) == 5


def test_clean_files_in_every_form_exit_0(tmp_path, capsys):
    (tmp_path / "drop").mkdir()
    (tmp_path / "drop" / "array.json").write_text(json.dumps([GOOD, GOOD]))
    (tmp_path / "drop" / "one.json").write_text(json.dumps(GOOD, indent=2))
    (tmp_path / "drop" / "lines.ndjson").write_text(json.dumps(GOOD) + "\n\n" + json.dumps(GOOD) + "\n")
    (tmp_path / "drop" / "empty.json").write_text("")
    (tmp_path / "drop" / "_state.json").write_text("not json")  # skipped, as `run` skips it
    assert main(["check", str(tmp_path / "drop"), str(tmp_path / "drop" / "one.json")]) == 0
    assert capsys.readouterr().out == ""


def test_sample_statements_name_their_defects(capsys):
    """The sample's deliberately bad records, and nothing else."""
    assert main(["check", str(ROOT / "sample" / "statements")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[0].rsplit("/", 1)[1] for line in out] == [
        "lms-completions.json:84",
        "lms-completions.json:128",
        "lms-completions.json:167",
        "webinar-platform.ndjson:93",
    ]


def test_lax_json_and_repeated_keys_are_defects(tmp_path, capsys):
    text = json.dumps(GOOD)
    path = tmp_path / "lax.json"
    path.write_text("[" + text.replace('"version": "1.0.3"', '"version": NaN') + ", " + text[:-1] + ', "id": "x"}]')
    assert main(["check", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{path}:1: -: : not strict JSON (NaN)",
        f"{path}:2: -: : a key appears twice in one object",
    ]


def test_unreadable_file_exit_2(tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(bad(id="nope")))
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": 1},')
    assert main(["check", str(good), str(broken), str(tmp_path / "missing.json")]) == 2
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{good}:1: nope: /id: statement id: ")
    assert captured.err.splitlines() == [
        f"celedger: error: {broken}: not valid JSON (Expecting value: line 1 column 12 (char 11))",
        f"celedger: error: {tmp_path / 'missing.json'}: no such statement file or folder",
    ]
