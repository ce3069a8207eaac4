"""Benchmarks of the nightly job at national scale (issue #6). Not tests: see bench/run.py."""
