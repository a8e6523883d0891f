"""Secrets out of output: one redactor for the CLI, the hooks, state and Pagure's words."""

from __future__ import annotations

from notes2tickets.redact import one_line, safe_url


def test_one_line_hides_the_token_and_token_shapes() -> None:
    """The known token, an Authorization header and a 64-character key are all hidden; the text is one line."""
    key = "A" * 64
    text = f"bad T0K3N\nAuthorization: token abc\t\u2028{key} end"
    assert one_line(text, "T0K3N") == "bad <hidden> Authorization: token <hidden> <hidden> end"


def test_one_line_cuts_at_the_limit() -> None:
    """A limit keeps the line at most that long, ending with an ellipsis."""
    assert one_line("a" * 10, limit=5) == "aaaa…"
    assert one_line("a" * 5, limit=5) == "aaaaa"


def test_safe_url_drops_credentials_and_query() -> None:
    """user:password@ and the query string never reach a message."""
    assert safe_url("https://bot:pw@pagure.example/api/0/x?token=t#f") == "https://pagure.example/api/0/x"
    assert safe_url("http://bot:pw@[::1/x?token=t") == "http://[::1/x"
    assert safe_url(None) == ""
