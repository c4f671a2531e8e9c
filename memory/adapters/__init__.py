"""tiermem memory/adapters."""
