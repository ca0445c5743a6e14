"""The `celedger` command. Every failure ends in one line on stderr: exit 2 for unusable input,
1 when the machine stood in the way (see pipelines.errors), 3 for a failed quality gate."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

import duckdb

from pipelines.config import one_line
from pipelines.errors import CeledgerError
from pipelines.quality import QualityGateFailed


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a YYYY-MM-DD date") from None


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="celedger", description="CE compliance from xAPI statements.")
    commands = top.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="load statements, build ledgers and compliance tables, publish")
    run.add_argument("--config", type=Path, required=True, help="config folder (policy.yaml, roster.csv, ...)")
    run.add_argument("--statements", type=Path, nargs="+", required=True, help="statement files or folders")
    run.add_argument("--as-of", type=iso_date, required=True, help="status date, YYYY-MM-DD")
    run.add_argument("--out", type=Path, required=True, help="folder for CSV, Parquet and the HTML report")
    run.add_argument("--warehouse", type=Path, help="DuckDB file (default: OUT/warehouse.duckdb)")
    run.add_argument("--full", action="store_true", help="recompute every worker's credit, not just the new")
    pull = commands.add_parser("pull", help="pull new statements from the sources in sources.yaml")
    pull.add_argument("--config", type=Path, required=True, help="config folder holding sources.yaml")
    pull.add_argument("--landing", type=Path, required=True, help="landing folder (segments and _state/)")
    pull.add_argument("--source", help="pull only this source")
    digest = commands.add_parser("digest", help="archive and mail each supervisor's digest about their staff")
    digest.add_argument("--config", type=Path, required=True, help="config folder (digest.yaml: SMTP settings)")
    digest.add_argument("--warehouse", type=Path, required=True, help="the DuckDB file `celedger run` wrote")
    digest.add_argument("--as-of", type=iso_date, required=True, help="the date the warehouse was computed as of")
    digest.add_argument("--out", type=Path, required=True, help="folder; digests are archived in OUT/digests/DATE/")
    digest.add_argument("--no-send", action="store_true", help="archive only, mail nothing")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # GX logs what it survives (a Data Docs page it could not write) over many lines; the
    # run's own one-line error says what stopped it
    logging.getLogger("great_expectations").addHandler(logging.NullHandler())
    logging.getLogger("great_expectations").propagate = False
    try:
        if args.command == "run":
            from pipelines.run import run
            from pipelines.summary import print_summary

            result = run(args.config, args.statements, args.as_of, args.out, args.warehouse, args.full)
            for warning in result.warnings:
                print(f"celedger: warning: {warning}", file=sys.stderr)
            print_summary(result)
        elif args.command == "digest":
            from pipelines.digest import DigestSendError, run_digest

            try:
                done = run_digest(args.config, args.warehouse, args.as_of, args.out, send=not args.no_send)
            except DigestSendError as err:
                for failure in err.failures:
                    print(f"celedger: error: {failure}", file=sys.stderr)
                return 1
            print(f"{len(done.digests)} digest(s) archived in {done.archive_dir}; {len(done.sent)} sent")
        else:
            from pipelines.pull import pull

            failed = 0
            for result in pull(args.config, args.landing, args.source):
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
