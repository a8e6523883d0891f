"""Reliability suites: crash, faults, concurrency, bad input, secrets, interrupt (see docs/reliability.md)."""
