"""The `celedger` command. Every failure ends in one line on stderr: exit 2 for unusable input,
1 when the machine stood in the way (see pipelines.errors), 3 for a failed quality gate."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipelines.config import one_line, today_in_policy_zone
from pipelines.errors import CeledgerError
from pipelines.progress import Progress, for_stderr
from pipelines.quality import QualityGateFailed

if TYPE_CHECKING:
    from pipelines.run import RunResult


RUN_EXAMPLE = """\
example:
  celedger run --config sample/config --statements sample/statements --out out
    loads the sample program's statements into out/warehouse.duckdb, computes every
    worker's status as of today (in policy.yaml's time zone) and publishes out/site/
"""
PULL_EXAMPLE = """\
example:
  celedger pull --config sample/config --landing landing
    brings what is new from each source in sample/config/sources.yaml into landing/;
    then `celedger run --statements landing ...` reads it like any other folder
"""
DIGEST_EXAMPLE = """\
example:
  celedger digest --config sample/config --warehouse out/warehouse.duckdb --out out --no-send
    archives each supervisor's digest as out/digests/DATE/<supervisor>.eml without
    mailing it (DATE: today in the policy's time zone, the date of the last run)
"""
CHECK_EXAMPLE = """\
example:
  celedger check statements.ndjson drops/
    checks every statement against schemas/xapi-statement.schema.json and prints one line
    a defect, `file:record: statement-id: /json/pointer: message`; exit 1 if any
"""
TOP_EXAMPLE = """\
example:
  celedger run --config sample/config --statements sample/statements --as-of 2026-11-20 --out out

`celedger COMMAND --help` shows each command's options and an example.
"""


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a YYYY-MM-DD date") from None


def package_version() -> str:
    try:
        return version("celedger")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="celedger",
        description="CE compliance from xAPI statements.",
        epilog=TOP_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr, even on a terminal")

    def command(name: str, summary: str, example: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            help=summary,
            description=summary[0].upper() + summary[1:] + ".",
            epilog=example,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=[common],
        )

    today = "default: today in the time zone of the config folder's policy.yaml"
    run = command("run", "load statements, build ledgers and compliance tables, publish", RUN_EXAMPLE)
    run.add_argument("--config", type=Path, required=True, help="config folder (policy.yaml, roster.csv, ...)")
    run.add_argument("--statements", type=Path, nargs="+", required=True, help="statement files or folders")
    run.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD", help=f"status date ({today})")
    run.add_argument("--out", type=Path, required=True, help="folder for CSV, Parquet and the HTML report")
    run.add_argument("--warehouse", type=Path, help="DuckDB file (default: OUT/warehouse.duckdb)")
    run.add_argument("--full", action="store_true", help="recompute every worker's credit, not just the new")
    pull = command("pull", "pull new statements from the sources in sources.yaml", PULL_EXAMPLE)
    pull.add_argument("--config", type=Path, required=True, help="config folder holding sources.yaml")
    pull.add_argument("--landing", type=Path, required=True, help="landing folder (segments and _state/)")
    pull.add_argument("--source", help="pull only this source")
    digest = command("digest", "archive and mail each supervisor's digest about their staff", DIGEST_EXAMPLE)
    digest.add_argument(
        "--config", type=Path, required=True, help="config folder (policy.yaml; digest.yaml: SMTP settings)"
    )
    digest.add_argument("--warehouse", type=Path, required=True, help="the DuckDB file `celedger run` wrote")
    digest.add_argument(
        "--as-of", type=iso_date, metavar="YYYY-MM-DD", help=f"the date the warehouse was computed as of ({today})"
    )
    digest.add_argument("--out", type=Path, required=True, help="folder; digests are archived in OUT/digests/DATE/")
    digest.add_argument("--no-send", action="store_true", help="archive only, mail nothing")
    check = command("check", "check statement files against the xAPI statement schema", CHECK_EXAMPLE)
    check.add_argument("files", type=Path, nargs="+", metavar="FILE", help="statement files or folders")
    return top


def run_command(args: argparse.Namespace, progress: Progress) -> RunResult:
    """`pipelines.run.run`, with each stage shown as it begins."""
    from pipelines.run import run

    return run(args.config, args.statements, args.as_of, args.out, args.warehouse, args.full, on_stage=progress.stage)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # GX logs what it survives (a Data Docs page it could not write) over many lines; the
    # run's own one-line error says what stopped it
    logging.getLogger("great_expectations").addHandler(logging.NullHandler())
    logging.getLogger("great_expectations").propagate = False
    try:
        if getattr(args, "as_of", False) is None:
            args.as_of = today_in_policy_zone(args.config)
        if args.command == "run":
            from pipelines.summary import print_summary

            with for_stderr(args.quiet) as progress:
                result = run_command(args, progress)
            for warning in result.warnings:
                print(f"celedger: warning: {warning}", file=sys.stderr)
            print_summary(result)
        elif args.command == "check":
            from pipelines.statement_schema import check

            checked, unreadable = check(args.files)
            for line in (line for file in checked for line in file.defects):
                print(line)
            for error in unreadable:
                print(f"celedger: error: {error}", file=sys.stderr)
            return 2 if unreadable else 1 if any(file.defects for file in checked) else 0
        elif args.command == "digest":
            from pipelines.digest import DigestSendError, run_digest

            try:
                with for_stderr(args.quiet) as progress:
                    progress.stage("digests" if args.no_send else "digests, mailing")
                    done = run_digest(args.config, args.warehouse, args.as_of, args.out, send=not args.no_send)
            except DigestSendError as err:
                for failure in err.failures:
                    print(f"celedger: error: {failure}", file=sys.stderr)
                return 1
            print(f"{len(done.digests)} digest(s) archived in {done.archive_dir}; {len(done.sent)} sent")
        else:
            from pipelines.pull import pull

            read: dict[str, list[int]] = {}  # source -> [pages, statements]

            with for_stderr(args.quiet) as progress:

                def on_page(source: str, page) -> None:
                    counts = read.setdefault(source, [0, 0])
                    counts[0] += 1
                    counts[1] += len(page.statements)
                    progress.page(source, *counts)

                results = pull(args.config, args.landing, args.source, on_page=on_page)
            failed = 0
            for result in results:
                if result.error:
                    failed += 1
                    print(f"celedger: error: {result.error}", file=sys.stderr)
                else:
                    print(
                        f"{result.source}: {result.statements} new statement(s) in {result.segments} segment(s); "
                        f"watermark {result.watermark or '-'}"
                    )
            return 1 if failed else 0
    except QualityGateFailed as err:
        print(f"celedger: error: {err}", file=sys.stderr)
        return 3
    except CeledgerError as err:
        print(f"celedger: error: {err}", file=sys.stderr)
        return err.exit_code
    except (OSError, duckdb.IOException) as err:  # the machine, where no stage said more
        print(f"celedger: error: {one_line(err)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
