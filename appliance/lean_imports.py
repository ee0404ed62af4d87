"""Importing a library without the optional heavy ones it would pull in by itself.

- sqlite-utils imports numpy and pandas when they are installed, only to map their
  types in tables it creates from Python values; the appliance creates its tables in
  SQL and never hands it a numpy value. numpy alone is 15 MB of every server
  process's memory (measured: ``import numpy`` +14.9 MB RSS), and the server needs it
  only once analytics runs a fit, which imports it then.
- PyJWT imports cryptography when it is installed, for public-key algorithms; the
  appliance's tokens are HMAC (HS256), and cryptography (~6 MB) is needed only to make
  a self-signed certificate (appliance/serving/tls.py, which imports it then).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without(*names: str) -> Iterator[None]:
    """Within the block, ``import <name>`` fails as if it were not installed (unless it
    is imported already); afterwards it imports normally again."""
    blocked = [name for name in names if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # the documented "not here"
    try:
        yield
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
