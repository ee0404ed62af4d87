"""The per-organization file store: bytes only, no HTTP, no credentials, no metadata.

The appliance talks to a store only through the :class:`Store` protocol
(``storage/base.py``): writers, staged bytes, commit, parts and assembly, readers,
inventory and space. :class:`LocalStore` is its implementation on a local
filesystem, :class:`S3Store` on an S3-compatible object store (boto3, loaded only
when that store is used).
"""

from storage.base import Assembled, Staged, Store, Writer
from storage.errors import InsufficientStorage, NotStored, StorageError, StoreUnavailable
from storage.local import LocalStore
from storage.names import sanitize_filename
from storage.s3 import S3Store
from storage.s3_client import S3Config
from storage.writer import StreamWriter

__all__ = [
    "Assembled",
    "InsufficientStorage",
    "LocalStore",
    "NotStored",
    "S3Config",
    "S3Store",
    "Staged",
    "StorageError",
    "Store",
    "StoreUnavailable",
    "StreamWriter",
    "Writer",
    "sanitize_filename",
]
