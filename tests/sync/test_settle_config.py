"""``settle_time``: how long a run waits for a create an earlier run may still have in flight."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes2tickets.config import build_settings
from notes2tickets.errors import ConfigError


def test_settle_time_defaults_to_5_and_is_read_from_the_config(tmp_path: Path) -> None:
    """No key: 5 s; ``settle_time = 0.5`` in the config file: 0.5 s."""
    assert build_settings(flags={}, environ={}, root=tmp_path).settle_time == 5.0
    (tmp_path / ".notes2tickets.toml").write_text("settle_time = 0.5\n", encoding="utf-8")
    assert build_settings(flags={}, environ={}, root=tmp_path).settle_time == 0.5


@pytest.mark.parametrize("value", ["-1", "5000", '"soon"'])
def test_bad_settle_time_is_a_config_error_naming_the_key(tmp_path: Path, value: str) -> None:
    """Out of 0..3600 or not a number: one ConfigError naming 'settle_time'."""
    (tmp_path / ".notes2tickets.toml").write_text(f"settle_time = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'settle_time' must be"):
        build_settings(flags={}, environ={}, root=tmp_path)
