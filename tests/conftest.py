"""Test-wide guards: no real home, config, state or network; loopback only."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

pytest_plugins = ["tests.fixtures"]

_ENV_TO_CLEAR = (
    "PAGURE_URL",
    "PAGURE_PROJECT",
    "PAGURE_API_TOKEN",
    "NOTES2TICKETS_STATE",
    "NOTES2TICKETS_HOOK",
    "NOTES2TICKETS_CONFIG",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME, XDG dirs and git's global config into a temporary folder."""
    home = tmp_path_factory.mktemp("home")
    for name in _ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "test@example.invalid")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "test@example.invalid")
    return home


_real_connect = socket.socket.connect


def _loopback_only_connect(self: socket.socket, address: object) -> None:
    host = address[0] if isinstance(address, tuple) else None
    if self.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1", "localhost"):
        raise RuntimeError(f"tests may only connect to loopback, not {address!r}")
    _real_connect(self, address)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any connection that is not to 127.0.0.1 (responses mocks never connect)."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only_connect)


@pytest.fixture(autouse=True)
def plan_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process runs file in the plan's order (a real run picks its first item at random, see filing.first_pick)."""
    monkeypatch.setattr("notes2tickets.sync.filing.first_pick", lambda count: 0)
