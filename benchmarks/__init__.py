"""tiermem benchmarks."""
