"""The HTTP API (CONTRACT.md section 3)."""

from appliance.api.app import create_app

__all__ = ["create_app"]
