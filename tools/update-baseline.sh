#!/usr/bin/env bash
# update-baseline.sh [NAME...]: rewrites tests/regress/NAME/expected.json (all when no name) from
# the current build. Review the change with `git diff tests/regress` before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory all >/dev/null
exec tests/regress/run.sh build/kanshi --update "$@"
