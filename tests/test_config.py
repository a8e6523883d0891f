"""Settings precedence and config-file validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes2tickets.config import DEFAULT_URL, Settings, build_settings, check_project
from notes2tickets.errors import ConfigError
from notes2tickets.tracker.pagure import PagureClient


def _settings(root: Path, *, flags: dict | None = None, environ: dict | None = None) -> Settings:
    return build_settings(flags=flags or {}, environ=environ or {}, root=root)


def test_defaults_without_any_configuration(tmp_path: Path) -> None:
    """No flags, env, .env or config file: pagure.io, no project, no token."""
    settings = _settings(tmp_path)
    assert (settings.url, settings.project, settings.token, settings.config_path) == (DEFAULT_URL, None, None, None)


def test_precedence_flag_env_dotenv_config(tmp_path: Path) -> None:
    """Flags beat the environment, which beats .env, which beats the config file."""
    (tmp_path / ".notes2tickets.toml").write_text('project = "from/config"\nurl = "https://config.example"\n')
    (tmp_path / ".env").write_text("PAGURE_PROJECT=from/dotenv\nPAGURE_URL=https://dotenv.example\nPAGURE_API_TOKEN=DOTENVTOKEN\n")
    env = {"PAGURE_PROJECT": "from/env"}
    assert _settings(tmp_path).project == "from/dotenv"
    assert _settings(tmp_path).url == "https://dotenv.example"
    assert _settings(tmp_path, environ=env).project == "from/env"
    assert _settings(tmp_path, environ=env, flags={"project": "from/flag"}).project == "from/flag"
    assert _settings(tmp_path).token == "DOTENVTOKEN"
    assert _settings(tmp_path, environ={"PAGURE_API_TOKEN": "ENVTOKEN"}).token == "ENVTOKEN"


def test_token_hidden_from_repr(tmp_path: Path) -> None:
    """The token never shows in the settings' repr."""
    settings = _settings(tmp_path, environ={"PAGURE_API_TOKEN": "SECRETTOKEN123"})
    assert "SECRETTOKEN123" not in repr(settings)


def test_pyproject_table(tmp_path: Path) -> None:
    """[tool.notes2tickets] in pyproject.toml is read when there is no .notes2tickets.toml."""
    (tmp_path / "pyproject.toml").write_text('[tool.notes2tickets]\nproject = "ns/repo"\ndefault_tags = ["meetup"]\n')
    settings = _settings(tmp_path)
    assert (settings.project, settings.default_tags, settings.config_path) == ("ns/repo", ("meetup",), tmp_path / "pyproject.toml")


def test_aliases_and_extract_switches(tmp_path: Path) -> None:
    """Aliases are matched case-insensitively; switches turn conventions off."""
    (tmp_path / ".notes2tickets.toml").write_text(
        '[aliases]\n"Neal Gompa" = "ngompa"\n[extract]\nmeetbot = false\nsection_headings = ["Action items"]\n'
        "max_file_bytes = 1024\n"
    )
    options = _settings(tmp_path).extract
    assert options.max_file_bytes == 1024
    assert options.aliases == {"neal gompa": "ngompa"}
    assert (options.meetbot, options.markers, options.section_headings) == (False, True, ("action items",))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("project = [", "invalid TOML"),
        ("projet = 'x'", "unknown key 'projet'"),
        ("private = 'yes'", "'private' must be true or false, not str"),
        ("timeout = true", "'timeout' must be a number, not bool"),
        ("notes = 'meetups'", "'notes' must be a list"),
        ("token = 'abc'", "never put the API token in the config file"),
        ("[extract]\nmarker = true", "unknown key 'extract.marker'"),
        ("[aliases]\nDavide = 3", "must be a tracker username"),
        ("[extract]\nmax_file_bytes = -1", "'extract.max_file_bytes' must be a positive whole number"),
        ("duplicate_threshold = 0.1", "'duplicate_threshold' must be between 0.5 and 1.0"),
        ("project = '../etc'", "invalid Pagure project '../etc'"),
        ("project = 'my repo'", "invalid Pagure project 'my repo'"),
        ("url = 'ftp://x'", "invalid Pagure URL 'ftp://x'"),
        ("url = 'http://[::1'", "invalid Pagure URL 'http://[::1'"),
        ("default_tags = ['meetup,boston']", "'default_tags' entry 'meetup,boston' contains a comma"),
        ("default_tags = ['" + "t" * 256 + "']", "is longer than 255 characters"),
    ],
)
def test_bad_config_is_one_clear_line(tmp_path: Path, text: str, message: str) -> None:
    """Each mistake in the config file names the file or the key."""
    (tmp_path / ".notes2tickets.toml").write_text(text)
    with pytest.raises(ConfigError) as info:
        _settings(tmp_path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_default_tags_keep_order_and_drop_repeats(tmp_path: Path) -> None:
    """Pagure refuses a tag twice in one create (EDBERROR), so repeats go; 255 characters is still fine."""
    longest = "t" * 255
    (tmp_path / ".notes2tickets.toml").write_text(f"default_tags = ['sig', ' meetup ', 'sig', '{longest}']\n")
    assert _settings(tmp_path).default_tags == ("sig", "meetup", longest)


def test_plain_http_with_token_to_remote_host_is_refused(tmp_path: Path) -> None:
    """A token is never sent over plain http except to loopback."""
    env = {"PAGURE_API_TOKEN": "T0KEN", "PAGURE_URL": "http://pagure.example"}
    with pytest.raises(ConfigError, match="refusing to send the API token over plain http to pagure.example"):
        _settings(tmp_path, environ=env)
    assert _settings(tmp_path, environ={**env, "PAGURE_URL": "http://127.0.0.1:8080"}).url == "http://127.0.0.1:8080"
    assert _settings(tmp_path, environ={"PAGURE_URL": "http://pagure.example"}).token is None


@pytest.mark.parametrize("project", ["sig", "centos-sig-hyperscale/sig", "fork/davide/sig", "fork/davide/centos/sig"])
def test_project_forms_accepted(project: str) -> None:
    """The four Pagure project forms are valid."""
    check_project(project)


@pytest.mark.parametrize("project", ["", "a/b/c", "fork/x", "a/../b", "a//b", "fork/u/a/b/c"])
def test_project_forms_refused(project: str) -> None:
    """Anything else is refused with the accepted forms in the message."""
    with pytest.raises(ConfigError, match="use repo, ns/repo"):
        check_project(project)


@pytest.mark.parametrize(
    ("url", "project"),
    [("https://pagure.example/", "/ns/repo/"), (" https://pagure.example// ", " ns/repo"), ("https://pagure.example", "ns/repo")],
)
def test_url_and_project_have_one_spelling(tmp_path: Path, url: str, project: str) -> None:
    """State rows are keyed by URL and project: trailing '/' and blanks go, and the client agrees."""
    settings = _settings(tmp_path, environ={"PAGURE_URL": url, "PAGURE_PROJECT": project})
    assert (settings.url, settings.project) == ("https://pagure.example", "ns/repo")
    client = PagureClient(url=url, project=project, token=None)
    assert (client.base_url, client.project) == (settings.url, settings.project)


def test_url_with_query_is_refused_without_echoing_it(tmp_path: Path) -> None:
    """A query or fragment has no place in a tracker URL; the message leaves it (and any secret in it) out."""
    with pytest.raises(ConfigError) as info:
        _settings(tmp_path, environ={"PAGURE_URL": "https://pagure.example/?key=s3cr3t"})
    assert str(info.value).startswith("invalid Pagure URL 'https://pagure.example/': use https://host")
    assert "s3cr3t" not in str(info.value)
