"""The benchmark (`python -m bench`): AWS calls and cost per introduction, cold start, warm
overhead, and proof that per-request work does not grow with the table. See docs/benchmark.md."""
