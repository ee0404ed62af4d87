"""The partner side of the appliance's API: ``hpx upload``, ``files``, ``download``,
``delete`` and ``login``, and :class:`Client` for programs. It needs httpx and nothing
of the server: ``pip install healthproximate-appliance`` (no extras) installs only it.

An upload opens (or resumes) a multipart session, sends the missing parts over a few
keep-alive connections in parallel, and completes. Progress is kept in a small state
file beside the source (``<file>.hpx-upload.json``), so that running the same command
again after a crash, a reboot or a dropped link sends only what is missing. A
download resumes the same way, from ``<target>.hpx-download``.
"""

from __future__ import annotations

import hashlib
import json
import ssl
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

READ_BYTES = 1024 * 1024
STATE_SUFFIX = ".hpx-upload.json"
RETRIES = 3


class UploadError(Exception):
    """The server refused, or the link failed more often than retries allow."""


@dataclass
class Progress:
    """Progress on stderr, safe to update from several threads: a bar redrawn in place
    on a terminal, or a plain line at every tenth of the way when stderr is a file or
    a pipe (a log, a CI job)."""

    total: int
    done: int = 0
    started: float = 0.0
    label: str = ""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.started = time.monotonic()
        self._start_done = self.done
        self._tty = sys.stderr.isatty()
        self._next_line = self._step_after(self.done)

    def add(self, n: int) -> None:
        with self._lock:
            self.done += n
            if self._tty:
                print("\r" + self.line(), end="", file=sys.stderr, flush=True)
            elif self.done >= self._next_line:
                print(self.line(), file=sys.stderr, flush=True)
                self._next_line = self._step_after(self.done)

    def line(self) -> str:
        """``label  312.0/1024.0 MB  30.5%  85.2 MB/s  ETA 0:08``"""
        share = self.done / self.total if self.total else 1.0
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = (self.done - self._start_done) / elapsed
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        eta = f"{int(left) // 60}:{int(left) % 60:02d}"
        bar = f"[{'#' * int(share * 20):<20}] " if self._tty else ""
        return (
            f"{self.label}  {bar}{self.done / 1e6:.1f}/{self.total / 1e6:.1f} MB"
            f"  {share:6.1%}  {rate / 1e6:6.1f} MB/s  ETA {eta}"
        )

    def _step_after(self, done: int) -> int:
        step = max(1, self.total // 10)
        return (done // step + 1) * step


def upload_file(
    path: Path,
    base_url: str,
    api_key: str,
    *,
    parallel: int = 4,
    verify: Any = True,
    part_size: int | None = None,
) -> dict[str, Any]:
    """Upload ``path`` and return the file object; resumes a session left by a prior run."""
    size = path.stat().st_size
    state_path = path.with_name(path.name + STATE_SUFFIX)
    headers = {"X-API-Key": api_key}
    with httpx.Client(base_url=base_url, headers=headers, verify=verify, timeout=120) as api:
        session = _resume(api, state_path, path)
        if session is None:
            body: dict[str, Any] = {"filename": path.name, "size": size, "sha256": _sha256(path)}
            if part_size:
                body["part_size"] = part_size
            session = _json(api.post("/v1/uploads/multipart", json=body), 201)
            state_path.write_text(
                json.dumps(
                    {
                        "upload_id": session["upload_id"],
                        "size": size,
                        "mtime_ns": path.stat().st_mtime_ns,
                    }
                )
            )
        upload_id = session["upload_id"]
        status = _json(api.get(f"/v1/uploads/multipart/{_segment(upload_id)}"), 200)
        have = {p["part_number"] for p in status["parts_received"]}
        missing = [n for n in range(1, status["part_count"] + 1) if n not in have]
        if have:
            print(
                f"{path.name}: resuming: {len(have)} of {status['part_count']} parts already sent",
                file=sys.stderr,
            )
        progress = Progress(
            total=size, done=sum(p["size"] for p in status["parts_received"]), label=path.name
        )
        part_size = int(status["part_size"])

        def send(numbers: list[int]) -> None:
            with httpx.Client(verify=verify, timeout=300) as link:
                for n in numbers:
                    _send_part(api, link, path, upload_id, n, part_size, progress)

        with ThreadPoolExecutor(max(1, parallel)) as pool:
            shares = [missing[k::parallel] for k in range(parallel)]
            for future in [pool.submit(send, share) for share in shares if share]:
                future.result()
        file = _json(api.post(f"/v1/uploads/multipart/{_segment(upload_id)}/complete"), 201)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    state_path.unlink(missing_ok=True)
    return file


def _resume(api: httpx.Client, state_path: Path, path: Path) -> dict[str, Any] | None:
    """The session of an earlier run, if the file is unchanged and the server still has it."""
    if not state_path.exists():
        return None
    state = json.loads(state_path.read_text())
    st = path.stat()
    if state.get("size") != st.st_size or state.get("mtime_ns") != st.st_mtime_ns:
        return None  # the file changed: start over
    r = api.get(f"/v1/uploads/multipart/{_segment(state['upload_id'])}")
    if r.status_code != 200 or r.json().get("state") == "done":
        return None
    return dict(r.json())


def _send_part(
    api: httpx.Client,
    link: httpx.Client,
    path: Path,
    upload_id: str,
    n: int,
    part_size: int,
    progress: Progress,
) -> None:
    offset = (n - 1) * part_size
    length = min(part_size, path.stat().st_size - offset)
    for attempt in range(1, RETRIES + 1):
        fresh = _json(
            api.post(
                f"/v1/uploads/multipart/{_segment(upload_id)}/parts", json={"part_numbers": [n]}
            ),
            200,
        )
        url = fresh["parts"][0]["upload_url"]
        try:
            r = link.put(
                url,
                content=_read_range(path, offset, length),
                headers={"Content-Length": str(length)},
            )
        except httpx.TransportError as exc:
            if attempt == RETRIES:
                raise UploadError(f"part {n}: {exc}") from exc
            continue
        if r.status_code == 200:
            progress.add(length)
            return
        if r.status_code < 500 or attempt == RETRIES:
            raise UploadError(f"part {n}: {r.status_code} {r.text}")


def _read_range(path: Path, offset: int, length: int) -> Any:
    with open(path, "rb") as fh:
        fh.seek(offset)
        remaining = length
        while remaining:
            block = fh.read(min(READ_BYTES, remaining))
            if not block:
                raise UploadError(f"{path} shrank while being uploaded")
            remaining -= len(block)
            yield block


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _json(response: httpx.Response, expected: int) -> dict[str, Any]:
    if response.status_code != expected:
        try:
            detail = response.json().get("message", response.text)
        except ValueError:
            detail = response.text
        raise UploadError(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {detail}"
        )
    return dict(response.json())


def explain(exc: BaseException) -> str:
    """One line for a person, with what to do when the appliance is not trusted."""
    if "CERTIFICATE_VERIFY_FAILED" in str(exc):
        return (
            "the appliance's TLS certificate is not trusted: pass --cacert FILE (or set"
            " HPX_CA_FILE) with its certificate (hpx serve printed its fingerprint)"
        )
    return str(exc)


def trust(cafile: str | None) -> ssl.SSLContext:
    """The CA file given (e.g. the appliance's self-signed certificate), else the system's."""
    return ssl.create_default_context(cafile=cafile) if cafile else ssl.create_default_context()


# -- the rest of a partner's day: list, download, delete, sign in ------------------------

DOWNLOAD_SUFFIX = ".hpx-download"


def list_files(api: httpx.Client) -> list[dict[str, Any]]:
    """Every file of the key's organization, newest first (all pages)."""
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params = {"limit": "1000"} | ({"cursor": cursor} if cursor else {})
        page = _json(api.get("/v1/files", params=params), 200)
        found += page["files"]
        cursor = page.get("next_cursor")
        if not cursor:
            return found


def download(api: httpx.Client, file_id: str, target: Path | None = None) -> dict[str, Any]:
    """The file's bytes into ``target`` (default: its name, here), checked against its
    SHA-256.

    Bytes arrive in ``<target>.hpx-download``; a later run goes on from where an
    interrupted one stopped (a ``Range`` request), and only a file whose SHA-256 is
    right is renamed to ``target``.
    """
    meta = _json(api.get(f"/v1/files/{_segment(file_id)}"), 200)
    target = target or Path(Path(str(meta["filename"])).name)
    size = int(meta["size"])
    partial = target.with_name(target.name + DOWNLOAD_SUFFIX)
    have = partial.stat().st_size if partial.exists() else 0
    if have > size:
        have = 0  # not a prefix of this file
    progress = Progress(total=size, done=have, label=target.name)
    if have:
        print(f"{target.name}: resuming at {have} of {size} bytes", file=sys.stderr)
    if have < size:
        headers = {"Range": f"bytes={have}-"} if have else {}
        with api.stream("GET", f"/v1/files/{_segment(file_id)}/content", headers=headers) as r:
            if r.status_code not in (200, 206):
                r.read()
                _json(r, 200)
            mode = "ab" if r.status_code == 206 else "wb"
            with open(partial, mode) as out:
                for chunk in r.iter_bytes(READ_BYTES):
                    out.write(chunk)
                    progress.add(len(chunk))
    if _sha256(partial) != meta["sha256"]:
        partial.unlink()
        raise UploadError(f"{file_id}: the downloaded bytes differ from the file's SHA-256")
    partial.replace(target)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    return meta | {"saved_as": str(target)}


def delete(api: httpx.Client, file_id: str) -> None:
    r = api.delete(f"/v1/files/{_segment(file_id)}")
    if r.status_code != 204:
        _json(r, 204)


def _segment(value: str) -> str:
    """An id as one path segment: ``hpx delete ../uploads/multipart/upl_x`` must not
    reach another endpoint (nor ``..`` the one above)."""
    if value in ("", ".", ".."):
        raise UploadError(f"{value!r} is not an id")
    return quote(value, safe="")


def sign_in(base_url: str, email: str, password: str, verify: Any = True) -> dict[str, Any]:
    """A bearer token for a user (``hpx login``)."""
    with httpx.Client(base_url=base_url, verify=verify, timeout=60) as api:
        return _json(api.post("/v1/auth/token", json={"email": email, "password": password}), 200)


PROFILE_FIELDS = frozenset(
    ("name", "type", "nulls", "distinct", "min", "max", "values", "source_name", "non_finite")
)
"""What the appliance measures about a column; every other field of a column in
``GET /v1/datasets/{name}`` comes from the dictionary."""


def dictionary_of(profile: dict[str, Any]) -> dict[str, Any]:
    """The dictionary part of a dataset's profile, as ``PUT .../dictionary`` takes it back:
    ``hpx dataset dictionary NAME > d.json``, edit, ``hpx dataset dictionary NAME d.json``."""
    columns: dict[str, Any] = {}
    for column in profile.get("columns", []):
        fields = {k: v for k, v in column.items() if k not in PROFILE_FIELDS}
        if fields:
            columns[str(column["name"])] = fields
    return {"columns": columns}


# -- the same flows as one object, for programs --------------------------------------------


class Client:
    """A partner program's handle on one appliance: what ``hpx`` does, in Python.

    ``Client("https://host:8443", api_key=..., cacert="appliance.pem")``; ``with``
    closes its connections. Methods raise :class:`UploadError` when the appliance
    refuses (its message included) and ``httpx.HTTPError`` when the link fails.
    """

    def __init__(
        self,
        url: str,
        *,
        api_key: str | None = None,
        token: str | None = None,
        cacert: str | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.token = token
        self.verify = trust(cacert)
        self._api = httpx.Client(base_url=self.url, verify=self.verify, timeout=120)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._api.close()

    def upload(
        self, path: Path | str, *, parallel: int = 4, part_size: int | None = None
    ) -> dict[str, Any]:
        """One file, resumable (multipart, parts in parallel); its file object."""
        return upload_file(
            Path(path),
            self.url,
            self._key(),
            parallel=parallel,
            verify=self.verify,
            part_size=part_size,
        )

    def files(self) -> list[dict[str, Any]]:
        return list_files(self._with_key())

    def download(self, file_id: str, target: Path | str | None = None) -> dict[str, Any]:
        return download(self._with_key(), file_id, Path(target) if target else None)

    def delete(self, file_id: str) -> None:
        delete(self._with_key(), file_id)

    def drop_link(
        self, *, label: str | None = None, max_files: int | None = None,
        expires_in: int | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """A single-use page where a person drops files (its ``url`` is for them)."""
        body: dict[str, Any] = {"protocol": "link"}
        for name, value in (("label", label), ("max_files", max_files),
                            ("expires_in", expires_in)):  # fmt: skip
            if value is not None:
                body[name] = value
        return _json(self._with_key().post("/v1/uploads", json=body), 201)

    def sign_in(self, email: str, password: str) -> dict[str, Any]:
        """Sign in as a user; later :meth:`ask` calls use the token."""
        answer = sign_in(self.url, email, password, self.verify)
        self.token = str(answer["access_token"])
        return answer

    def ask(
        self, question: str, *, dataset: str | None = None, conversation_id: str | None = None
    ) -> dict[str, Any]:
        """The analysis of a question about the organization's tables."""
        from appliance.partner import ask

        if not self.token:
            raise UploadError("sign in first (sign_in), or pass token=")
        return ask.ask(self.url, self.token, question, dataset, self.verify,
                       show=lambda _line: None, conversation_id=conversation_id)  # fmt: skip

    def datasets(self) -> list[dict[str, Any]]:
        """The organization's datasets (one per CSV or TSV file): name, file, rows, columns."""
        return list(_json(self._authorized().get("/v1/datasets"), 200)["datasets"])

    def dataset(self, name: str) -> dict[str, Any]:
        """One dataset's profile: each column's type, nulls, range and dictionary fields."""
        return _json(self._authorized().get(f"/v1/datasets/{_segment(name)}"), 200)

    def dictionary(self, name: str) -> dict[str, Any]:
        """The dataset's data dictionary, in the form :meth:`set_dictionary` takes."""
        return dictionary_of(self.dataset(name))

    def set_dictionary(self, name: str, dictionary: dict[str, Any]) -> dict[str, Any]:
        """Merge ``{"columns": {column: {label, ...}}}`` into the dataset's dictionary (a
        field given as None is removed); the dataset's profile after it."""
        path = f"/v1/datasets/{_segment(name)}/dictionary"
        return _json(self._authorized().put(path, json=dictionary), 200)

    def _authorized(self) -> httpx.Client:
        """The API key if there is one, else the bearer token: datasets take either."""
        if self.api_key:
            return self._with_key()
        if not self.token:
            raise UploadError("this needs an API key or a token: Client(url, api_key=...)")
        self._api.headers["Authorization"] = f"Bearer {self.token}"
        return self._api

    def _key(self) -> str:
        if not self.api_key:
            raise UploadError("this needs an API key: Client(url, api_key=...)")
        return self.api_key

    def _with_key(self) -> httpx.Client:
        self._api.headers["X-API-Key"] = self._key()
        return self._api
