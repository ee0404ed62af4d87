"""A throwaway single-node Ceph cluster with its S3 gateway (RADOS Gateway), for the
object-store tests: one monitor, one OSD keeping objects in memory, one radosgw, all
on 127.0.0.1 under a temporary directory, started without systemd in about 2 s.

The daemons run in the foreground in their own sessions; this module keeps their PIDs
and stops only those. ``./install.sh --test`` installs the Debian packages
(ceph-mon, ceph-osd, radosgw, ceph-common).
"""

from __future__ import annotations

import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import trustme
from _pytest.mark.structures import ParameterSet

BINARIES = ("ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "ceph", "monmaptool")
DEADLINE_S = 120.0


def available() -> bool:
    return all(shutil.which(b) for b in BINARIES)


def param(value: str) -> ParameterSet:
    """A parametrization's value whose test takes the ``ceph`` fixture through
    ``request.getfixturevalue``, where the marking by fixture names cannot see it: it
    carries the ``s3`` marker (out of the quick loop) and the group that keeps the
    cluster on one xdist worker."""
    return pytest.param(value, marks=[pytest.mark.s3, pytest.mark.xdist_group("ceph")], id=value)


@dataclass
class Ceph:
    root: Path
    endpoint: str
    ca_file: Path | None = None
    """With TLS: the authority of the gateway's certificate."""
    access_key: str = field(default_factory=lambda: secrets.token_hex(10))
    secret_key: str = field(default_factory=lambda: secrets.token_hex(20), repr=False)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def conf(self) -> Path:
        return self.root / "ceph.conf"

    def settings(self, bucket: str) -> dict[str, str]:
        """The appliance's settings for this object store, as ``make_server`` takes them."""
        settings = {
            "store": "s3",
            "s3_endpoint_url": self.endpoint,
            "s3_bucket": bucket,
            "s3_access_key_id": self.access_key,
            "s3_secret_access_key": self.secret_key,
        }
        if self.ca_file is not None:
            settings["s3_ca_bundle"] = str(self.ca_file)
        return settings

    # -- daemons -----------------------------------------------------------------------

    def _start(self, name: str, *command: str) -> None:
        log = open(self.root / "log" / f"{name}.out", "ab")
        self.processes[name] = subprocess.Popen(
            [*command, "-f", "-c", str(self.conf)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def _stop(self, name: str, grace_s: float = 0.0) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace_s or 0.01)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)

    def _ceph(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["ceph", "-c", str(self.conf), "--connect-timeout", "5", *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )

    def _wait(self, what: str, ready: object) -> None:
        deadline = time.monotonic() + DEADLINE_S
        while not ready():  # type: ignore[operator]
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited; logs in {self.root / 'log'}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} not up after {DEADLINE_S} s; logs in {self.root}")
            time.sleep(0.1)  # the poll interval of a wait on a daemon's own status

    def _osd_active(self) -> bool:
        out = subprocess.run(
            ["ceph", "--admin-daemon", str(self.root / "run" / "osd.0.asok"), "status"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return '"active"' in out.stdout

    def _gateway_answers(self) -> bool:
        try:
            verify = ssl.create_default_context(cafile=self.ca_file)
            return httpx.get(self.endpoint + "/", timeout=5, verify=verify).status_code == 200
        except httpx.TransportError:
            return False

    def start_gateway(self) -> None:
        self._start("rgw", "radosgw", "-n", "client.rgw")
        self._wait("radosgw", self._gateway_answers)

    def stop_gateway(self) -> None:
        self._stop("rgw", grace_s=15)

    def stop(self) -> None:
        for name in ("rgw", "osd", "mon"):
            self._stop(name, grace_s=5)


def start(root: Path, ca: trustme.CA | None = None) -> Ceph:
    """Create and start the cluster under ``root``, with an S3 user for the tests; with
    ``ca``, the gateway speaks HTTPS with a certificate from it (as a production object
    store does: the appliance then sends bodies unsigned, TLS protecting them)."""
    for sub in ("log", "run", "mon", "osd"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    mon_port, gateway_port = _free_port(), _free_port()
    gateway = f"127.0.0.1:{gateway_port}"
    if ca is None:
        ceph = Ceph(root, f"http://{gateway}")
        frontend = f"beast endpoint={gateway}"
    else:
        ceph = Ceph(root, f"https://{gateway}", ca_file=root / "ca.pem")
        ca.cert_pem.write_to_path(str(root / "ca.pem"))
        issued = ca.issue_cert("127.0.0.1")
        issued.cert_chain_pems[0].write_to_path(str(root / "rgw.pem"))
        issued.private_key_pem.write_to_path(str(root / "rgw.key"))
        frontend = (f"beast ssl_endpoint={gateway} ssl_certificate={root / 'rgw.pem'}"
                    f" ssl_private_key={root / 'rgw.key'}")  # fmt: skip
    fsid, osd_uuid = str(uuid.uuid4()), str(uuid.uuid4())
    ceph.conf.write_text(_CONF.format(fsid=fsid, mon_port=mon_port, root=root, frontend=frontend))
    mkfs_log = open(root / "log" / "mkfs.out", "ab")
    try:
        monmap = str(root / "monmap")
        addr = f"[v2:127.0.0.1:{mon_port}]"
        run = lambda *c: subprocess.run(c, stdout=mkfs_log, stderr=subprocess.STDOUT,  # noqa: E731
                                        check=True, timeout=60)  # fmt: skip
        run("monmaptool", "--create", "--fsid", fsid, "--addv", "a", addr, monmap)
        run("ceph-mon", "-c", str(ceph.conf), "-i", "a", "--mkfs", "--monmap", monmap)
        ceph._start("mon", "ceph-mon", "-i", "a")
        ceph._wait("ceph-mon", lambda: ceph._ceph("mon", "stat").returncode == 0)
        created = ceph._ceph("osd", "new", osd_uuid)
        if created.stdout.strip() != "0":
            raise RuntimeError(f"ceph osd new: {created.stdout} {created.stderr}")
        run("ceph-osd", "-c", str(ceph.conf), "-i", "0", "--mkfs", "--osd-uuid", osd_uuid)
        ceph._start("osd", "ceph-osd", "-i", "0")
        ceph._wait("ceph-osd", ceph._osd_active)
        ceph.start_gateway()
        run("radosgw-admin", "-c", str(ceph.conf), "user", "create", "--uid=hpx-tests",
            "--display-name=hpx tests", f"--access-key={ceph.access_key}",
            f"--secret-key={ceph.secret_key}")  # fmt: skip
    except BaseException:
        ceph.stop()
        raise
    finally:
        mkfs_log.close()
    return ceph


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


_CONF = """\
[global]
fsid = {fsid}
mon host = [v2:127.0.0.1:{mon_port}]
public addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
paxos propose interval = 0.05
paxos min wait = 0.01
run dir = {root}/run
log file = {root}/log/$name.log
admin socket = {root}/run/$name.asok
mon data = {root}/mon
osd data = {root}/osd
mon allow pool size one = true
osd pool default size = 1
osd pool default pg num = 8
osd objectstore = memstore
osd fast shutdown = false
memstore device bytes = 4G
osd memory target = 1G
rgw gc obj min wait = 5
rgw gc processor period = 5
rgw frontends = {frontend}
"""
