# Fixtures for the end-to-end tests live in kiroku_harness.py; pytest finds them through here.
from kiroku_harness import certs, kiroku, rsyslog  # noqa: F401
