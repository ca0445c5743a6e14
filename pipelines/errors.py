"""The one error type the command line turns into a one-line message and exit code 2."""


class CeledgerError(Exception):
    """Unusable input: the run stops before anything is written."""
