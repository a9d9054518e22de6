"""Fixtures: a server per test module, and fresh servers per test where isolation is needed.

Servers run as a tenant created today (no `enabled_clients` on connections) unless a module
overrides `enabled_clients_mode`; parametrized over ENABLED_CLIENTS_MODES, every test of the
module runs against both (API.md, `serve --legacy-enabled-clients`).
"""

import pytest

from support import LEGACY_ENABLED_CLIENTS, Server, fresh_db

ENABLED_CLIENTS_MODES = ["default", "legacy"]


def mode_args(mode):
    return [LEGACY_ENABLED_CLIENTS] if mode == "legacy" else []


@pytest.fixture(scope="module")
def enabled_clients_mode():
    return "default"


@pytest.fixture(scope="module")
def backend():
    """The store behind the module's servers; modules that run on both override it with
    `params=BACKENDS` (support.py)."""
    return "sqlite"


@pytest.fixture(scope="module")
def server(enabled_clients_mode, backend):
    srv = Server(mode_args(enabled_clients_mode), db=fresh_db(backend))
    yield srv
    srv.stop()


@pytest.fixture
def server_factory(enabled_clients_mode, backend):
    """Start extra servers inside one test (fresh database each, in the module's
    enabled_clients mode and backend); all stopped afterwards."""
    started = []

    def start(extra_args=(), extra_env=None, db=None):
        srv = Server([*mode_args(enabled_clients_mode), *extra_args], extra_env, db or fresh_db(backend))
        started.append(srv)
        return srv

    yield start
    for srv in reversed(started):
        srv.stop()


@pytest.fixture
def fresh_server(server_factory):
    return server_factory()


def pytest_terminal_summary(terminalreporter):
    from openapi_check import COUNTS
    from support import REPLAY_COUNTS

    if COUNTS["checked"]:
        terminalreporter.write_line(
            "responses checked against docs/openapi.json: {checked} ({operations} against an operation)".format(**COUNTS)
        )

    if any(REPLAY_COUNTS.values()):
        terminalreporter.write_line(
            "conformance replay cases: {pass} passed, {skip} skipped, {fail} failed".format(**REPLAY_COUNTS)
        )
