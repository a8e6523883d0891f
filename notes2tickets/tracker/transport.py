"""The HTTP session: every request ends by a deadline, whatever the server does.

A socket timeout bounds each read, not the request: a server that sends its
headers and then one byte every half second never trips it. So each request
(connect, headers and the whole body) runs in a daemon thread and the caller
waits for it until the deadline, then gives up with ``requests.Timeout``; the
abandoned thread ends with its socket or with the process. Bodies are read in
full in that thread, and one larger than ``MAX_BODY`` is refused: an endless
answer can cost neither unbounded time nor unbounded memory.

Reads (GETs) also share the run's overall read deadline, when one is set.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Optional

import requests

MAX_BODY = 64 * 1024 * 1024  # a page of 100 Pagure issues is well under 1 MiB
_CHUNK = 64 * 1024


class DeadlineExceeded(requests.Timeout):
    """No complete answer by the deadline (the request's own, or the run's read deadline)."""

    def __init__(self, message: str, *, run_deadline: bool = False) -> None:
        super().__init__(message)
        self.run_deadline = run_deadline


class BodyTooLarge(requests.RequestException):
    """The answer's body is larger than ``MAX_BODY``."""


class DeadlineSession(requests.Session):
    """A ``requests.Session`` whose ``timeout`` is a total deadline per request.

    ``read_deadline`` (a ``time.monotonic()`` instant, or None) bounds every
    GET of the run as a whole.
    """

    def __init__(self) -> None:
        super().__init__()
        self.read_deadline: Optional[float] = None

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        timeout = kwargs.pop("timeout", None)
        seconds = float(timeout) if isinstance(timeout, (int, float)) else 30.0
        deadline, run_bound = time.monotonic() + seconds, False
        if method.upper() == "GET" and self.read_deadline is not None and self.read_deadline < deadline:
            deadline, run_bound = self.read_deadline, True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DeadlineExceeded("the run's read deadline has passed", run_deadline=run_bound)
        kwargs["stream"] = True
        kwargs["timeout"] = remaining  # the socket's own timeout too: a silent server costs no thread for long
        send = _Call(lambda: self._complete(super(DeadlineSession, self).request(method, url, **kwargs)))
        return send.result(remaining, run_bound)

    @staticmethod
    def _complete(resp: requests.Response) -> requests.Response:
        """Read the whole body now (in the worker thread), refusing one over ``MAX_BODY``."""
        chunks, size = [], 0
        try:
            for chunk in resp.iter_content(_CHUNK):
                size += len(chunk)
                if size > MAX_BODY:
                    raise BodyTooLarge(f"answer is larger than {MAX_BODY / (1024 * 1024):g} MiB")
                chunks.append(chunk)
        finally:
            resp.close()
        resp._content = b"".join(chunks)  # what ``resp.content`` returns from now on
        return resp


class _Call:
    """One call run in a daemon thread; ``result`` waits for it until a timeout."""

    def __init__(self, func: Any) -> None:
        self._func = func
        self._done = threading.Event()
        self._value: Optional[requests.Response] = None
        self._error: Optional[BaseException] = None
        threading.Thread(target=self._run, name="notes2tickets-request", daemon=True).start()

    def _run(self) -> None:
        try:
            self._value = self._func()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            self._error = exc
        finally:
            self._done.set()

    def result(self, timeout: float, run_bound: bool) -> requests.Response:
        if not self._done.wait(timeout):
            what = "the run's read deadline" if run_bound else f"the {timeout:.3g}s deadline"
            raise DeadlineExceeded(f"no complete answer by {what}", run_deadline=run_bound)
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value
