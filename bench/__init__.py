"""Benchmarks and validation harnesses (run as scripts; see README.md)."""
