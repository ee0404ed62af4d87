"""nginx from Debian as the peer of the upload benchmarks: a PUT through its dav module,
over HTTPS with the same certificate as the appliance, on a free loopback port.

Started with a configuration of its own in a temporary directory and stopped by its
PID; it never touches /etc/nginx or a system service.
"""

from __future__ import annotations

import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

CONFIG = """
daemon off;
master_process on;
worker_processes {workers};
user root;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    client_max_body_size 0;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.2 TLSv1.3;
        root {prefix}/root;
        location /put/ {{
            dav_methods PUT;
            create_full_put_path on;
        }}
        location = /healthz {{ return 200 "ok"; }}
    }}
}}
"""


@dataclass
class Nginx:
    url: str
    root: Path
    process: subprocess.Popen[bytes]

    def stored(self, name: str) -> Path:
        return self.root / "put" / name

    def stop(self) -> None:
        self.process.send_signal(signal.SIGQUIT)
        self.process.wait(timeout=30)


def start_nginx(work: Path, cert: Path, key: Path, workers: int | str = "auto") -> Nginx:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    prefix = work / "nginx"
    (prefix / "root" / "put").mkdir(parents=True, exist_ok=True)
    (prefix / "body").mkdir(exist_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conf = prefix / "nginx.conf"
    conf.write_text(CONFIG.format(prefix=prefix, port=port, cert=cert, key=key, workers=workers))
    process = subprocess.Popen(
        [binary, "-c", str(conf), "-p", str(prefix)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    nginx = Nginx(f"https://127.0.0.1:{port}", prefix / "root", process)
    ctx = ssl.create_default_context(cafile=str(cert))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(nginx.url + "/healthz", context=ctx, timeout=2)
            return nginx
        except (OSError, ssl.SSLError):
            if process.poll() is not None:
                raise RuntimeError((prefix / "error.log").read_text()) from None
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("nginx did not start")
