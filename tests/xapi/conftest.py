"""Fixtures of the xAPI tests: Ralph, a real LRS (tests/xapi/lrs.py)."""

import pytest

from tests.xapi.lrs import RalphLrs, require_ralph


@pytest.fixture(scope="module")
def ralph_server(tmp_path_factory):
    """One Ralph per test module (starting it takes a few seconds), stopped at the module's end."""
    require_ralph()
    server = RalphLrs(tmp_path_factory.mktemp("ralph"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def ralph_lrs(ralph_server) -> RalphLrs:
    """The module's Ralph, running (started again if an earlier test killed it). What earlier
    tests of the module delivered is still there: tell statements apart by their force."""
    if not ralph_server.running:
        ralph_server.start()
    return ralph_server
