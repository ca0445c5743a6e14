"""The error types the command line turns into one line on stderr and an exit code."""


class CeledgerError(Exception):
    """Unusable input: the run stops before anything is written (exit 2)."""

    exit_code = 2


class RunBlocked(CeledgerError):
    """The input is usable, the machine is not: the warehouse is in use by another run, a
    folder is not writable, the disk is full. Nothing changed; run again once it is fixed
    (exit 1)."""

    exit_code = 1
