"""Every request ends by its deadline, whatever the server does (stand-ins on 127.0.0.1)."""

from __future__ import annotations

import time

import pytest

from notes2tickets.errors import TrackerError
from notes2tickets.tracker.pagure import PagureClient
from tests.slowserver import SlowServer

PROJECT = "sig"


def _client(url: str, *, timeout: float = 1.0, read_deadline: float | None = None) -> PagureClient:
    return PagureClient(url=url, project=PROJECT, token=None, timeout=timeout, retries=0, read_deadline=read_deadline)


@pytest.mark.parametrize("mode", ["hang", "trickle", "trickle-headers", "endless"])
def test_request_ends_by_its_deadline(mode: str) -> None:
    """A hanging, trickling (body or headers) or endless answer is a TrackerError within the 1 s deadline."""
    with SlowServer(mode, interval=0.3, limit=15) as server:
        start = time.monotonic()
        with pytest.raises(TrackerError) as info:
            _client(server.url).get_issue(1)
        elapsed = time.monotonic() - start
    assert elapsed < 2.5, f"{mode}: took {elapsed:.1f}s"
    assert "timed out" in str(info.value) or "failed" in str(info.value)
    assert "\n" not in str(info.value)


def test_retries_share_nothing_but_each_has_a_deadline() -> None:
    """Two attempts of a trickled GET take about two deadlines, not forever."""
    with SlowServer("trickle", interval=0.3, limit=15) as server:
        client = PagureClient(url=server.url, project=PROJECT, token=None, timeout=0.5, retries=1, backoff=0.0)
        start = time.monotonic()
        with pytest.raises(TrackerError):
            client.get_issue(1)
        assert time.monotonic() - start < 2.5
        assert len(server.requests) == 2


def test_run_read_deadline_bounds_all_reads() -> None:
    """With a 1 s read deadline, many retried GETs of 0.6 s each stop at the deadline with a clear message."""
    with SlowServer("trickle", interval=0.3, limit=15) as server:
        client = PagureClient(
            url=server.url, project=PROJECT, token=None, timeout=0.6, retries=10, backoff=0.0, read_deadline=1.0
        )
        start = time.monotonic()
        with pytest.raises(TrackerError) as info:
            list(client.iter_issues())
        assert time.monotonic() - start < 2.0
    assert "read deadline" in str(info.value) and "read_deadline" in str(info.value)


def test_endless_body_is_capped_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """An endless body stops at MAX_BODY even before the deadline (no MemoryError)."""
    from notes2tickets.tracker import transport

    monkeypatch.setattr(transport, "MAX_BODY", 256 * 1024)
    with SlowServer("endless", limit=15) as server:
        with pytest.raises(TrackerError) as info:
            _client(server.url, timeout=10.0).get_issue(1)
    assert "the answer is larger than 0.25 MiB" in str(info.value)
