#!/usr/bin/env bash
# Run LangGraph's own store test suites against tiermem's LanceDBStore.
#
# Downloads the source distributions of langgraph-checkpoint and
# langgraph-checkpoint-sqlite matching the installed versions (nothing from
# them is committed), extracts their tests/, drops in our conftest
# (tests/peer/conftest_overrides.py) that substitutes LanceDBStore for
# InMemoryStore, SqliteStore and AsyncSqliteStore, runs the store suites and
# prints passed/total per file. Exit status: 0 when every selected test passed.
#
# Usage: tests/peer/run_langgraph_store_suite.sh [extra pytest args]
# Env:   PYTHON (default .venv/bin/python), TIERMEM_PEER_DIR (default .cache/peer)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
WORK="${TIERMEM_PEER_DIR:-$ROOT/.cache/peer}"
export HF_HUB_OFFLINE=1 OMP_NUM_THREADS=1

# Tests of SQLite internals, not of store behaviour. Format: node id | reason.
DESELECT=$(cat <<'EOF'
sqlite/tests/test_store.py::test_vector_store_initialization | queries sqlite_master through store.conn, a sqlite3 connection
sqlite/tests/test_store.py::test_nonnull_migrations | checks SqliteStore.MIGRATIONS, SQL migration strings
sqlite/tests/test_store.py::test_escape_glob_literal | unit test of a private SQLite GLOB-escaping helper
sqlite/tests/test_store.py::test_namespace_match_pattern | unit test of a private SQLite regex-building helper
sqlite/tests/test_store.py::test_list_namespaces_prefix_uses_indexable_condition | inspects the SQL text BaseSqliteStore generates
EOF
)

version() { "$PY" -c "import importlib.metadata as m; print(m.version('$1'))"; }
CKPT="$(version langgraph-checkpoint)"
SQLITE="$(version langgraph-checkpoint-sqlite)"
SRC="$WORK/$CKPT-$SQLITE"

if [[ ! -d "$SRC/sqlite/tests" || ! -d "$SRC/checkpoint/tests" ]]; then
    mkdir -p "$WORK/sdist" "$SRC"
    "$PY" -m pip download --quiet --no-deps --no-binary :all: --dest "$WORK/sdist" \
        "langgraph-checkpoint==$CKPT" "langgraph-checkpoint-sqlite==$SQLITE"
    for pair in "checkpoint:langgraph_checkpoint-$CKPT" "sqlite:langgraph_checkpoint_sqlite-$SQLITE"; do
        name="${pair%%:*}" stem="${pair#*:}"
        rm -rf "$SRC/$name" "$SRC/$stem"
        tar -xzf "$WORK/sdist/$stem.tar.gz" -C "$SRC"
        mv "$SRC/$stem" "$SRC/$name"
    done
fi

status=0
reports=()
run() {  # run <dist> <test files...>
    local dist="$1"; shift
    local args=() node _reason
    while IFS='|' read -r node _reason; do
        node="$(echo "$node" | xargs)"
        [[ "$node" == "$dist/"* ]] && args+=(--deselect "${node#*/}")
    done <<<"$DESELECT"
    cp "$ROOT/tests/peer/conftest_overrides.py" "$SRC/$dist/tests/conftest.py"
    local report="$SRC/$dist-report.xml"
    reports+=("$dist:$report")
    # The sdist's own pyproject supplies its pytest config (asyncio_mode=auto, markers).
    (cd "$SRC/$dist" && "$PY" -m pytest -q -p no:cacheprovider --junitxml="$report" \
        "${args[@]}" "$@" "${EXTRA_ARGS[@]}") || status=1
}
EXTRA_ARGS=("$@")
run checkpoint tests/test_store.py
run sqlite tests/test_store.py tests/test_async_store.py tests/test_ttl.py

echo
echo "LangGraph store suites against LanceDBStore (langgraph-checkpoint $CKPT, langgraph-checkpoint-sqlite $SQLITE)"
"$PY" - "${reports[@]}" <<'EOF'
import sys
import xml.etree.ElementTree as ET
from collections import Counter

for spec in sys.argv[1:]:
    dist, path = spec.split(":", 1)
    counts: dict[str, Counter] = {}
    for case in ET.parse(path).iter("testcase"):
        file = case.get("classname", "").split(".")[1] + ".py"
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "failed"
            elif child.tag == "skipped":
                outcome = "skipped"
        counts.setdefault(file, Counter())[outcome] += 1
    for file, c in sorted(counts.items()):
        total = sum(c.values())
        print(f"  {dist:10s} tests/{file:22s} {c['passed']:4d}/{total:<4d} passed"
              f"  ({c['failed']} failed, {c['skipped']} skipped)")
EOF
echo "Deselected (SQLite internals):"
echo "$DESELECT" | sed 's/^/  /'
exit "$status"
