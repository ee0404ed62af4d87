"""The HTTP layer (the contract's API): routes, views, middleware and the OpenAPI
description. Views parse, authorize, call a service and shape the answer; the work
lives in the domain packages beside this one."""

from appliance.http.routes import create_app

__all__ = ["create_app"]
