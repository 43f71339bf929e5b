#!/usr/bin/env bash
# Builds the Debian package of Roster (cmake/Packaging.cmake) from ./build and
# prints its path, e.g. /…/build/roster_0.1.0-1_amd64.deb; the build and cpack
# write their output to stderr. Without a ./build, it builds one first (Release,
# with the console, without the tests); an existing one must be a Release build
# with the console and without sanitizers, and is brought up to date.
# Usage: scripts/package.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# dpkg-shlibdeps (the Depends line) and file (which CPack uses to find the
# executables to give it).
if ! command -v dpkg-shlibdeps >/dev/null || ! command -v file >/dev/null; then
  bash scripts/install-deps.sh --package >&2
fi

if [ ! -f build/CMakeCache.txt ]; then
  bash scripts/build.sh -DROSTER_BUILD_TESTS=OFF >&2
fi
cached() { sed -n "s/^$1:[A-Z]*=//p" build/CMakeCache.txt; }
if [ "$(cached CMAKE_BUILD_TYPE)" != Release ] || [ "$(cached ROSTER_BUILD_WEB)" != ON ] ||
   [ -n "$(cached ROSTER_SANITIZE)" ] || [ "$(cached ROSTER_BUILD_FUZZ)" = ON ]; then
  echo "package: build/ is not a Release build with the console and without sanitizers;" \
       "remove it or reconfigure it with scripts/build.sh" >&2
  exit 1
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake --build build -j"$jobs" --target roster roster_web >&2
log=$(cd build && cpack -G DEB 2>&1) || { printf '%s\n' "$log" >&2; exit 1; }
printf '%s\n' "$log" >&2
package=$(printf '%s\n' "$log" | sed -n 's/^CPack: - package: \(.*\.deb\) generated\.$/\1/p')
if [ ! -f "$package" ]; then
  echo "package: cpack named no .deb it generated" >&2
  exit 1
fi
echo "$package"
