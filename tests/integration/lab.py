"""Drive the Pagure lab kit (../shared/pagure-lab): set up, start, reset, stop; read its access log and issues.

Used by the integration suite's fixtures and by ``benchmarks/bench_real_pagure.py``. The kit's own
scripts do the work; they stop services only through the PID files they wrote, so this module never
signals a process itself. Nothing here imports notes2tickets: the CLI under test runs as a subprocess.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Mapping, NamedTuple, Optional

import requests

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_KIT = ROOT.parent / "shared" / "pagure-lab"
SIG = "centos-sig-hyperscale/sig"
OTHER = "centos-sig-hyperscale/other"
USERS = ("admin", "davide", "neal", "anita", "michel", "dcavalca", "ngompa", "salimma")
MILESTONES = ("F37", "CentOS Stream 9", "CentOS Stream 8")
PRIORITIES = {"1": "High", "2": "Normal", "3": "Low"}
# A Werkzeug access-log line: 127.0.0.1 - - [date] "GET /path?query HTTP/1.1" 200 -
# (Werkzeug colours 4xx/5xx lines with ANSI escapes, which are removed first.)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ACCESS = re.compile(r'"(GET|POST|PUT|DELETE|HEAD|PATCH) (\S+) HTTP/[0-9.]+" (\d{3})')


class LabError(RuntimeError):
    """A kit script failed; the message carries the end of its output."""


class Hit(NamedTuple):
    """One request as the lab's web server logged it."""

    method: str
    path: str
    status: int


def _may_change(hit: Hit) -> bool:
    return hit.method != "GET" and hit.path != "/api/0/-/whoami" and not 400 <= hit.status < 500


def find_kit(environ: Mapping[str, str]) -> Path:
    """``$PAGURE_LAB_KIT``, else ``../shared/pagure-lab`` next to the repository."""
    return Path(environ.get("PAGURE_LAB_KIT") or DEFAULT_KIT)


def kit_missing(kit: Path) -> Optional[str]:
    """Why the kit cannot be used, or None when it looks complete."""
    missing = [name for name in ("setup.sh", "start.sh", "reset.sh", "stop.sh") if not (kit / name).is_file()]
    if missing:
        return f"no Pagure lab kit at {kit} (set PAGURE_LAB_KIT to the pagure-lab folder)"
    return None


class Lab:
    """One lab folder driven through the kit's scripts (ports from PAGURE_LAB_PORT / PAGURE_LAB_REDIS_PORT)."""

    def __init__(self, kit: Path, folder: Path, environ: Mapping[str, str]) -> None:
        self.kit = kit
        self.folder = folder
        self._environ = {**environ, "PAGURE_LAB": str(folder)}
        self._env: Dict[str, str] = {}
        self._tokens: Dict[str, str] = {}
        self._clean_at: Optional[int] = None  # web.log size right after the last reset/setup; None = unknown
        self.up = False

    # -- the kit's commands -----------------------------------------------------------

    def script(self, name: str, *args: str, timeout: float = 900) -> str:
        argv = [str(self.kit / name), *args]
        done = subprocess.run(argv, env=self._environ, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, check=False)
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
            raise LabError(f"{name} {' '.join(args)} failed with exit {done.returncode} (lab {self.folder}):\n{tail}")
        return done.stdout

    def setup(self) -> str:
        out = self.script("setup.sh")
        self._env = dict(line.split("=", 1) for line in (self.folder / "ENV").read_text().splitlines() if "=" in line)
        self._tokens = json.loads((self.folder / "tokens.json").read_text())
        return out

    def start(self) -> None:
        self.script("start.sh", timeout=120)
        self.up = True

    def stop(self) -> None:
        self.up = False
        self.script("stop.sh", timeout=120)

    def stop_broker(self) -> None:
        """Stop only redis (the celery broker), through the kit's own PID-file helper; ``start()`` brings it back."""
        done = subprocess.run(["bash", "-c", 'KIT=$1; . "$KIT/lib.sh"; stop_bg redis', "-", str(self.kit)],
                              env=self._environ, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            raise LabError(f"stopping redis failed: {done.stderr.strip()[-500:]}")

    def reset(self) -> None:
        """Back to zero issues (same users, projects and tokens), services running."""
        self.up = False
        self.script("reset.sh", "--start", timeout=120)
        self.up = True
        self._clean_at = self._log_size()

    def ensure_pristine(self) -> None:
        """Reset unless the lab is up and nothing can have changed since the last reset.

        Reads change nothing, and neither does a POST that Pagure refused with a 4xx (the preflight's
        empty form, a bad token: pagure-api.md, and the tests here check it) or whoami; any other POST
        (a 200, or a 500 that may come after the commit) means a reset.
        """
        if not self.up or self._clean_at is None or any(_may_change(h) for h in self.hits(self._clean_at)):
            self.reset()

    # -- what the tests need to know ----------------------------------------------------

    @property
    def url(self) -> str:
        return self._env["PAGURE_URL"]

    @property
    def project(self) -> str:
        return self._env["PAGURE_PROJECT"]

    @property
    def token(self) -> str:
        return self._env["PAGURE_TOKEN"]

    def token_of(self, project: str) -> str:
        return self._tokens[project]

    # -- the access log -------------------------------------------------------------------

    @property
    def web_log(self) -> Path:
        return self.folder / "log" / "web.log"

    def _log_size(self) -> int:
        return self.web_log.stat().st_size if self.web_log.exists() else 0

    def mark(self) -> int:
        """A position in the access log; ``hits_since(mark)`` lists what the server got after it."""
        return self._log_size()

    def hits(self, start: int) -> List[Hit]:
        """Requests logged after byte ``start`` of web.log (as far as written now)."""
        with self.web_log.open("rb") as log:
            log.seek(start)
            text = _ANSI.sub("", log.read().decode("utf-8", "replace"))
        return [Hit(m.group(1), m.group(2), int(m.group(3))) for m in _ACCESS.finditer(text)]

    def hits_since(self, start: int) -> List[Hit]:
        """Every request after ``start``, once the server has surely logged them all.

        Werkzeug logs a request when it starts its answer, so a client that got its answer has
        been logged; a sentinel request, sent now and awaited in the log, proves it is flushed.
        """
        sentinel = f"/api/0/-/version?sentinel={uuid.uuid4().hex}"
        requests.get(self.url + sentinel, timeout=10)
        deadline = time.monotonic() + 10
        while True:
            hits = self.hits(start)
            if any(h.path == sentinel for h in hits):
                return [h for h in hits if h.path != sentinel]
            if time.monotonic() > deadline:
                raise LabError(f"the sentinel request never showed in {self.web_log}")
            time.sleep(0.05)


def list_issues(url: str, project: str, token: Optional[str], **params: str) -> List[Dict[str, Any]]:
    """Every issue of ``project`` (all statuses, all pages) as Pagure's API returns them, oldest first."""
    headers = {"Authorization": f"token {token}"} if token else {}
    found: List[Dict[str, Any]] = []
    page = 1
    while True:
        query = {"status": "all", "per_page": "100", "order": "asc", "page": str(page), **params}
        resp = requests.get(f"{url}/api/0/{project}/issues", params=query, headers=headers, timeout=30)
        if resp.status_code != 200:
            raise LabError(f"listing {project} failed: {resp.status_code} {resp.text[:300]}")
        data = resp.json()
        found.extend(data["issues"])
        if page >= data["pagination"]["pages"]:
            return found
        page += 1
