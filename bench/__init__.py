"""Benchmarks: scripts that print figures (method and results in README.md)."""
