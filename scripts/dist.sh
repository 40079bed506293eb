#!/usr/bin/env bash
# `make dist`: a self-contained single-file `ingrain` per runtime (default linux-x64 and linux-arm64), with the BPF
# objects embedded, in dist/<rid>/ingrain; prints each file's size. Needs only libbpf1 on the target machine
# (no .NET). `scripts/dist.sh linux-x64 /some/dir` builds one runtime into that directory.
set -euo pipefail
cd "$(dirname "$0")/.."
rids=("${1:-linux-x64}")
[ $# -eq 0 ] && rids=(linux-x64 linux-arm64)
out_root="${2:-dist}"
status=0
for rid in "${rids[@]}"; do
  out="$out_root"
  [ $# -lt 2 ] && out="$out_root/$rid"
  # Compressed single file, no symbols beside it; native libraries (none besides the runtime's) extracted on start.
  if dotnet publish src/Agent/Ingrain.Agent.csproj -c Release -r "$rid" --self-contained \
       -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
       -p:DebugType=none -p:DebugSymbols=false -o "$out" >"$out_root.$rid.log" 2>&1; then
    size=$(stat -c %s "$out/ingrain")
    echo "dist: $out/ingrain ($rid, $((size / 1024 / 1024)) MiB, $size bytes)"
    rm -f "$out_root.$rid.log"
  else
    echo "dist: $rid could not be built here (see $out_root.$rid.log)" >&2
    [ "$rid" = linux-x64 ] && status=1
  fi
done
exit $status
