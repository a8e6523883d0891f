"""Settings: flags > environment > .env > config file > defaults, built once.

This is the only module that looks at environment variables (``cli`` hands it
``os.environ``); everything else receives a frozen ``Settings``.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Optional
from urllib.parse import urlsplit, urlunsplit

from notes2tickets.errors import ConfigError
from notes2tickets.model import DEFAULT_SECTION_HEADINGS, ExtractOptions, tag_problem
from notes2tickets.redact import safe_url

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10 in CI
    import tomli as tomllib

DEFAULT_URL = "https://pagure.io"
CONFIG_FILE = ".notes2tickets.toml"
DEFAULT_NOTES_FOLDERS = ("meetups", "meetings", "minutes", "notes")
# Markdown notes and zodbot's plain-text minutes (*.txt) under each default folder.
DEFAULT_NOTES_GLOBS = tuple(f"{folder}/**/*.{ext}" for ext in ("md", "txt") for folder in DEFAULT_NOTES_FOLDERS)
ENV_KEYS = ("PAGURE_URL", "PAGURE_PROJECT", "PAGURE_API_TOKEN", "NOTES2TICKETS_STATE")
_PROJECT_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*")


@dataclass(frozen=True)
class Settings:
    """Everything a command needs; the token is kept out of ``repr``."""

    url: str = DEFAULT_URL
    project: Optional[str] = None
    token: Optional[str] = field(default=None, repr=False)
    state_path: Optional[Path] = None
    root: Path = Path(".")
    config_path: Optional[Path] = None
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    default_tags: tuple[str, ...] = ()
    private: bool = False
    notes: tuple[str, ...] = DEFAULT_NOTES_GLOBS
    link_template: Optional[str] = None
    duplicate_threshold: float = 0.9
    strict_push: bool = False
    close_done: bool = False
    annotate_links: bool = False
    timeout: float = 30.0
    lock_timeout: float = 30.0
    read_deadline: float = 300.0  # all of one run's reads of the tracker, in seconds
    settle_time: float = 5.0  # seconds an earlier run's create may still take to arrive
    xdg_state_home: Optional[str] = None
    home: Path = Path("~")
    warnings: tuple[str, ...] = ()  # problems that do not stop a run (a .env line python-dotenv cannot parse)

    def require_project(self) -> str:
        if not self.project:
            raise ConfigError(
                "no Pagure project set: pass --project NS/REPO, set $PAGURE_PROJECT, "
                f"or put project = \"ns/repo\" in {CONFIG_FILE}"
            )
        return self.project


def build_settings(
    *,
    flags: Mapping[str, Any],
    environ: Mapping[str, str],
    root: Path,
) -> Settings:
    """Merge the layers; ``flags`` holds only the options given on the command line."""
    config_path, file_cfg = load_config_file(root)
    settings = _from_config(file_cfg, config_path, root)
    dotenv, warnings = _dotenv(root)
    env = {**dotenv, **{k: v for k, v in environ.items() if k in ENV_KEYS}}
    token = env.get("PAGURE_API_TOKEN") or None
    _token_not_an_alias(settings, token)
    project = flags.get("project") or env.get("PAGURE_PROJECT") or settings.project
    return replace(
        settings,
        url=check_url(flags.get("url") or env.get("PAGURE_URL") or settings.url, token=token),
        project=None if project is None else check_project(project),
        token=token,
        state_path=_path(flags.get("state") or env.get("NOTES2TICKETS_STATE")),
        xdg_state_home=environ.get("XDG_STATE_HOME") or None,
        home=Path(environ.get("HOME") or Path.home()),
        warnings=warnings,
    )


def _token_not_an_alias(settings: Settings, token: Optional[str]) -> None:
    """An alias whose value is the API token would put the token in warnings and ticket bodies."""
    if not token:
        return
    for name, user in settings.extract.aliases.items():
        if token.strip() in user:
            raise ConfigError(
                f"{settings.config_path or CONFIG_FILE}: 'aliases.\"{name}\"' holds the API token: "
                "an alias maps a name to a tracker username; fix the value (and consider the token leaked: renew it)"
            )


def token_values(environ: Mapping[str, str], root: Path) -> list[str]:
    """Every API token this run may know (environment and ``<root>/.env``), to hide wherever it appears; never raises."""
    values = [environ.get("PAGURE_API_TOKEN") or ""]
    try:
        values.append(_dotenv(root)[0].get("PAGURE_API_TOKEN") or "")
    except (ConfigError, OSError):
        pass
    return [v.strip() for v in values if v.strip()]


def _path(value: Optional[str]) -> Optional[Path]:
    return Path(value).expanduser() if value else None


def _dotenv(root: Path) -> tuple[dict[str, str], tuple[str, ...]]:
    """Values of ``<root>/.env`` for our keys (never written into ``os.environ``), and its problems as warnings."""
    path = root / ".env"
    if not path.is_file():
        return {}, ()
    from dotenv import dotenv_values  # only when a .env exists: keeps start-up light

    # python-dotenv logs what it cannot parse ("could not parse statement starting at line N")
    # on its own logger; catch it here and say it our way, naming the file.
    catcher = _DotenvWarnings(path)
    logger = logging.getLogger("dotenv.main")
    logger.addHandler(catcher)
    propagate, logger.propagate = logger.propagate, False
    try:
        values = dotenv_values(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc.__class__.__name__}); fix or remove the file") from None
    finally:
        logger.removeHandler(catcher)
        logger.propagate = propagate
    return {k: v for k, v in values.items() if k in ENV_KEYS and v}, tuple(catcher.messages)


class _DotenvWarnings(logging.Handler):
    """Keeps python-dotenv's log records as ``.env line N: …`` messages."""

    def __init__(self, path: Path) -> None:
        super().__init__(logging.WARNING)
        self.path = path
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        line = re.search(r"line (\d+)", text)
        if line is not None:
            self.messages.append(f".env line {line.group(1)}: cannot parse this line, so it is ignored; fix it in {self.path}")
        else:
            self.messages.append(f".env: {text}")


def load_config_file(root: Path) -> tuple[Optional[Path], dict[str, Any]]:
    """``.notes2tickets.toml`` at the root, else ``[tool.notes2tickets]`` of ``pyproject.toml``."""
    own = root / CONFIG_FILE
    if own.is_file():
        return own, _read_toml(own)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        table = _read_toml(pyproject).get("tool", {}).get("notes2tickets")
        if table is not None:
            if not isinstance(table, dict):
                raise ConfigError(f"{pyproject}: [tool.notes2tickets] must be a table")
            return pyproject, table
    return None, {}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc.__class__.__name__})") from None


_TOP_KEYS: dict[str, type | tuple[type, ...]] = {
    "url": str,
    "project": str,
    "notes": list,
    "default_tags": list,
    "private": bool,
    "link_template": str,
    "duplicate_threshold": (int, float),
    "strict_push": bool,
    "close_done": bool,
    "annotate_links": bool,
    "timeout": (int, float),
    "lock_timeout": (int, float),
    "read_deadline": (int, float),
    "settle_time": (int, float),
    "aliases": dict,
    "extract": dict,
}
_EXTRACT_KEYS = ("task_lists", "action_sections", "markers", "meetbot")
SUGGESTION_MODES = ("show", "file", "off")


def _from_config(cfg: Mapping[str, Any], path: Optional[Path], root: Path) -> Settings:
    where = str(path) if path else CONFIG_FILE
    if "token" in cfg:
        raise ConfigError(f"{where}: never put the API token in the config file; set $PAGURE_API_TOKEN or use .env")
    for key, value in cfg.items():
        expected = _TOP_KEYS.get(key)
        if expected is None:
            raise ConfigError(f"{where}: unknown key '{key}'{_did_you_mean(key, _TOP_KEYS)}")
        if not isinstance(value, expected) or (expected != bool and isinstance(value, bool)):
            raise ConfigError(f"{where}: '{key}' must be {_type_name(expected)}, not {type(value).__name__}")
    threshold = float(cfg.get("duplicate_threshold", 0.9))
    if not 0.5 <= threshold <= 1.0:
        raise ConfigError(f"{where}: 'duplicate_threshold' must be between 0.5 and 1.0, not {threshold}")
    for key in ("timeout", "lock_timeout", "read_deadline"):
        if key in cfg and not 0 < float(cfg[key]) <= 3600:
            raise ConfigError(f"{where}: '{key}' must be between 0 and 3600 seconds")
    if "settle_time" in cfg and not 0 <= float(cfg["settle_time"]) <= 3600:
        raise ConfigError(f"{where}: 'settle_time' must be between 0 and 3600 seconds")
    return Settings(
        url=cfg.get("url", DEFAULT_URL),
        project=cfg.get("project"),
        root=root,
        config_path=path,
        extract=_extract_options(cfg.get("extract", {}), cfg.get("aliases", {}), where),
        default_tags=_tags(cfg.get("default_tags", []), where),
        private=cfg.get("private", False),
        notes=tuple(_globs(cfg.get("notes", list(DEFAULT_NOTES_GLOBS)), where)),
        link_template=_link_template(cfg.get("link_template"), where),
        duplicate_threshold=threshold,
        strict_push=cfg.get("strict_push", False),
        close_done=cfg.get("close_done", False),
        annotate_links=cfg.get("annotate_links", False),
        timeout=float(cfg.get("timeout", 30.0)),
        lock_timeout=float(cfg.get("lock_timeout", 30.0)),
        read_deadline=float(cfg.get("read_deadline", 300.0)),
        settle_time=float(cfg.get("settle_time", 5.0)),
    )


def _extract_options(table: Mapping[str, Any], aliases: Mapping[str, Any], where: str) -> ExtractOptions:
    switches: dict[str, Any] = {}
    for key, value in table.items():
        if key == "section_headings":
            continue
        if key == "max_file_bytes":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{where}: 'extract.max_file_bytes' must be a positive whole number of bytes")
            switches[key] = value
            continue
        if key == "suggestions":
            if value not in SUGGESTION_MODES:
                raise ConfigError(f"{where}: 'extract.suggestions' must be \"show\", \"file\" or \"off\", not {value!r}")
            switches[key] = value
            continue
        if key not in _EXTRACT_KEYS:
            known = (*_EXTRACT_KEYS, "section_headings", "max_file_bytes", "suggestions")
            raise ConfigError(f"{where}: unknown key 'extract.{key}'{_did_you_mean(key, known, prefix='extract.')}")
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: 'extract.{key}' must be true or false")
        switches[key] = value
    headings = _strings(table.get("section_headings", list(DEFAULT_SECTION_HEADINGS)), "extract.section_headings", where)
    alias_map = {}
    for name, user in aliases.items():
        if not isinstance(user, str) or not user.strip():
            raise ConfigError(f"{where}: 'aliases.\"{name}\"' must be a tracker username (a string)")
        alias_map[name.strip().lower()] = user.strip()
    return ExtractOptions(
        section_headings=tuple(h.strip().lower() for h in headings),
        aliases=alias_map,
        **switches,
    )


def _did_you_mean(key: str, known: Any, prefix: str = "") -> str:
    from difflib import get_close_matches

    close = get_close_matches(key, list(known), n=1, cutoff=0.6)
    if close:
        return f": did you mean '{prefix}{close[0]}'?"
    return f"; known keys: {', '.join(prefix + k for k in sorted(known))}"


def glob_problem(glob: str) -> Optional[str]:
    """Why ``glob`` cannot be a notes glob (relative to the repository root, git pathspec rules), or None."""
    bare = glob
    while bare.startswith("./"):
        bare = bare[2:]
    if glob.startswith(("/", "~")) or re.match(r"^[A-Za-z]:[\\/]", glob):
        return f"is not relative: notes globs are relative to the repository root, so write {bare.lstrip('/~')!r}"
    if ".." in bare.split("/"):
        return "leaves the repository: notes globs name files under the repository root"
    if glob.startswith(":"):
        return "is a git pathspec with magic: write a plain glob such as 'meetups/**/*.md'"
    if not bare or any(ord(ch) < 32 for ch in glob):
        return "is empty or holds a control character"
    return None


def _globs(value: Any, where: str) -> list[str]:
    globs = _strings(value, "notes", where)
    for glob in globs:
        why = glob_problem(glob)
        if why:
            raise ConfigError(f"{where}: 'notes' entry {glob[:80]!r} {why}")
    return globs


def _strings(value: Any, key: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of non-empty strings")
    return [v.strip() for v in value]


def _tags(value: Any, where: str) -> tuple[str, ...]:
    """Tags Pagure can store: one comma-separated field, so no comma inside; at most 255 characters."""
    tags = _strings(value, "default_tags", where)
    for tag in tags:
        why = tag_problem(tag)
        if why:
            raise ConfigError(f"{where}: 'default_tags' entry {tag[:40]!r} {why}, which Pagure cannot store")
    return tuple(dict.fromkeys(tags))


# The fields ``git.permalinks.line_url`` fills in a link template.
LINK_FIELDS = ("base", "commit", "path", "line", "style")


def _link_template(template: Optional[str], where: str) -> Optional[str]:
    """A template ``str.format`` can fill with LINK_FIELDS, checked now rather than at the first filing."""
    if template is None:
        return None
    sample: dict[str, Any] = {name: "x" for name in LINK_FIELDS}
    sample["line"] = 1
    try:
        template.format(**sample)
    except KeyError as exc:
        problem = f"unknown field {{{exc.args[0]}}}"
    except (IndexError, ValueError, AttributeError, TypeError) as exc:
        problem = f"not a valid template ({exc})"
    else:
        return template
    known = ", ".join(f"{{{name}}}" for name in LINK_FIELDS)
    raise ConfigError(f"{where}: 'link_template' {template[:80]!r}: {problem}; use the fields {known} (write {{{{ for a brace)")


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {str: "a string", list: "a list", bool: "true or false", dict: "a table", int: "a number", float: "a number"}
    if isinstance(expected, tuple):
        return names[expected[0]]
    return names[expected]


def check_url(url: str, *, token: Optional[str]) -> str:
    """The tracker URL in its one spelling (no trailing ``/``: state rows are keyed by it); ConfigError if unusable."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname  # ValueError for a broken [IPv6] address
    except ValueError:
        parts, host = urlsplit(""), None
    if parts.scheme not in ("http", "https") or not host or parts.query or parts.fragment:
        raise ConfigError(
            f"invalid Pagure URL {safe_url(url)!r}: use https://host (--url, $PAGURE_URL or 'url' in the config file)"
        )
    if parts.username or parts.password:
        raise ConfigError(
            "the Pagure URL must not carry credentials: remove them from --url / $PAGURE_URL and set $PAGURE_API_TOKEN instead"
        )
    if parts.scheme == "http" and token and not is_loopback(host):
        raise ConfigError(
            f"refusing to send the API token over plain http to {host}: "
            "use an https:// URL (--url or $PAGURE_URL)"
        )
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_project(project: str) -> str:
    """The project in its one spelling: ``repo``, ``ns/repo``, ``fork/user/repo`` or ``fork/user/ns/repo``.

    Surrounding blanks and ``/`` go (a path copied from the project's URL);
    anything else Pagure would not call a project is a ConfigError.
    """
    parts = project.strip().strip("/").split("/")
    shapes = (3, 4) if parts[0] == "fork" else (1, 2)
    if len(parts) not in shapes or not all(_PROJECT_SEGMENT.fullmatch(part) for part in parts):
        raise ConfigError(
            f"invalid Pagure project {project[:80]!r}: use repo, ns/repo, fork/user/repo or fork/user/ns/repo "
            "(--project, $PAGURE_PROJECT or 'project' in the config file)"
        )
    return "/".join(parts)
