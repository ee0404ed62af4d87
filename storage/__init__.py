"""The per-organization file store: bytes only, no HTTP, no credentials, no metadata.

The appliance talks to the store through :class:`LocalStore`'s small surface
(``open_writer``, ``commit``, ``path_of``, ``delete``, ``usage``), so that an
S3-compatible store can later stand behind the same calls.
"""

from storage.errors import InsufficientStorage, NotStored, StorageError
from storage.local import LocalStore
from storage.names import sanitize_filename
from storage.writer import StreamWriter

__all__ = [
    "InsufficientStorage",
    "LocalStore",
    "NotStored",
    "StorageError",
    "StreamWriter",
    "sanitize_filename",
]
