"""Uploads, start to finish: the one place that turns a presigned URL, a body or a
completion into a file.

Views call these functions and shape the answer; the CLI and the console call them
too. Each synchronous function is one thread hop for its caller (the database and
file work of a step run together), and :func:`put` awaits only the client's bytes.
Errors are the domain's (:class:`appliance.errors.ApplianceError`), never HTTP responses.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from appliance import clock
from appliance.accounts import presign
from appliance.accounts.apikeys import Principal
from appliance.accounts.orgs import ORG_GONE, get_org, org_names, require_active_org
from appliance.clock import iso_epoch
from appliance.context import Appliance
from appliance.db import DB
from appliance.errors import ApplianceError, ErrorType, invalid
from appliance.files.records import FileRecord
from appliance.metrics import Metrics
from appliance.threads import in_thread
from appliance.uploads import multipart, tus_records, upload_records
from appliance.uploads.receive import Body, Pace, receive
from appliance.uploads.upload_records import MultipartSession, Upload
from storage import InsufficientStorage, NotStored, Staged, Writer, sanitize_filename

log = logging.getLogger("hpx.uploads")
DEFAULT_CONTENT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class Presigned:
    """A single-upload session and the token of its URL."""

    upload: Upload
    token: str


@dataclass(frozen=True)
class PartUrl:
    part_number: int
    size: int
    token: str
    expires_at: str


@dataclass(frozen=True)
class ReceivedPart:
    part_number: int
    size: int
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {"part_number": self.part_number, "size": self.size, "sha256": self.sha256}


def ensure_space(appliance: Appliance, size: int) -> None:
    """507 now, rather than after the client has sent ``size`` bytes."""
    try:
        appliance.store.ensure_space(size)
    except InsufficientStorage as exc:
        raise ApplianceError(ErrorType.insufficient_storage, str(exc)) from exc


def publish_file(
    appliance: Appliance,
    org_id: str,
    staged: Staged,
    filename: str,
    record: Callable[[str], FileRecord],
) -> FileRecord:
    """Staged bytes become a file, whatever path they came by: published under a free
    name, then ``record(stored_name)`` writes the row. Bytes whose row could not be
    written are removed again, so nothing is visible without its record; staged bytes
    that could not be published are discarded."""
    try:
        stored = appliance.store.commit(org_id, staged, filename)
    except BaseException as exc:
        staged.discard()
        if isinstance(exc, FileNotFoundError):  # the tree went with the organization
            require_active_org(appliance.db, org_id)
        raise
    try:
        return record(stored)
    except BaseException:
        appliance.store.delete(org_id, stored)
        raise


# -- single uploads ----------------------------------------------------------------------


def presign_upload(
    appliance: Appliance,
    principal: Principal,
    *,
    filename: str,
    content_type: str,
    size: int | None,
    sha256: str | None,
    expires_in: int | None,
) -> Presigned:
    settings = appliance.settings
    if size is not None:
        ensure_space(appliance, size)
    expires = presign.expiry(expires_in, settings.upload_url_ttl)
    upload = upload_records.create_upload(
        appliance.db,
        principal.org,
        filename=sanitize_filename(filename),
        content_type=content_type,
        size=size,
        sha256=sha256,
        expires_at=iso_epoch(expires),
        max_size=settings.max_upload_size,
        key_id=principal.key_id,
        user_id=principal.user_id,
    )
    log.info("upload %s presigned for org %s", upload.id, upload.org_id)
    return Presigned(upload, appliance.signer.sign(upload.id, upload.org_id, expires))


# -- multipart sessions ------------------------------------------------------------------


def open_session(
    appliance: Appliance,
    principal: Principal,
    *,
    filename: str,
    size: int,
    part_size: int | None,
    sha256: str | None,
    content_type: str,
) -> tuple[MultipartSession, list[PartUrl]]:
    """A new session and the URLs of its first parts (at most ``URLS_PER_RESPONSE``)."""
    part_size, _count = multipart.plan_parts(size, part_size)  # a bad request before a full disk
    # Parts and the assembled file exist side by side until the parts are removed.
    ensure_space(appliance, 2 * size)
    session = multipart.create_session(
        appliance.db,
        principal.org,
        filename=sanitize_filename(filename),
        size=size,
        part_size=part_size,
        sha256=sha256,
        content_type=content_type,
        expires_at=iso_epoch(clock.now() + appliance.settings.multipart_session_ttl),
        key_id=principal.key_id,
        user_id=principal.user_id,
    )
    first = list(range(1, min(session.part_count, multipart.URLS_PER_RESPONSE) + 1))
    log.info("multipart %s opened for org %s: %d parts", session.id, session.org_id, len(first))
    return session, part_urls(appliance, principal.org.id, session.id, first)


def part_urls(
    appliance: Appliance, org_id: str, upload_id: str, numbers: list[int]
) -> list[PartUrl]:
    """Fresh single-use URLs for these parts (to resume, or past the first thousand)."""
    session, grants, expires = multipart.issue_grants(
        appliance.db, org_id, upload_id, numbers, appliance.settings.upload_url_ttl
    )
    return [
        PartUrl(
            g.part_number,
            g.size,
            appliance.signer.sign(session.id, org_id, expires, g.part_number, g.grant_id),
            iso_epoch(expires),
        )
        for g in grants
    ]


def session_state(appliance: Appliance, org_id: str, upload_id: str) -> dict[str, Any]:
    session = multipart.get_session(appliance.db, org_id, upload_id)
    return multipart.describe(session, multipart.parts_received(appliance.db, session.id))


def complete(
    appliance: Appliance, org_id: str, upload_id: str, expected: dict[int, str] | None
) -> FileRecord:
    """Assemble the parts into the file, publish it and record it; a session completed
    before gives the same file again, never a copy. Synchronous: one thread hop.

    On failure the session goes back to ``pending`` with its parts kept, so the client
    can send a missing part and complete again.
    """
    db, store = appliance.db, appliance.store
    begun = multipart.begin_complete(db, org_id, upload_id, expected)
    if isinstance(begun, FileRecord):
        return begun
    session = begun
    started = time.perf_counter()
    try:
        assembled = store.assemble(session.org_id, session.id, session.part_count)
        digest = assembled.sha256
        if session.sha256 is not None and digest != session.sha256:
            assembled.discard()
            raise ApplianceError(
                ErrorType.checksum_mismatch, "the assembled file's SHA-256 differs"
            )
        record = publish_file(
            appliance,
            session.org_id,
            assembled,
            session.filename,
            lambda stored: multipart.finish_complete(db, session, stored, digest),
        )
    except InsufficientStorage as exc:
        multipart.fail_complete(db, session)
        raise ApplianceError(ErrorType.insufficient_storage, str(exc)) from exc
    except NotStored as exc:
        multipart.fail_complete(db, session)
        raise invalid("parts", f"part file(s) missing on disk: {exc}; send them again") from exc
    except BaseException:
        multipart.fail_complete(db, session)
        raise
    store.remove_parts(session.org_id, session.id)
    log.info(
        "multipart %s assembled as file %s (%d bytes) in %.2f s",
        session.id,
        record.file_id,
        record.size,
        time.perf_counter() - started,
    )
    return record


def abort(appliance: Appliance, org_id: str, upload_id: str) -> None:
    multipart.abort(appliance.db, org_id, upload_id)
    appliance.store.remove_parts(org_id, upload_id)


# -- receiving bodies --------------------------------------------------------------------


async def put(
    appliance: Appliance, metrics: Metrics, token: str, body: Body
) -> FileRecord | ReceivedPart:
    """The body sent to a presigned URL: a whole file, or one part of a multipart upload."""
    grant = appliance.signer.verify(token)
    if grant.kind is not None:  # a resumable upload's URL takes PATCH at /v1/tus/
        raise ApplianceError(ErrorType.invalid_token)
    await in_thread(require_active_org, appliance.db, grant.org_id)
    settings = appliance.settings
    pace = Pace(settings.min_body_rate, settings.body_rate_window)
    if grant.part_number is not None and grant.grant_id is not None:
        return await _put_part(
            appliance, metrics, pace, body, grant.org_id, grant.upload_id, grant.part_number,
            grant.grant_id,
        )  # fmt: skip
    return await _put_file(appliance, metrics, pace, body, grant.org_id, grant.upload_id)


async def _put_file(
    appliance: Appliance, metrics: Metrics, pace: Pace, body: Body, org_id: str, upload_id: str
) -> FileRecord:
    db, store = appliance.db, appliance.store
    upload = await in_thread(upload_records.claim, db, org_id, upload_id)

    def publish(writer: Writer, digest: str) -> FileRecord:
        org = get_org(db, upload.org_id)
        if org is None:  # deleted while the body arrived
            raise ApplianceError(ErrorType.not_found, ORG_GONE)
        upload_records.check_quota(db, org, writer.size, upload.id)
        return publish_file(
            appliance,
            upload.org_id,
            writer,
            upload.filename,
            lambda stored: upload_records.finish(db, upload, stored, writer.size, digest),
        )

    record = await receive(
        body,
        store,
        upload.org_id,
        limit=upload.limit,
        exact=upload.size,
        expected_sha256=upload.sha256,
        pace=pace,
        metrics=metrics,
        publish=publish,
        give_back=lambda: upload_records.release(db, upload.org_id, upload.id),
    )
    log.info("upload %s stored as file %s (%d bytes)", upload.id, record.file_id, record.size)
    return record


async def _put_part(
    appliance: Appliance,
    metrics: Metrics,
    pace: Pace,
    body: Body,
    org_id: str,
    upload_id: str,
    part_number: int,
    grant_id: str,
) -> ReceivedPart:
    db, store = appliance.db, appliance.store
    session = await in_thread(multipart.claim_part, db, org_id, upload_id, grant_id, part_number)
    length = session.part_length(part_number)

    def publish(writer: Writer, digest: str) -> ReceivedPart:
        try:
            store.commit_part(session.org_id, session.id, part_number, writer)
        except FileNotFoundError:  # the tree went with the organization just now
            require_active_org(db, session.org_id)
            raise
        if not multipart.record_part(db, session, part_number, grant_id, writer.size, digest):
            store.remove_parts(session.org_id, session.id)
            raise ApplianceError(ErrorType.not_found, "this multipart upload was aborted")
        return ReceivedPart(part_number, writer.size, digest)

    return await receive(
        body,
        store,
        session.org_id,
        limit=length,
        exact=length,
        expected_sha256=None,
        pace=pace,
        metrics=metrics,
        publish=publish,
        give_back=lambda: multipart.release_part(db, grant_id),
    )


# -- housekeeping and the console --------------------------------------------------------


def release_dead_claims(db: DB) -> int:
    """Give back every claim whose holder is gone (appliance/uploads/claims.py), each
    table by its own module, in one write transaction; how many."""
    with db.write() as conn:
        owners = (upload_records, multipart, tus_records)
        return sum(owner.release_dead_claims(conn, db) for owner in owners)


def recent_activity(appliance: Appliance, limit: int = 100) -> list[dict[str, Any]]:
    """The newest upload sessions of every organization, with their organization's name
    and the parts received so far, for the operator's console and ``hpx activity``."""
    rows = upload_records.recent(appliance.db, limit)
    names = org_names(appliance.db)
    counts = multipart.part_counts(appliance.db, [r["id"] for r in rows])
    return [
        {
            "id": r["id"],
            "created_at": r["created_at"],
            "org_name": names.get(r["org_id"], "?"),
            "kind": r["kind"],
            "filename": r["filename"],
            "size": r["size"],
            "state": r["state"],
            "expires_at": r["expires_at"],
            "file_id": r["file_id"],
            "parts_received": counts.get(r["id"], 0),
            "part_count": r["part_count"],
        }
        for r in rows
    ]
