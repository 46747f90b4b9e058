#!/bin/sh
# Builds the CPU PJRT plugin; run by Maven in the compile phase (see pom.xml), or by hand:
#   sh src/build.sh NATIVE_DIR TF_DIR
# NATIVE_DIR is this module's directory; TF_DIR holds libtensorflow_cc.so.2 and
# libtensorflow_framework.so.2 (Maven unpacks them from the TF jar into target/tf).
# Outputs:
#   target/classes/dev/jnx/native/linux-x86_64/libjnx_pjrt_cpu.so  (packed into the jar)
#   target/lib/{libjnx_pjrt_cpu.so, libtensorflow_cc.so.2, libtensorflow_framework.so.2}
#     side by side, so that dlopen(target/lib/libjnx_pjrt_cpu.so) finds TF next to itself.
set -eu
exec 2>&1 # one stream: Maven shows it in order
base=$(cd "$1" && pwd)
tf=$2
src=$base/src/main/c
gen=$base/target/generated
res=$base/target/classes/dev/jnx/native/linux-x86_64
lib=$base/target/lib
CC=${CC:-gcc}
CXX=${CXX:-g++}
mkdir -p "$gen" "$res" "$lib"

# Layout checks of our PJRT declarations against the ABI table (compile-time asserts).
sh "$base/src/gen_abi_asserts.sh" "$base/src/test/pjrt-abi.tsv" "$src/jnx_pjrt.h" "$gen/pjrt_abi_asserts.h"

# TF is dlopen-ed at run time (see tf_glue.c), and xla_cpu.cc finds its entry points with
# dlsym, so nothing links against it here. The C++ part uses the libstdc++ TF itself uses.
# -z nodelete: TF cannot be unloaded, and thread-local statuses point into the plugin.
obj=$base/target/obj
mkdir -p "$obj"
for f in "$src"/*.c; do
  $CC -O2 -fPIC -std=c11 -Wall -Wextra -Werror -fvisibility=hidden -I"$src" -I"$gen" \
    -c "$f" -o "$obj/$(basename "$f" .c).o"
done
$CXX -O2 -fPIC -std=c++17 -Wall -Wextra -Werror -fvisibility=hidden -fno-exceptions -fno-rtti \
  -I"$src" -c "$src/xla_cpu.cc" -o "$obj/xla_cpu.o"
$CXX -shared "$obj"/*.o -o "$res/libjnx_pjrt_cpu.so.tmp" \
  -ldl -lpthread -Wl,-z,defs -Wl,-z,nodelete -Wl,-soname,libjnx_pjrt_cpu.so
mv -f "$res/libjnx_pjrt_cpu.so.tmp" "$res/libjnx_pjrt_cpu.so"

# Hard links where possible (the TF libraries are 680 MB), copies otherwise.
place() {
  if [ ! "$1" -ef "$2" ]; then
    rm -f "$2"
    ln "$1" "$2" 2>/dev/null || cp "$1" "$2"
  fi
}
for f in libtensorflow_cc.so.2 libtensorflow_framework.so.2; do
  [ -f "$tf/$f" ] || { echo "build.sh: $tf/$f is missing" >&2; exit 1; }
  place "$tf/$f" "$lib/$f"
done
place "$res/libjnx_pjrt_cpu.so" "$lib/libjnx_pjrt_cpu.so"
echo "build.sh: built $lib/libjnx_pjrt_cpu.so"
