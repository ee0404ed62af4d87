"""What can go wrong in the store, independent of how the caller reports it."""


class StorageError(Exception):
    """Base class for failures of the file store."""


class InsufficientStorage(StorageError):
    """The disk (or the organization's share of it) cannot hold the bytes."""


class NotStored(StorageError):
    """The named object does not exist in the organization's tree."""


class StoreUnavailable(StorageError):
    """The store cannot be reached or refused the request (an object store that is
    down, restarting or misconfigured); nothing was stored, and trying again may work.
    The message names the store's error code only, never an object's key."""
