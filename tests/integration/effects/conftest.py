"""The fixture servers every effect gate test shares: one set per module, emptied for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.effects.pages import Sites, sites_fixture


@pytest.fixture(scope="module")
def sites() -> Iterator[Sites]:
    yield from sites_fixture()


@pytest.fixture
def pages(sites: Sites) -> Sites:
    sites.reset()
    return sites
