#!/usr/bin/env bash
# Checks the DocC documentation of the library modules that have a catalog (IKEWire,
# ESPCore, IKECore, EAPCore): builds their public symbol graphs, then converts each catalog with
# `docc convert --analyze --warnings-as-errors`, so a broken ``symbol link``, a
# missing article or a doc comment DocC cannot read fails the run.
#
#   Docs/check-docc.sh [MODULE...]      default: IKEWire ESPCore IKECore EAPCore
#
# Needs `docc` (it comes with the Swift toolchain) on PATH or beside `swift`.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then modules=(IKEWire ESPCore IKECore EAPCore); fi

docc=$(command -v docc || echo "$(dirname "$(command -v swift)")/docc")
if [ ! -x "$docc" ]; then
    echo "error: docc not found on PATH or beside swift" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The symbol graphs of every module of the package (and its dependencies), public only.
dump=$(swift package dump-symbol-graph --minimum-access-level public --emit-extension-block-symbols 2>&1) || {
    echo "$dump" >&2
    exit 1
}
graphs=$(sed -n 's/^Files written to //p' <<<"$dump" | tail -n 1)
if [ ! -d "$graphs" ]; then
    echo "$dump" >&2
    echo "error: no symbol graph directory in the output above" >&2
    exit 1
fi

shopt -s nullglob
failed=0
for module in "${modules[@]}"; do
    # Only this module's graphs (its own symbols, and its extensions of other modules'
    # types in `$module@Other.symbols.json`): the other modules' graphs would add their
    # symbols to its documentation.
    mkdir -p "$work/$module/graph"
    extensions=("$graphs/$module"@*.symbols.json)
    cp "$graphs/$module.symbols.json" "${extensions[@]}" "$work/$module/graph/"
    echo "== docc: $module"
    if ! "$docc" convert "Sources/$module/$module.docc" \
        --additional-symbol-graph-dir "$work/$module/graph" \
        --fallback-display-name "$module" --fallback-bundle-identifier "org.cygnet.$module" \
        --output-path "$work/$module/out" --analyze --warnings-as-errors; then
        failed=1
    fi
done
exit $failed
