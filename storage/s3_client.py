"""The object-store connection: one boto3 client per process, every call translated
into the store's own errors.

Keys are ``<org_id>/<kind>/...`` in one bucket: each organization's prefix is its
tree. Every call goes through :meth:`S3.call`, so that a missing object is
:class:`NotStored`, a quota refusal :class:`InsufficientStorage`, and anything else
(the store down, restarting, refusing the credentials) :class:`StoreUnavailable`,
whose message carries the store's error code and never a key (keys carry filenames).

boto3 is imported here only, when ``store = "s3"`` is configured: the local store
never loads it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from storage.errors import InsufficientStorage, NotStored, StoreUnavailable

MAX_COPY_BYTES = 5 * 1024**3
"""The largest single CopyObject or UploadPartCopy range S3 accepts."""
MIN_PART_BYTES = 5 * 1024**2
"""Every part of an S3 multipart upload but the last must be at least this long."""

_MISSING = {"NoSuchKey", "404", "NotFound", "NoSuchUpload"}
_FULL = {"QuotaExceeded", "EntityTooLarge", "InsufficientCapacity"}


class Taken(Exception):
    """A conditional write found the key already there (412)."""


@dataclass(frozen=True)
class S3Config:
    endpoint_url: str | None
    bucket: str
    region: str = "us-east-1"
    ca_bundle: Path | None = None
    """The authority of the store's certificate, if not one the system trusts."""
    access_key_id: str | None = None
    secret_access_key: str | None = field(default=None, repr=False)
    """None: boto3 reads ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` itself."""


@dataclass(frozen=True)
class Listed:
    key: str
    size: int
    modified: datetime


class S3:
    """A thread-safe client for one bucket (boto3 clients are; it is made on first use)."""

    def __init__(self, config: S3Config, max_connections: int = 32) -> None:
        self.config = config
        self.bucket = config.bucket
        self._max_connections = max_connections
        self._client: Any = None
        self._pid = 0
        """The process that made the client: a forked server process makes its own,
        rather than share the parent's connections."""
        self._guard = threading.Lock()

    @property
    def client(self) -> Any:
        with self._guard:
            if self._client is None or self._pid != os.getpid():
                self._pid = os.getpid()
                import boto3
                from botocore.config import Config

                self._client = boto3.client(
                    "s3",
                    endpoint_url=self.config.endpoint_url,
                    region_name=self.config.region,
                    aws_access_key_id=self.config.access_key_id,
                    aws_secret_access_key=self.config.secret_access_key,
                    verify=str(self.config.ca_bundle) if self.config.ca_bundle else None,
                    config=Config(
                        max_pool_connections=self._max_connections,
                        connect_timeout=5,
                        read_timeout=60,
                        retries={"mode": "standard", "max_attempts": 3},
                        s3={"addressing_style": "path"},
                        # The appliance computes the SHA-256 of every body itself.
                        request_checksum_calculation="when_required",
                        response_checksum_validation="when_required",
                    ),
                )
            return self._client

    def call(self, operation: str, **params: Any) -> Any:
        """``client.<operation>(Bucket=…, **params)``, with the store's errors."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(Bucket=self.bucket, **params)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
            if code == "NoSuchBucket" and operation != "head_bucket":
                raise StoreUnavailable("the object store has no such bucket") from None
            if code in _MISSING or status == 404:
                raise NotStored(code or "404") from None
            if code == "PreconditionFailed" or status == 412:
                raise Taken() from None
            if code in _FULL or status == 507:
                raise InsufficientStorage(f"the object store refused the bytes ({code})") from None
            raise StoreUnavailable(f"the object store answered {status} {code}") from None
        except BotoCoreError as exc:
            raise StoreUnavailable(
                f"the object store cannot be reached ({type(exc).__name__})"
            ) from None

    # -- conveniences over call ------------------------------------------------------

    def ensure_bucket(self) -> None:
        """Create the bucket unless it exists (a new install on an empty object store)."""
        try:
            self.call("head_bucket")
        except NotStored:
            self.call("create_bucket")

    def objects(self, prefix: str) -> Iterator[Listed]:
        token: str | None = None
        while True:
            params: dict[str, Any] = {"Prefix": prefix}
            if token:
                params["ContinuationToken"] = token
            page = self.call("list_objects_v2", **params)
            for item in page.get("Contents", []):
                yield Listed(item["Key"], int(item["Size"]), item["LastModified"])
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return

    def children(self, prefix: str) -> set[str]:
        """Names of the "folders" right under ``prefix`` (which ends in ``/``)."""
        names: set[str] = set()
        token: str | None = None
        while True:
            params: dict[str, Any] = {"Prefix": prefix, "Delimiter": "/"}
            if token:
                params["ContinuationToken"] = token
            page = self.call("list_objects_v2", **params)
            for common in page.get("CommonPrefixes", []):
                names.add(common["Prefix"][len(prefix) :].rstrip("/"))
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return names

    def head(self, key: str) -> tuple[int, datetime]:
        meta = self.call("head_object", Key=key)
        return int(meta["ContentLength"]), meta["LastModified"]

    def put(self, key: str, body: bytes | bytearray, *, only_new: bool = False) -> None:
        """One request; ``only_new`` makes it conditional (Taken if the key exists)."""
        params: dict[str, Any] = {"Key": key, "Body": body}
        if only_new:
            params["IfNoneMatch"] = "*"
        self.call("put_object", **params)

    def delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):
            batch = [{"Key": k} for k in keys[start : start + 1000]]
            self.call("delete_objects", Delete={"Objects": batch, "Quiet": True})

    def delete_prefix(self, prefix: str) -> None:
        """Every object under ``prefix``, and the unfinished multipart uploads there."""
        self.delete([item.key for item in self.objects(prefix)])
        for key, upload_id, _ in self.multipart_uploads(prefix):
            self.abort(key, upload_id)

    def multipart_uploads(self, prefix: str) -> Iterator[tuple[str, str, datetime]]:
        """(key, upload id, initiated) of the unfinished multipart uploads under ``prefix``."""
        params: dict[str, Any] = {"Prefix": prefix}
        while True:
            page = self.call("list_multipart_uploads", **params)
            for item in page.get("Uploads", []):
                yield item["Key"], item["UploadId"], item["Initiated"]
            if not page.get("IsTruncated"):
                return
            params["KeyMarker"] = page.get("NextKeyMarker", "")
            params["UploadIdMarker"] = page.get("NextUploadIdMarker", "")

    def abort(self, key: str, upload_id: str) -> None:
        try:
            self.call("abort_multipart_upload", Key=key, UploadId=upload_id)
        except NotStored:
            pass

    def copy(self, source: str, target: str, size: int) -> None:
        """A server-side copy (Ceph RGW and S3 share the data rather than copying it
        where they can); above 5 GiB as a multipart copy in even ranges."""
        if size <= MAX_COPY_BYTES:
            self.call("copy_object", Key=target, CopySource={"Bucket": self.bucket, "Key": source})
            return
        upload_id = self.call("create_multipart_upload", Key=target)["UploadId"]
        try:
            parts = self.copy_parts(source, size, target, upload_id, first=1)
            self.complete(target, upload_id, parts)
        except BaseException:
            self.abort(target, upload_id)
            raise

    def copy_parts(
        self, source: str, size: int, target: str, upload_id: str, *, first: int
    ) -> list[dict[str, Any]]:
        """``source`` as parts ``first``, ``first + 1``… of a multipart upload, copied in
        the store; ranges even, so that none but the last is under the minimum."""
        count = max(1, -(-size // MAX_COPY_BYTES))
        step = -(-size // count)
        parts = []
        for i, start in enumerate(range(0, size, step)):
            end = min(size, start + step) - 1
            answer = self.call(
                "upload_part_copy",
                Key=target,
                UploadId=upload_id,
                PartNumber=first + i,
                CopySource={"Bucket": self.bucket, "Key": source},
                CopySourceRange=f"bytes={start}-{end}",
            )
            parts.append({"ETag": answer["CopyPartResult"]["ETag"], "PartNumber": first + i})
        return parts

    def complete(self, key: str, upload_id: str, parts: list[dict[str, Any]]) -> None:
        self.call(
            "complete_multipart_upload",
            Key=key,
            UploadId=upload_id,
            MultipartUpload={"Parts": parts},
        )

    def open_stream(self, key: str, start: int = 0, end: int | None = None) -> Any:
        """The body of a GET from ``start`` (to ``end``, inclusive), as a stream."""
        wanted = f"bytes={start}-" if end is None else f"bytes={start}-{end}"
        return self.call("get_object", Key=key, Range=wanted)["Body"]
