"""The issue listing: it ends at the page count the first page announced and at a hard cap, and says where it is."""

from __future__ import annotations

from typing import List

import pytest
import requests
import responses

from notes2tickets.tracker import pagure
from notes2tickets.tracker.pagure import PagureClient
from tests.tracker.test_pagure import API, _page, client, query_of, rsps, sleeps  # noqa: F401 - fixtures


def _endless(request: requests.PreparedRequest) -> tuple[int, dict, str]:
    """Every page announces one page more than itself and a next link: a listing that never ends by itself."""
    import json

    page = int(query_of_url(request.url or "")["page"])
    body = _page(range(page * 100, page * 100 + 100), page, page + 1)
    return 200, {}, json.dumps(body)


def query_of_url(url: str) -> dict:
    from urllib.parse import parse_qs, urlsplit

    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_listing_stops_at_the_page_count_of_the_first_page(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """Page 1 says 2 pages; page 2 then says 3 (issues filed meanwhile): the listing still ends after page 2."""
    rsps.add(responses.GET, f"{API}/issues", json=_page(range(1, 101), 1, 2))
    rsps.add(responses.GET, f"{API}/issues", json=_page(range(101, 201), 2, 3))
    issues = list(client.iter_issues())
    assert len(issues) == 200
    assert [query_of(c)["page"] for c in rsps.calls] == ["1", "2"]


def test_endless_listing_ends_at_the_hard_cap(rsps: responses.RequestsMock, sleeps: List[float],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A server whose every page says "next" (and more pages than the first announced) is read MAX_PAGES times at most."""
    monkeypatch.setattr(pagure, "MAX_PAGES", 5)
    lines: List[str] = []
    endless = PagureClient(url="https://pagure.io", project="centos-sig-hyperscale/sig", token=None,
                           sleep=sleeps.append, progress=lines.append)
    rsps.add_callback(responses.GET, f"{API}/issues", callback=_endless)
    # The first page announces 2 pages, so the announced count ends it first; a first page that announces
    # an absurd count is stopped by the cap.
    assert len(list(endless.iter_issues())) == 200
    rsps.calls.reset()
    rsps.replace(responses.GET, f"{API}/issues", json={**_page(range(1, 101), 1, 10**6)})
    assert len(list(endless.iter_issues())) == 100  # the same page each time: ids are yielded once
    assert len(rsps.calls) == 5
    assert lines[-1] == "warning: stopped reading the tracker after 5 pages"


def test_listing_prints_a_line_per_page_and_per_retry(rsps: responses.RequestsMock, sleeps: List[float]) -> None:
    """A 3-page listing with one 503 says 'page N of 3' for each page and 'retrying in 0.5 s (503 ...)'."""
    lines: List[str] = []
    talking = PagureClient(url="https://pagure.io", project="centos-sig-hyperscale/sig", token=None,
                           sleep=sleeps.append, progress=lines.append)
    rsps.add(responses.GET, f"{API}/issues", json=_page(range(1, 101), 1, 3))
    rsps.add(responses.GET, f"{API}/issues", status=503, body="busy")
    rsps.add(responses.GET, f"{API}/issues", json=_page(range(101, 201), 2, 3))
    rsps.add(responses.GET, f"{API}/issues", json=_page(range(201, 251), 3, 3))
    assert len(list(talking.iter_issues())) == 250
    assert lines == ["reading the tracker: page 1 of 3", "retrying in 0.5 s (503 from the tracker)",
                     "reading the tracker: page 2 of 3", "reading the tracker: page 3 of 3"]
    assert sleeps == [0.5]


def test_one_page_listing_is_silent(rsps: responses.RequestsMock, sleeps: List[float]) -> None:
    """The quick look between creates (one page) prints nothing."""
    lines: List[str] = []
    quiet = PagureClient(url="https://pagure.io", project="centos-sig-hyperscale/sig", token=None,
                         sleep=sleeps.append, progress=lines.append)
    rsps.add(responses.GET, f"{API}/issues", json=_page(range(1, 3), 1, 1))
    assert len(list(quiet.iter_issues(since=1.0))) == 2
    assert lines == []


def test_open_listing_asks_for_status_open(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """status="Open" (case-sensitive on Pagure) is sent as given."""
    rsps.add(responses.GET, f"{API}/issues", json=_page(range(1, 2), 1, 1))
    list(client.iter_issues(status="Open"))
    assert query_of(rsps.calls[0])["status"] == "Open"
