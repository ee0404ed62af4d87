"""The :class:`storage.Store` contract, checked on both implementations: the local
tree and the S3 store on a real Ceph RADOS Gateway. What the upload services rely on
— nothing partial visible under a name, names never overwritten, parts and resumable
bytes joined in order with an exact SHA-256 — must hold on each."""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from storage import LocalStore, NotStored, S3Config, S3Store, Store
from tests.ceph import Ceph

pytestmark = pytest.mark.xdist_group("ceph")
MIB = 1024 * 1024
ORG = "org_contract"


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "local":
        yield LocalStore(tmp_path / "orgs", reserve=0)
        return
    ceph: Ceph = request.getfixturevalue("ceph")
    bucket = f"contract-{secrets.token_hex(4)}"
    config = S3Config(ceph.endpoint, bucket, ca_bundle=ceph.ca_file,
                      access_key_id=ceph.access_key, secret_access_key=ceph.secret_key)  # fmt: skip
    s3_store = S3Store(config, tmp_path / "cache")
    s3_store.prepare()
    yield s3_store


def write(store: Store, data: bytes, chunk: int = 256 * 1024, org: str = ORG) -> object:
    """A writer fed ``data`` in chunks and finished: a staged object."""

    async def go() -> object:
        writer = store.open_writer(org, len(data))
        for i in range(0, len(data), chunk):
            await writer.write(data[i : i + chunk])
        digest = await writer.finish()
        assert digest == hashlib.sha256(data).hexdigest()
        assert writer.size == len(data)
        return writer

    return asyncio.run(go())


def read(store: Store, name: str, org: str = ORG) -> bytes:
    with store.open_file(org, name) as fh:
        return fh.read()


@pytest.mark.parametrize("size", [0, 1, 9 * MIB + 7])
def test_a_committed_body_reads_back_whole(store: Store, size: int) -> None:
    data = os.urandom(size)
    name = store.commit(ORG, write(store, data), "scan 1.dcm")  # type: ignore[arg-type]
    assert name == "scan 1.dcm"
    assert read(store, name) == data
    assert store.size_of(ORG, name) == size
    assert store.stored_names(ORG) == {name}
    assert ORG in store.org_ids()


def test_a_taken_name_is_numbered_never_overwritten(store: Store) -> None:
    names = [store.commit(ORG, write(store, bytes([i]) * 10), "a/b.csv") for i in range(3)]  # type: ignore[arg-type]
    assert names == ["a_b.csv", "a_b (1).csv", "a_b (2).csv"]
    assert [read(store, n) for n in names] == [bytes([i]) * 10 for i in range(3)]


def test_commits_of_one_name_at_once_each_get_their_own(store: Store) -> None:
    staged = [write(store, bytes([i]) * 100) for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        names = list(pool.map(lambda s: store.commit(ORG, s, "same.csv"), staged))  # type: ignore[arg-type]
    assert len(set(names)) == 8
    assert sorted(read(store, n) for n in names) == sorted(bytes([i]) * 100 for i in range(8))


def test_a_discarded_writer_leaves_nothing_named(store: Store) -> None:
    async def go() -> None:
        writer = store.open_writer(ORG)
        await writer.write(os.urandom(9 * MIB))  # past one object-store part
        writer.discard()

    asyncio.run(go())
    assert store.stored_names(ORG) == set()


def test_reads_seek_like_a_file(store: Store) -> None:
    data = os.urandom(3 * MIB + 5)
    name = store.commit(ORG, write(store, data), "r.bin")  # type: ignore[arg-type]
    with store.open_file(ORG, name) as fh:
        fh.seek(2 * MIB)
        assert fh.read(10) == data[2 * MIB : 2 * MIB + 10]
        fh.seek(5)
        assert fh.read(3) == data[5:8]
        fh.seek(-4, os.SEEK_END)
        assert fh.read() == data[-4:]
    with store.local_copy(ORG, name) as path:
        assert path.read_bytes() == data


@pytest.mark.parametrize("size", [0, 5 * MIB + 3])
def test_the_store_hashes_what_it_holds(store: Store, size: int) -> None:
    data = os.urandom(size)
    name = store.commit(ORG, write(store, data), "extract.csv")  # type: ignore[arg-type]
    assert store.sha256(ORG, name) == hashlib.sha256(data).hexdigest()
    with pytest.raises(NotStored):
        store.sha256(ORG, "missing.csv")


def test_what_is_not_there_is_not_stored(store: Store) -> None:
    with pytest.raises(NotStored):
        store.open_file(ORG, "missing.csv")
    with pytest.raises(NotStored):
        store.size_of(ORG, "missing.csv")
    with pytest.raises(NotStored):
        store.open_file(ORG, "../escape")


def test_parts_assemble_in_order_with_the_whole_sha256(store: Store) -> None:
    # Sizes that force each way of joining: parts big enough to copy inside the object
    # store, and small ones that must pass through (all but the last are small here).
    pieces = [os.urandom(6 * MIB), os.urandom(100), os.urandom(6 * MIB), os.urandom(7)]
    for n in (3, 1, 4, 2):  # any order
        store.commit_part(ORG, "up1", n, write(store, pieces[n - 1]))  # type: ignore[arg-type]
    store.commit_part(ORG, "up1", 2, write(store, pieces[1]))  # a part sent twice  # type: ignore[arg-type]
    assert store.multipart_ids(ORG) == {"up1"}
    with pytest.raises(NotStored):
        store.assemble(ORG, "up1", 5)
    joined = store.assemble(ORG, "up1", 4)
    whole = b"".join(pieces)
    assert joined.sha256 == hashlib.sha256(whole).hexdigest()
    assert joined.size == len(whole)
    name = store.commit(ORG, joined, "joined.bin")
    assert read(store, name) == whole
    store.remove_parts(ORG, "up1")
    assert store.multipart_ids(ORG) == set()


def append(store: Store, upload_id: str, offset: int, data: bytes, hasher: object = None) -> object:
    async def go() -> object:
        writer = store.open_resumable(ORG, upload_id, offset, hasher)
        for i in range(0, len(data), MIB):
            await writer.write(data[i : i + MIB])
        await writer.finish()
        return writer.hasher

    return asyncio.run(go())


def test_resumable_bytes_append_cut_back_and_join(store: Store) -> None:
    first, second, third = os.urandom(6 * MIB), os.urandom(3 * MIB), os.urandom(1000)
    append(store, "tus1", 0, first)
    append(store, "tus1", len(first), second)
    # The offset recorded for the upload says only 1 MiB of the second PATCH counts
    # (say it was cut short before its offset was recorded): the rest is dropped, the
    # running hash rebuilt from the bytes kept.
    offset = len(first) + MIB
    hasher = append(store, "tus1", offset, third)
    whole = first + second[:MIB] + third
    assert hasher.hexdigest() == hashlib.sha256(whole).hexdigest()  # type: ignore[attr-defined]
    assert store.resumable_ids(ORG) == {"tus1"}
    with pytest.raises(NotStored):
        store.open_resumable(ORG, "tus1", len(whole) + 1)
    append(store, "tus2", 0, b"tail")
    joined = store.concatenate_resumable(ORG, ["tus1", "tus2"])
    assert joined.sha256 == hashlib.sha256(whole + b"tail").hexdigest()
    assert read(store, store.commit(ORG, joined, "joined.bin")) == whole + b"tail"
    name = store.commit(ORG, store.staged_resumable(ORG, "tus1"), "t.bin")
    assert read(store, name) == whole
    store.remove_resumable(ORG, "tus1")
    assert store.resumable_ids(ORG) == {"tus2"}


def test_deletes_and_housekeeping_leave_nothing_behind(store: Store) -> None:
    name = store.commit(ORG, write(store, b"x" * 100), "gone.csv")  # type: ignore[arg-type]
    leftover = write(store, b"never committed")  # a crash between receiving and commit
    assert leftover is not None

    async def abandoned() -> None:  # a crash in the middle of a large body
        writer = store.open_writer(ORG)
        await writer.write(os.urandom(9 * MIB))

    asyncio.run(abandoned())
    store.delete(ORG, name)
    assert store.stored_names(ORG) == set()
    assert store.remove_stale_temp_files(older_than_seconds=0) >= 1
    if isinstance(store, S3Store):
        assert list(store.s3.objects(f"{ORG}/tmp/")) == []
        assert list(store.s3.multipart_uploads(f"{ORG}/")) == []
    store.delete_org(ORG)
    assert ORG not in store.org_ids()
