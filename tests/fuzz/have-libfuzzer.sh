#!/bin/sh
# Exits 0 when clang can link a libFuzzer target with ASan and UBSan here; installs the packages
# of .ci/bootstrap (clang, libclang-rt-dev) when they are missing and can be installed. Exits 2,
# saying why, only when no package can provide the runtime on this machine (`make fuzz` then
# skips); 1 when it could be installed but was not.
set -u
probe() {
  dir=$(mktemp -d) || return 1
  printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
    >"$dir/probe.c"
  clang -fsanitize=fuzzer,address,undefined "$dir/probe.c" -o "$dir/probe" >"$dir/log" 2>&1
  rc=$?
  [ $rc -eq 0 ] || sed 's/^/  /' "$dir/log" | head -5 >&2
  rm -rf "$dir"
  return $rc
}
command -v clang >/dev/null 2>&1 && probe 2>/dev/null && exit 0
installable=1
for p in clang libclang-rt-dev; do
  cand=$(apt-cache policy "$p" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
  if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then
    installable=0
  fi
done
if [ $installable -eq 0 ]; then
  echo "fuzz: skipped: clang's libFuzzer runtime is not installed and no package provides it" \
    "on this machine (Debian: clang and libclang-rt-dev)" >&2
  exit 2
fi
"$(dirname "$0")/../../.ci/bootstrap" || exit 1
command -v clang >/dev/null 2>&1 && probe && exit 0
echo "fuzz: clang cannot link a libFuzzer target although clang and libclang-rt-dev are" \
  "installable: see the errors above" >&2
exit 1
