"""A demonstration care provider (OAuth2 server + FHIR API) for the demo and the tests. Uses Flask on its own."""

from pgo.sandbox.app import create_sandbox_app

__all__ = ["create_sandbox_app"]
