"""Helpers for tests, scripts and benchmarks: real servers and services on free ports.

- ``assistant.testing.server``: start ``vixshield serve`` in a subprocess and wait for it.
- ``assistant.testing.services``: throwaway PostgreSQL, Redis and nginx in temporary folders.

Nothing here is imported by the service itself.
"""
