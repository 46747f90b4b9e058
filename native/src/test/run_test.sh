#!/bin/sh
# Compiles and runs the plugin's C test (Maven test phase; skipped with -DskipTests or
# -Dmaven.test.skip). By hand: sh src/test/run_test.sh NATIVE_DIR [false] [timed_calls]
set -eu
exec 2>&1 # one stream: Maven shows it in order
base=$(cd "$1" && pwd)
[ "${2:-false}" = "true" ] && { echo "run_test.sh: skipped (maven.test.skip)"; exit 0; }
CC=${CC:-gcc}
out=$base/target/test
mkdir -p "$out"
$CC -O2 -std=c11 -Wall -Wextra -Werror -I"$base/src/main/c" "$base/src/test/c/pjrt_plugin_test.c" \
  -o "$out/pjrt_plugin_test" -ldl -lpthread -lm
TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2} "$out/pjrt_plugin_test" "$base/target/lib/libjnx_pjrt_cpu.so" ${3:-20000}
