"""A presigned URL works exactly once, whatever serves it: twenty PUTs of one URL at
once, a connection each, and exactly one wins. The same test over every topology the
appliance runs in: one process on the local tree (in process), two server processes
(``workers = 2``), the object store, and two nodes sharing PostgreSQL and the object
store. Each
parameter carries the markers of what it starts, so the first is in the quick loop."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass

import pytest

from tests.helpers import presign, stored_bytes, stored_names, temp_files
from tests.servers import InProcess, Server

MIB = 1024 * 1024
SCALED_OUT = [pytest.mark.e2e, pytest.mark.s3, pytest.mark.xdist_group("ceph")]


@dataclass
class Topology:
    """Where the PUTs go: each of ``doors`` in turn (a node's server, or the one server)."""

    doors: list[Server | InProcess]
    body_size: int


@pytest.fixture(
    params=[
        pytest.param("local", id="local"),
        pytest.param(  # the worker's two-process server, as test_workers.py's
            "two-processes",
            marks=[pytest.mark.e2e, pytest.mark.xdist_group("workers")],
            id="two-processes",
        ),
        pytest.param("object-store", marks=SCALED_OUT, id="object-store"),
        pytest.param("two-nodes", marks=SCALED_OUT, id="two-nodes"),
    ]
)
def topology(request: pytest.FixtureRequest) -> Topology:
    if request.param == "local":
        return Topology([request.getfixturevalue("app_on_sqlite")], 2 * MIB)
    if request.param == "two-processes":  # the kernel spreads the connections over both
        return Topology([request.getfixturevalue("server_with")(workers="2")], 2 * MIB)
    # Larger than an object-store part: the winner's upload is a multipart one.
    if request.param == "object-store":  # test_object_store.py's server
        return Topology([request.getfixturevalue("s3_server")], 9 * MIB)
    nodes = request.getfixturevalue("scaled_out_nodes")  # test_scale_out.py's
    return Topology([nodes.a, nodes.b], 9 * MIB)


def test_twenty_puts_of_one_url_exactly_one_wins(topology: Topology) -> None:
    first = topology.doors[0]
    org, key = first.new_org()
    with first.client() as client:
        grant = presign(client, key)
    body = os.urandom(topology.body_size)
    urls = [grant["upload_url"].replace(first.url, door.url) for door in topology.doors]

    async def race() -> list[int]:
        async def one(i: int) -> int:  # a connection each
            door = topology.doors[i % len(topology.doors)]
            async with door.async_client() as ac:
                return (await ac.put(urls[i % len(urls)], content=body)).status_code

        return list(await asyncio.gather(*(one(i) for i in range(20))))

    codes = asyncio.run(race())
    assert codes.count(201) == 1, codes
    assert set(codes) <= {201, 409, 410}, codes  # in progress elsewhere, or used
    assert stored_names(first, org.id) == ["data.csv"]
    assert stored_bytes(first, org.id, "data.csv") == body
    assert temp_files(first, org.id) == []  # nothing a loser received is left
