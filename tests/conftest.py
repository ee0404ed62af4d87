"""Real servers for real tests: Hypercorn over TLS on 127.0.0.1, a real data directory.

The certificate authority comes from trustme; each server is a separate process
(``python -m appliance serve``) so that tests can also kill and restart it.
"""

from __future__ import annotations

import gc
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import trustme
from argon2 import PasswordHasher

from appliance import config
from appliance.accounts import users
from tests import ceph as ceph_cluster
from tests import postgres as pg_cluster
from tests.ceph import Ceph
from tests.cli_runner import hermetic_env
from tests.postgres import Postgres

# tests.servers brings the whole application (its HTTP layer, the question reader and
# its word tables: 1.5 s of CPU). The fixtures import it when they start something, so
# that pytest-xdist's controller, which loads this file and runs no test, does not.
if TYPE_CHECKING:
    from tests.servers import InProcess, MakeServer, Server, ServerWith
    from tests.test_scale_out import Nodes


@pytest.fixture(autouse=True)
def hermetic_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the machine's /etc/healthproximate/appliance.toml or a stray
    ``HPX_*`` variable: settings come from what the test gives."""
    for name in [k for k in os.environ if k.startswith("HPX_")]:
        monkeypatch.delenv(name)
    monkeypatch.setattr(config, "DEFAULT_CONFIG_FILE", Path("/nonexistent/appliance.toml"))


TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
"""argon2id at its lowest cost (8 KiB, one pass): the hasher of the tests' own process.
The tests sign in a few hundred times, and each check at the production parameters is a
third of a CPU-second (a hash's parameters are in the hash: verification costs what
hashing did). What is tested is the same (a wrong password fails, the hash is argon2id
and not the password); tests/test_signin.py checks the production parameters."""


@pytest.fixture(scope="session")
def production_hasher() -> PasswordHasher:
    """The application's own hasher, as ``appliance.accounts.users`` made it."""
    return users._hasher


@pytest.fixture(scope="session", autouse=True)
def password_hashing_cheap(production_hasher: PasswordHasher) -> Iterator[None]:
    """In the tests' process, passwords are hashed with :data:`TEST_HASHER`; the
    production hasher is unchanged, and the processes the tests start (``hpx serve``,
    ``hpx``) hash at its parameters."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "_hasher", TEST_HASHER)
        yield


@pytest.fixture(autouse=True)
def scale_out_services_are_marked(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that started Ceph or PostgreSQL carries the ``s3`` marker, or it fails: the
    quick loop (``-m "not install and not e2e and not s3"``) must need neither."""
    yield
    used = sorted({"ceph", "postgres"} & set(request.fixturenames))
    if used and request.node.get_closest_marker("s3") is None:
        pytest.fail(
            f"{request.node.nodeid} uses {', '.join(used)} without the s3 marker: take the "
            "fixture as an argument, or parametrize with ceph.param / postgres.param"
        )


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def make_server(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MakeServer]:
    """Factory: start a server with extra ``HPX_*`` settings; all are stopped at the end."""
    from tests.servers import Server, free_port, stop_all

    started: list[Server] = []
    cert = ca.issue_cert("127.0.0.1", "localhost")
    tls_dir = tmp_path_factory.mktemp("tls")
    cert_path, key_path = tls_dir / "cert.pem", tls_dir / "key.pem"
    cert_path.write_bytes(b"".join(pem.bytes() for pem in cert.cert_chain_pems))
    cert.private_key_pem.write_to_path(str(key_path))

    def make(tls: bool = True, data_dir: Path | None = None, **settings: str) -> Server:
        data_dir = data_dir or tmp_path_factory.mktemp("data")
        env = hermetic_env({"HPX_AUTH_FAILURES_PER_MINUTE": "10000"})
        if tls:
            env["HPX_TLS_CERT"], env["HPX_TLS_KEY"] = str(cert_path), str(key_path)
        env.update({f"HPX_{k.upper()}": v for k, v in settings.items()})
        server = Server(data_dir, free_port(), ca, env, data_dir.parent / f"{data_dir.name}.log")
        if not tls:
            server.pinned_cert = data_dir / "tls" / "cert.pem"
        server.start()
        started.append(server)
        return server

    yield make
    stop_all(started)


@pytest.fixture(scope="session")
def server_with(make_server: MakeServer) -> ServerWith:
    """Factory: the session's one server with these ``HPX_*`` settings, started on first
    use (each xdist worker has its own). For tests that leave it as they found it for
    the next (each with its own organization and data; a worker runs one test at a
    time); a test that stops, kills, fills or reconfigures its server, or reads the
    whole of its data or its log, takes ``make_server``. Each start is an interpreter
    importing the application: about 1.8 CPU-s (docs/performance.md)."""
    started: dict[tuple[tuple[str, str], ...], Server] = {}

    def get(**settings: str) -> Server:
        key = tuple(sorted(settings.items()))
        if key not in started:
            started[key] = make_server(**settings)
        return started[key]

    return get


@pytest.fixture(scope="session")
def s3_server(server_with: ServerWith, ceph: Ceph) -> Server:
    """One server on the object store for the session, for the tests that leave it as
    they found it (tests/test_object_store.py, tests/test_single_use.py)."""
    return server_with(**ceph.settings("hpx-shared"))


@pytest.fixture(scope="session")
def scaled_out_nodes(
    make_server: MakeServer,
    ceph: Ceph,
    postgres: Postgres,
    tmp_path_factory: pytest.TempPathFactory,
) -> Nodes:
    """Two nodes of one appliance for the session (tests/test_scale_out.py), for the
    tests that leave them as they found them."""
    from tests.test_scale_out import start_nodes

    return start_nodes(make_server, ceph, postgres, tmp_path_factory.mktemp("nodes"))


@pytest.fixture(scope="session")
def shared_server(server_with: ServerWith) -> Server:
    """One server process for the tests that do not need settings of their own."""
    return server_with()


@pytest.fixture(scope="session")
def server(shared_server: Server) -> Server:
    """What a test talks to: the shared process, unless its module overrides this with
    ``app_in_process``."""
    return shared_server


@pytest.fixture(scope="session")
def real_server(shared_server: Server) -> Server:
    """The shared process, for a test about connections or TLS in a module that runs
    in process."""
    return shared_server


@pytest.fixture(
    scope="session", params=["sqlite", pg_cluster.param("postgresql"), ceph_cluster.param("s3")]
)
def app_in_process(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> InProcess:
    """The application in this process over its own data directory; a module opts in
    by overriding ``server`` with it. Its tests run three times: SQLite and the local
    tree (the default); PostgreSQL (``database_url``); PostgreSQL and the object store
    (``store = "s3"``, docs/scale-out.md)."""
    from tests.servers import in_process

    settings: dict[str, object] = {}
    if request.param in ("postgresql", "s3"):
        postgres: Postgres = request.getfixturevalue("postgres")
        settings["database_url"] = postgres.new_database()
    if request.param == "s3":
        ceph: Ceph = request.getfixturevalue("ceph")
        settings |= ceph.settings(f"in-process-{secrets.token_hex(4)}")
        settings["s3_ca_bundle"] = ceph.ca_file
    return in_process(tmp_path_factory.mktemp("in-process"), **settings)


@pytest.fixture(scope="session")
def app_on_sqlite(tmp_path_factory: pytest.TempPathFactory) -> InProcess:
    """The application in this process on SQLite and the local tree only, for modules
    whose subject is not the database or the store (the analytics questions); a module
    opts in by overriding ``server`` with it."""
    from tests.servers import in_process

    return in_process(tmp_path_factory.mktemp("in-process-sqlite"))


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A PostgreSQL server for the session (tests/postgres.py), one per xdist worker."""
    if not pg_cluster.available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; ./install.sh --test installs it")
        pytest.skip("PostgreSQL is not installed (./install.sh --test installs it)")
    server = pg_cluster.start()
    yield server
    server.stop()


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--whole-sweeps",
        action="store_true",
        help="the rest of each exhaustive sweep whole, not the part that covers its shapes "
        "(tests/sweeps.py)",
    )


def pytest_configure(config: pytest.Config) -> None:
    from tests import sweeps

    sweeps.WHOLE = bool(config.getoption("whole_sweeps"))


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is imported by now (the application, the libraries, the tests and their
    tables) lives as long as the process: frozen, the collector no longer walks it at
    each full collection, nor five times over at the end of the session (pytest's
    search for unraisable exceptions)."""
    gc.freeze()


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Layers, by what a test needs: ``install`` runs install.sh; ``e2e`` a real server
    process over TLS; the rest run in this process. ``serial`` tests measure latency or
    kill processes at random moments: they run alone, after the parallel part."""
    for item in items:
        module = item.module.__name__ if isinstance(item, pytest.Function) else ""
        fixtures = set(getattr(item, "fixturenames", ()))
        # A fixture taken through request.getfixturevalue is not among fixturenames: its
        # parameter carries the markers (ceph.param, postgres.param), and
        # scale_out_services_are_marked fails a test that took it unmarked.
        if "ceph" in fixtures:
            item.add_marker(pytest.mark.s3)
            item.add_marker(pytest.mark.xdist_group("ceph"))
        elif "postgres" in fixtures:
            item.add_marker(pytest.mark.s3)
        if module.endswith("test_install") or item.get_closest_marker("install"):
            item.add_marker(pytest.mark.install)
        elif module.endswith(E2E_MODULES) or fixtures & {"make_server", "real_server"}:
            item.add_marker(pytest.mark.e2e)
        elif fixtures & {"server", "client"} and not fixtures & IN_PROCESS:
            item.add_marker(pytest.mark.e2e)
        # In the quick loop, a module's tests run on one worker (with --dist loadgroup,
        # the default): its module-scoped fixtures (an organization with its tables and a
        # signed-in user) are made once, not on each worker and again each time the
        # worker comes back to the module.
        quick = not any(item.get_closest_marker(m) for m in ("install", "e2e", "s3"))
        if quick and module and item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(f"module-{module}"))
    # xdist hands out the groups first (largest first), then single tests in this order:
    # a long test collected late would start late and end the run alone (test_schema
    # ran its last 32 s with three of four workers idle).
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


E2E_MODULES = ("test_server", "test_readme", "test_schema", "test_client")
IN_PROCESS = {"app_in_process", "app_on_sqlite"}  # what a module's ``server`` may be instead


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Summaries tests attached with ``record_property("summary", lines)`` (the analytics
    development set's accuracy by kind), also from xdist's workers."""
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        for name, lines in getattr(report, "user_properties", []):
            if name == "summary":
                for line in lines:
                    terminalreporter.write_line(str(line))


@pytest.fixture(scope="session")
def ceph(tmp_path_factory: pytest.TempPathFactory, ca: trustme.CA) -> Iterator[Ceph]:
    """One test Ceph cluster with its S3 gateway for the session (tests/ceph.py). The
    modules that use it put their tests in the xdist group "ceph", so that one worker
    starts it."""
    if not ceph_cluster.available():
        if os.environ.get("CI"):
            pytest.fail("Ceph is not installed; ./install.sh --test installs it")
        pytest.skip("Ceph is not installed (./install.sh --test installs it)")
    cluster = ceph_cluster.start(tmp_path_factory.mktemp("ceph"), ca)  # HTTPS, as in production
    yield cluster
    cluster.stop()
