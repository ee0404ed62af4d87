"""Loaded by schemathesis (SCHEMATHESIS_HOOKS) in tests/test_schema.py: the tus bodies
are raw bytes of a media type schemathesis does not know."""

import schemathesis
from hypothesis import strategies as st

schemathesis.openapi.media_type("application/offset+octet-stream", st.binary(max_size=4096))
