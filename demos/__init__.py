"""tiermem demos."""
