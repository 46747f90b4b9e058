#!/bin/sh
# Compiles and runs the plugin's C test (Maven test phase; skipped with -DskipTests or
# -Dmaven.test.skip). By hand: sh src/test/run_test.sh NATIVE_DIR [false] [timed_calls]
set -eu
exec 2>&1 # one stream: Maven shows it in order
base=$(cd "$1" && pwd)
[ "${2:-false}" = "true" ] && { echo "run_test.sh: skipped (maven.test.skip)"; exit 0; }
CC=${CC:-gcc}
out=$base/target/test
lib=$base/target/lib
mkdir -p "$out"
$CC -O2 -std=c11 -Wall -Wextra -Werror -I"$base/src/main/c" "$base/src/test/c/pjrt_plugin_test.c" \
  -o "$out/pjrt_plugin_test" -ldl -lpthread -lm
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
"$out/pjrt_plugin_test" "$lib/libjnx_pjrt_cpu.so" ${3:-20000}

# The binary check: a copy of TensorFlow with one byte of its .comment section changed (it
# still loads and runs) must make the plugin refuse XLA's client and fall back to tf-session.
mod=$out/modified-tf
mkdir -p "$mod"
cp "$lib/libtensorflow_cc.so.2" "$mod/libtensorflow_cc.so.2"
ln -f "$lib/libtensorflow_framework.so.2" "$mod/" 2>/dev/null || cp "$lib/libtensorflow_framework.so.2" "$mod/"
at=$(readelf -SW "$mod/libtensorflow_cc.so.2" | awk '$2 == ".comment" { print $5 }')
[ -n "$at" ] || { echo "run_test.sh: no .comment section in libtensorflow_cc.so.2"; exit 1; }
printf 'J' | dd of="$mod/libtensorflow_cc.so.2" bs=1 seek=$((0x$at)) conv=notrunc status=none
JNX_TF_LIBRARY_DIR=$mod "$out/pjrt_plugin_test" "$lib/libjnx_pjrt_cpu.so" --expect-fallback
rm -rf "$mod"
