"""Resumable uploads (the tus 1.0 protocol's model), start to finish: create, append
from an offset, ask how far it got, terminate. A finished upload becomes the same
file object, with the same durability, quota and size checks, as a presigned PUT.

Every PATCH is fsynced before its new offset is recorded and answered, and a PATCH
cut short keeps the bytes that arrived: the client resumes from there. The SHA-256
of the whole file runs on across PATCHes in this process; after a restart the bytes
so far are read once to pick it up again.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import threading
from dataclasses import dataclass
from typing import Any

from appliance import clock
from appliance.accounts import presign
from appliance.accounts.apikeys import Principal
from appliance.accounts.orgs import ORG_GONE, get_org, require_active_org
from appliance.accounts.presign import Grant
from appliance.clock import iso_epoch, parse_iso
from appliance.context import Appliance
from appliance.db import DB
from appliance.errors import ApplianceError, ErrorType, unavailable
from appliance.files.records import FileRecord
from appliance.metrics import Metrics
from appliance.threads import in_thread
from appliance.uploads import tus_records, upload_records
from appliance.uploads.receive import Body, BodyInterrupted, Pace, paced
from appliance.uploads.service import ensure_space, publish_file
from appliance.uploads.tus_records import TusUpload
from storage import InsufficientStorage, NotStored, StoreUnavailable, Writer, sanitize_filename

log = logging.getLogger("hpx.tus")
KIND = "tus"
CREATION_KIND = "tus-create"
CHECKSUMS = ("sha1", "sha256")
"""Algorithms a PATCH may declare in ``Upload-Checksum`` (tus checksum extension): an
integrity check of the body against transmission errors, not a security measure."""

_hashers: dict[str, tuple[int, Any]] = {}
"""upload id → (bytes hashed, running SHA-256), while this process holds them."""
_hashers_guard = threading.Lock()


@dataclass(frozen=True)
class Created:
    upload: TusUpload
    token: str
    expires: int


@dataclass(frozen=True)
class Checksum:
    algorithm: str
    digest: bytes


def create(
    appliance: Appliance,
    principal: Principal,
    *,
    filename: str,
    content_type: str | None,
    length: int | None,
    partial: bool = False,
    link_id: str | None = None,
) -> Created:
    """A new upload and its URL (an API key, a signed-in user or a drop link created
    it). A ``partial`` one is a piece of a parallel upload: never a file by itself."""
    expires = int(clock.now()) + appliance.settings.multipart_session_ttl
    upload = _new(
        appliance, principal, filename, content_type, length, expires,
        concat="partial" if partial else None, link_id=link_id,
    )  # fmt: skip
    log.info("tus upload %s created for org %s", upload.id, upload.org_id)
    token = appliance.signer.sign(upload.id, upload.org_id, expires, kind=KIND)
    return Created(upload, token, expires)


def reserve(
    appliance: Appliance,
    principal: Principal,
    *,
    filename: str | None,
    content_type: str | None,
    length: int | None,
    expires_in: int | None,
) -> Created:
    """A presigned, single-use creation URL: whoever holds it (a browser, a partner's
    tool) creates one upload with it, and never sees the API key."""
    expires = presign.expiry(expires_in, appliance.settings.upload_url_ttl)
    upload = _new(
        appliance, principal, filename or "upload", content_type, length, expires,
        state="reserved",
    )  # fmt: skip
    token = appliance.signer.sign(upload.id, upload.org_id, expires, kind=CREATION_KIND)
    return Created(upload, token, expires)


def _new(
    appliance: Appliance,
    principal: Principal,
    filename: str,
    content_type: str | None,
    length: int | None,
    expires: int,
    *,
    state: str = "open",
    concat: str | None = None,
    link_id: str | None = None,
) -> TusUpload:
    """The upload's row, once its size fits the limit, the disk and the quota."""
    _check_length(appliance, principal, length)
    return tus_records.create(
        appliance.db,
        principal.org,
        filename=sanitize_filename(filename),
        content_type=content_type,
        length=length,
        max_size=appliance.settings.max_upload_size,
        expires_at=iso_epoch(expires),
        key_id=principal.key_id,
        user_id=principal.user_id,
        state=state,
        concat=concat,
        link_id=link_id,
    )


def create_reserved(
    appliance: Appliance,
    creation_token: str,
    *,
    filename: str | None,
    content_type: str | None,
    length: int | None,
) -> Created:
    """The POST to a presigned creation URL: its upload, created once (then 410)."""
    grant = _grant(appliance, creation_token, CREATION_KIND)
    db = appliance.db
    require_active_org(db, grant.org_id)
    reserved = tus_records.get(db, grant.org_id, grant.upload_id)
    upload_records.require_issuer(db, reserved)
    if length is not None and length > reserved.max_size:
        raise ApplianceError(
            ErrorType.payload_too_large, f"Upload-Length exceeds {reserved.max_size}"
        )
    upload = tus_records.activate(
        db,
        grant.org_id,
        grant.upload_id,
        length=length,
        filename=sanitize_filename(filename) if filename else None,
        content_type=content_type,
    )
    expires = int(parse_iso(upload.expires_at).timestamp())
    token = appliance.signer.sign(upload.id, upload.org_id, expires, kind=KIND)
    log.info("tus upload %s created through its presigned URL", upload.id)
    return Created(upload, token, expires)


def concatenate(
    appliance: Appliance,
    principal: Principal,
    partial_tokens: list[str],
    *,
    filename: str,
    content_type: str | None,
) -> tuple[Created, FileRecord]:
    """The final upload of a parallel one (tus concatenation): the complete partial
    uploads named, joined in order into one file, recorded like any upload."""
    db, store, org = appliance.db, appliance.store, principal.org
    if not partial_tokens:
        raise ApplianceError(ErrorType.invalid_request, "Upload-Concat: final names no upload")
    piece_ids: list[str] = []
    for token in partial_tokens:
        grant = _grant(appliance, token)
        if grant.org_id != org.id:
            raise ApplianceError(ErrorType.not_found, "no such upload")
        piece_ids.append(grant.upload_id)
    pieces = tus_records.take_partials(db, org.id, piece_ids)  # or 409: another final is joining
    try:
        total = sum(p.received for p in pieces)
        created = create(  # checks the size against the limit, the disk and the quota
            appliance, principal, filename=filename, content_type=content_type, length=total
        )
        joined = store.concatenate_resumable(org.id, piece_ids)
        record = publish_file(
            appliance,
            org.id,
            joined,
            created.upload.filename,
            lambda stored: tus_records.finish(
                db, created.upload, stored, total, joined.sha256, partials=piece_ids
            ),
        )
    except BaseException:
        tus_records.give_back_partials(db, piece_ids)
        raise
    for piece_id in piece_ids:
        store.remove_resumable(org.id, piece_id)
    log.info("tus upload %s joined %d partial uploads as file %s", created.upload.id,
             len(pieces), record.file_id)  # fmt: skip
    return created, record


def _check_length(appliance: Appliance, principal: Principal, length: int | None) -> None:
    if length is None:
        return
    if length > appliance.settings.max_upload_size:
        raise ApplianceError(
            ErrorType.payload_too_large,
            f"Upload-Length exceeds {appliance.settings.max_upload_size}",
        )
    ensure_space(appliance, length)
    upload_records.check_quota(appliance.db, principal.org, length)


def status(appliance: Appliance, token: str) -> TusUpload:
    """The upload a URL names (HEAD): how far it got."""
    grant = _grant(appliance, token)
    require_active_org(appliance.db, grant.org_id)
    return tus_records.get(appliance.db, grant.org_id, grant.upload_id)


def terminate(appliance: Appliance, token: str) -> None:
    grant = _grant(appliance, token)
    require_active_org(appliance.db, grant.org_id)
    tus_records.terminate(appliance.db, grant.org_id, grant.upload_id)
    appliance.store.remove_resumable(grant.org_id, grant.upload_id)
    forget(grant.upload_id)


async def append(
    appliance: Appliance,
    metrics: Metrics,
    token: str,
    offset: int,
    body: Body,
    *,
    length: int | None = None,
    checksum: Checksum | None = None,
) -> tuple[TusUpload, FileRecord | None]:
    """A PATCH: the body appended at ``offset``; the upload after it, and its file when
    this PATCH completed it. ``length`` is the deferred Upload-Length, if sent now."""
    grant = _grant(appliance, token)
    db = appliance.db
    await in_thread(require_active_org, db, grant.org_id)
    upload = await _claim(db, grant.org_id, grant.upload_id, offset, length)
    # From here every way out, error or not, goes through the ``finally`` that gives
    # the upload back: a claim left behind would answer 409 to every later request.
    total = upload.length if upload.length is not None else length
    limit = (total if total is not None else upload.max_size) - offset
    received = offset
    writer: Writer | None = None
    kept = False
    metrics.uploads_in_progress.inc()
    try:
        await in_thread(upload_records.require_issuer, db, upload)
        if body.length is not None and body.length > limit:
            raise ApplianceError(ErrorType.payload_too_large, f"at most {limit} more bytes")
        writer = await in_thread(_open, appliance, upload, offset)
        check = None
        if checksum is not None:
            check = hashlib.new(checksum.algorithm, usedforsecurity=False)
        pace = Pace(appliance.settings.min_body_rate, appliance.settings.body_rate_window)
        try:
            async for chunk in paced(body.chunks, pace):
                if writer.size + len(chunk) > limit:
                    raise ApplianceError(ErrorType.payload_too_large, f"at most {limit} more bytes")
                if check is not None:
                    check.update(chunk)
                metrics.upload_bytes.inc(len(chunk))
                await writer.write(chunk)
        except (BodyInterrupted, ApplianceError) as exc:
            if isinstance(exc, ApplianceError) and exc.kind is not ErrorType.request_timeout:
                raise
            if check is None:  # keep what arrived: the client resumes from there
                await writer.finish()
                received, kept = offset + writer.size, True
                _remember(upload.id, received, writer.hasher)
            raise
        await writer.finish()
        if check is not None and check.digest() != checksum.digest:  # type: ignore[union-attr]
            raise ApplianceError(ErrorType.checksum_mismatch, "Upload-Checksum differs")
        received, kept = offset + writer.size, True
        _remember(upload.id, received, writer.hasher)
        if total is not None and received == total and upload.concat == "partial":
            await in_thread(tus_records.complete_partial, db, upload.id, total)
            return _after(upload, received, total, "done"), None
        if total is not None and received == total:
            record = await in_thread(_publish, appliance, upload, total)
            return _after(upload, received, total, "done"), record
        return _after(upload, received, total, "open"), None
    except InsufficientStorage as exc:
        raise ApplianceError(ErrorType.insufficient_storage, str(exc)) from exc
    except StoreUnavailable as exc:
        raise unavailable(exc) from exc
    finally:
        metrics.uploads_in_progress.dec()
        if writer is not None and not kept:
            # Nothing of this PATCH counts: the file is cut back to ``offset`` before the
            # next one, and the hasher kept for ``offset`` is still right.
            writer.discard()
        tus_records.release(db, upload.id, received, total if kept else upload.length)


async def _claim(db: DB, org_id: str, upload_id: str, offset: int, length: int | None) -> TusUpload:
    """:func:`tus_records.claim` in a thread. A request cancelled meanwhile (its client gone)
    still waits for the thread; if the thread took the upload, it is given back here,
    since no ``finally`` of the caller will."""
    taken: list[TusUpload] = []

    def take() -> TusUpload:
        taken.append(tus_records.claim(db, org_id, upload_id, offset, length))
        return taken[0]

    try:
        return await in_thread(take)
    except asyncio.CancelledError:
        if taken:
            tus_records.release(db, upload_id, taken[0].received, taken[0].length)
        raise


def _grant(appliance: Appliance, token: str, kind: str = KIND) -> Grant:
    grant = appliance.signer.verify(token)
    if grant.kind != kind:
        raise ApplianceError(ErrorType.invalid_token)
    return grant


def _open(appliance: Appliance, upload: TusUpload, offset: int) -> Writer:
    with _hashers_guard:
        held = _hashers.get(upload.id)
    hasher = held[1].copy() if held is not None and held[0] == offset else None
    try:
        return appliance.store.open_resumable(upload.org_id, upload.id, offset, hasher)
    except NotStored as exc:
        raise ApplianceError(
            ErrorType.offset_mismatch, "the upload's bytes are gone; terminate it and start again"
        ) from exc


def _publish(appliance: Appliance, upload: TusUpload, size: int) -> FileRecord:
    db, store = appliance.db, appliance.store
    org = get_org(db, upload.org_id)
    if org is None:
        raise ApplianceError(ErrorType.not_found, ORG_GONE)
    with _hashers_guard:
        held = _hashers.get(upload.id)
    if held is None or held[0] != size:  # a restart since the last PATCH: read it again
        reader = store.open_resumable(upload.org_id, upload.id, size)
        reader.discard()
        held = (size, reader.hasher)
    digest = held[1].hexdigest()
    upload_records.check_quota(db, org, size)
    record = publish_file(
        appliance,
        upload.org_id,
        store.staged_resumable(upload.org_id, upload.id),
        upload.filename,
        lambda stored: tus_records.finish(db, upload, stored, size, digest),
    )
    forget(upload.id)
    log.info("tus upload %s stored as file %s (%d bytes)", upload.id, record.file_id, size)
    return record


def _after(upload: TusUpload, received: int, length: int | None, state: str) -> TusUpload:
    fields = {**upload.__dict__, "received": received, "length": length, "state": state}
    return TusUpload(**fields)


def _remember(upload_id: str, received: int, hasher: Any) -> None:
    with _hashers_guard:
        _hashers[upload_id] = (received, hasher)


def forget(upload_id: str) -> None:
    """Drop the running hash of an upload that is finished, terminated or expired."""
    with _hashers_guard:
        _hashers.pop(upload_id, None)


def parse_checksum(header: str) -> Checksum:
    """``Upload-Checksum: <algorithm> <base64 digest>``."""
    algorithm, _, encoded = header.strip().partition(" ")
    if algorithm not in CHECKSUMS:
        raise ApplianceError(
            ErrorType.invalid_request, f"Upload-Checksum: use one of {', '.join(CHECKSUMS)}"
        )
    try:
        return Checksum(algorithm, base64.b64decode(encoded, validate=True))
    except ValueError as exc:
        raise ApplianceError(ErrorType.invalid_request, "Upload-Checksum: not base64") from exc
