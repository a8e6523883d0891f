"""The one root of every expected failure; only ``cli.main()`` catches it.

Exit codes (documented in ``--help`` and README):
0 ok, 1 expected failure (some file or item failed), 2 usage, config or auth
error, 3 bug, 130 interrupted.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130
INTERRUPTED_LINE = "interrupted: the item in flight (if any) is reconciled on the next run\n"

# The fix for a state path that cannot be used, named in every such message.
FIX_PATH = "pass another path with --state FILE (or set NOTES2TICKETS_STATE)"


class Notes2TicketsError(Exception):
    """An expected failure with a one-line message that names the thing and the fix."""

    exit_code = EXIT_FAILED


class UsageError(Notes2TicketsError):
    """Bad command line or settings."""

    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """A config file, .env file or environment variable is invalid."""


class InputError(Notes2TicketsError):
    """A notes file cannot be read or parsed (exit 1: other files still count)."""


class StateError(Notes2TicketsError):
    """The state database is unreadable, corrupted, newer than us, or locked."""

    exit_code = EXIT_USAGE


class CorruptStateError(StateError):
    """The state file is not a valid database: only ``state rebuild`` moves it aside."""


class TrackerError(Notes2TicketsError):
    """The tracker answered with an error, or could not be reached.

    ``status`` is the HTTP status (None when no answer came), ``code`` Pagure's
    ``error_code``, ``ambiguous`` True when the request may have taken effect
    (timeout, reset, 5xx, HTML instead of JSON).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        url: str | None = None,
        ambiguous: bool = False,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.url = url
        self.ambiguous = ambiguous
        self.fields = fields or {}


class FatalTrackerError(TrackerError):
    """Auth, ACL, project, tracker-disabled/read-only or blocked-user errors: stop the run."""

    exit_code = EXIT_USAGE
