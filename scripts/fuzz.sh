#!/usr/bin/env bash
# Builds one libFuzzer target with clang (AddressSanitizer, UBSan, leak
# detection) into ./build-fuzz and runs it on its checked-in corpus.
# Usage: scripts/fuzz.sh TARGET [SECONDS]     (SECONDS defaults to 60)
#        scripts/fuzz.sh --list
# New inputs go to build-fuzz/corpus/TARGET (scratch); a crash, leak or
# timeout is written to build-fuzz/findings/TARGET/ and ends the run with a
# non-zero status. Only minimized findings belong in fuzz/corpus/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(http_request json_body csv_import url_settings cursor mail_headers quoted_printable webhook_url)
if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "${targets[@]}"
  exit 0
fi
target=${1:?usage: scripts/fuzz.sh TARGET [SECONDS] (--list names the targets)}
seconds=${2:-60}
if [[ ! " ${targets[*]} " =~ " ${target} " ]]; then
  echo "unknown target '$target'; one of: ${targets[*]}" >&2
  exit 2
fi

# Longest input worth trying: a request head with a chunked body, a CSV
# file, a JSON body are bigger than a URL, a cursor or a header value.
case "$target" in
  http_request|csv_import|json_body) max_len=8192 ;;
  quoted_printable|mail_headers) max_len=2048 ;;
  webhook_url) max_len=4096 ;;
  *) max_len=1024 ;;
esac

# clang and its libFuzzer runtime (Debian's clang, libclang-rt-14-dev).
if ! command -v clang++ >/dev/null ||
   [ ! -e "$(clang++ -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a" ]; then
  scripts/install-deps.sh --fuzz
fi

# ROSTER_FUZZ_NO_BUILD=1 runs the binary already built (while another
# target builds in the same directory, say).
if [ "${ROSTER_FUZZ_NO_BUILD:-}" != 1 ]; then
  cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DROSTER_BUILD_FUZZ=ON -DROSTER_BUILD_TESTS=OFF -DROSTER_BUILD_WEB=OFF >/dev/null
  cmake --build build-fuzz --target "${target}_fuzz" -j"${ROSTER_FUZZ_BUILD_JOBS:-2}"
fi

scratch=build-fuzz/corpus/$target
findings=build-fuzz/findings/$target
mkdir -p "$scratch" "$findings"
dictionary=()
[ -f "fuzz/dictionaries/$target.dict" ] && dictionary=(-dict="fuzz/dictionaries/$target.dict")

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# One process on one core. The first directory receives new inputs; the
# checked-in seeds are only read.
exec "build-fuzz/fuzz/${target}_fuzz" "$scratch" "fuzz/corpus/$target" \
  "${dictionary[@]}" -max_total_time="$seconds" -max_len="$max_len" -timeout=5 \
  -rss_limit_mb=2048 -detect_leaks=1 -print_final_stats=1 \
  -artifact_prefix="$findings/"
