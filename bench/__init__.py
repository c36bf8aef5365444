"""Hand-run benchmarks (see bench/README.md); never collected by pytest."""
