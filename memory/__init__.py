"""tiermem.memory — see the package docstring for its public API."""

if __name__ != "tiermem.memory":  # imported from a source checkout as a top-level package
    raise ImportError(
        f"this folder is the package 'tiermem.memory', imported here as '{__name__}'; "
        "install tiermem (pip install -e .) and import tiermem.memory instead"
    )
