"""Fixtures: a server per test module, and fresh servers per test where isolation is needed."""

import pytest

from support import Server


@pytest.fixture(scope="module")
def server():
    srv = Server()
    yield srv
    srv.stop()


@pytest.fixture
def server_factory():
    """Start extra servers inside one test (fresh database each); all stopped afterwards."""
    started = []

    def start(extra_args=(), extra_env=None, db=None):
        srv = Server(extra_args, extra_env, db)
        started.append(srv)
        return srv

    yield start
    for srv in reversed(started):
        srv.stop()


@pytest.fixture
def fresh_server(server_factory):
    return server_factory()


def pytest_terminal_summary(terminalreporter):
    from support import REPLAY_COUNTS

    if any(REPLAY_COUNTS.values()):
        terminalreporter.write_line(
            "conformance replay cases: {pass} passed, {skip} skipped, {fail} failed".format(**REPLAY_COUNTS)
        )
