"""The per-organization file store: bytes only, no HTTP, no credentials, no metadata.

The appliance talks to a store only through the :class:`Store` protocol
(``storage/base.py``): writers, staged bytes, commit, parts and assembly, readers,
inventory and space. :class:`LocalStore` is its implementation on a local
filesystem; an object-store implementation can stand beside it.
"""

from storage.base import Assembled, Staged, Store, Writer
from storage.errors import InsufficientStorage, NotStored, StorageError
from storage.local import LocalStore
from storage.names import sanitize_filename
from storage.writer import StreamWriter

__all__ = [
    "Assembled",
    "InsufficientStorage",
    "LocalStore",
    "NotStored",
    "Staged",
    "StorageError",
    "Store",
    "StreamWriter",
    "Writer",
    "sanitize_filename",
]
