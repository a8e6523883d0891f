"""Permalinks to a line of the notes: the git remote's web URL at the current commit."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple, Optional

from notes2tickets.git.command import GitError, git

# {base} web URL of the repository, {commit} full sha, {path} path in the repo, {line} 1-based line.
LINK_STYLES = {
    "pagure": "{base}/blob/{commit}/f/{path}#_{line}",
    "gitlab": "{base}/-/blob/{commit}/{path}#L{line}",
    "github": "{base}/blob/{commit}/{path}#L{line}",
}

_SCP_LIKE = re.compile(r"^(?:[^@/]+@)?(?P<host>[^:/]+):(?P<path>[^/].*)$")


class RepoLink(NamedTuple):
    base: str
    commit: str
    style: str


def _git(root: Path, *args: str) -> Optional[str]:
    try:
        return os.fsdecode(git(root, *args)).strip()
    except GitError:
        return None  # no remote, no commit, no git: the ticket names the line without a link


def web_base(remote: str) -> Optional[str]:
    """``https://host/path`` for an http(s), ssh:// or scp-like remote; None for local paths."""
    remote = remote.strip()
    if remote.startswith(("http://", "https://", "ssh://", "git://")):
        scheme, _, rest = remote.partition("://")
        host_and_path = rest.split("@", 1)[-1]
        host, _, path = host_and_path.partition("/")
        host = host.split(":", 1)[0] if scheme != "https" and scheme != "http" else host
        web_scheme = "http" if scheme == "http" else "https"
    else:
        match = _SCP_LIKE.match(remote)
        if not match or "/" in match.group("host"):
            return None
        host, path, web_scheme = match.group("host"), match.group("path"), "https"
    path = path.strip("/")
    if path.endswith(".git"):
        path = path[: -len(".git")]
    if not path:
        return None
    return f"{web_scheme}://{host}/{path}"


def _style(base: str) -> str:
    host = base.split("://", 1)[1].split("/", 1)[0].lower()
    if "github" in host:
        return "github"
    if "gitlab" in host or "salsa" in host or "framagit" in host:
        return "gitlab"
    return "pagure"


def repo_link(root: Path) -> Optional[RepoLink]:
    """The repository's web URL (``origin`` first, else the first remote) and HEAD commit."""
    remotes = (_git(root, "remote") or "").split()
    if not remotes:
        return None
    name = "origin" if "origin" in remotes else remotes[0]
    url = _git(root, "remote", "get-url", name)
    commit = _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    base = web_base(url) if url else None
    if not base or not commit:
        return None
    # Pagure serves "forks/<user>/<repo>" as "fork/<user>/<repo>" on the web.
    base = re.sub(r"://([^/]+)/forks/", r"://\1/fork/", base)
    return RepoLink(base=base, commit=commit, style=_style(base))


def line_url(link: Optional[RepoLink], template: Optional[str], *, path: str, line: int) -> Optional[str]:
    """Fill the configured template, else the remote's own style; None without a remote."""
    if link is None and not (template and "{base}" not in template and "{commit}" not in template):
        return None
    fields = {"path": path, "line": line, "base": "", "commit": "", "style": ""}
    if link is not None:
        fields.update(base=link.base, commit=link.commit, style=link.style)
    chosen = template or LINK_STYLES[link.style if link else "pagure"]
    return chosen.format(**fields)
