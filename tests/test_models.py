"""The model graph: warehouse/models.yaml lists every model once, in an order the SQL agrees
with, and each model builds the table it is named for."""

import re
import shutil

import pytest

from pipelines import models


def test_every_model_file_builds_the_table_it_is_named_for():
    for model in models.all_models():
        sql = model.path.read_text()
        built = re.findall(r"^(?:create or replace (?:temp )?(?:table|view)|insert into|delete from) (\w+)", sql, re.M)
        assert built and set(built) == {model.name}, model.path


def test_the_steps_run_staging_then_the_batch_then_the_ledger():
    assert [m.name for m in models.step_models("staging")][-1] == "quarantine_records"
    assert [m.name for m in models.step_models("batch")] == ["int_statement_copies"]
    assert [m.name for m in models.step_models("ledger")][:1] == ["int_batch_ids"]


@pytest.fixture
def tree(tmp_path):
    """A copy of warehouse/ to break."""
    copy = tmp_path / "warehouse"
    shutil.copytree(models.MODELS, copy)
    return copy


def swap(manifest: str, first: str, second: str) -> str:
    """The manifest with two of its lines swapped."""
    lines = manifest.splitlines()
    i, j = lines.index(f"  - {first}"), lines.index(f"  - {second}")
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "damage, message",
    [
        (
            lambda t: (t / "models.yaml").write_text(
                swap((t / "models.yaml").read_text(), "intermediate/int_credits_course", "intermediate/int_credits")
            ),
            "intermediate/int_credits reads int_credits_course, int_credits_homework, which models.yaml runs after it",
        ),
        (lambda t: (t / "marts" / "extra.sql").write_text("select 1"), "does not list marts/extra"),
        (lambda t: (t / "marts" / "rejections.sql").unlink(), "lists marts/rejections, which has no .sql file"),
    ],
    ids=["read before it is built", "a file not listed", "a listed file missing"],
)
def test_a_manifest_the_sql_disagrees_with_is_refused_naming_the_model(tree, damage, message):
    damage(tree)
    with pytest.raises(models.ModelGraphError, match=re.escape(message)):
        models.graph(tree)


def test_the_book_may_be_read_as_the_last_run_left_it_before_its_model_runs():
    scope = next(m for m in models.step_models("ledger") if m.name == "int_scope_workers")
    book = next(m for m in models.step_models("ledger") if m.name == "ledger_book")
    assert "ledger_book" in scope.reads
    assert models.step_models("ledger").index(scope) < models.step_models("ledger").index(book)
