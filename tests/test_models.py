"""The model graph: warehouse/models.yaml lists every model once, in an order the SQL agrees
with, and each model builds the table it is named for; the models and queries keep the
jaffle-shop style the README describes."""

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
    assert [m.name for m in models.step_models("staging")][-2:] == ["quarantine_records", "warning_records"]
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


def code_of(path) -> str:
    """A SQL file's text without `--` comments and string literals, lower-cased."""
    return re.sub(r"--[^\n]*|'(?:[^']|'')*'", " ", path.read_text()).lower()


def test_no_cte_takes_a_model_name_so_the_order_check_sees_only_real_reads():
    names = {model.name for model in models.all_models()}
    for model in models.all_models():
        ctes = re.findall(r"(?:^|\bwith\s+)(\w+)\s+as\s+(?:not\s+)?(?:materialized\s+)?\(", code_of(model.path), re.M)
        assert not set(ctes) & names, model.path


# the jaffle-shop style (README, "How it works")
STYLED = [
    path
    for layer in ("staging", "intermediate", "marts", "site", "digest", "audit")
    for path in sorted((models.MODELS / layer).glob("*.sql"))
]


# a query's last words: `select * from final`, perhaps leaving out sort keys, perhaps ordered
FINAL = r"select \* (?:exclude \([^)]*\)\s+)?from final\s*(?:order by [^()]*)?$"


@pytest.mark.parametrize("path", STYLED, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_styled_sql_names_no_one_letter_alias_and_ends_each_query_with_select_from_final(path):
    code = code_of(path)
    assert not re.findall(r"\bas\s+[a-z]\b", code), "a one-letter alias"
    queries = [q for q in code.split(";") if re.search(r"\bwith\b", q) and not q.strip().startswith("update")]
    assert queries, "no query with CTEs"
    for query in queries:
        assert re.search(FINAL, query.strip()), query[-200:]
