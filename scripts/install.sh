#!/usr/bin/env bash
# `make install [DESTDIR=…] [PREFIX=/usr]`: lays out the single-file binary, /etc/ingrain/pipeline.hocon (kept when
# one is there already), the systemd unit and the operations guide. Usage: scripts/install.sh BINARY DESTDIR PREFIX
set -euo pipefail
cd "$(dirname "$0")/.."
binary="$1" destdir="${2:-}" prefix="${3:-/usr}"
[ -x "$binary" ] || { echo "install: $binary not found: run make dist first" >&2; exit 1; }
install -D -m 0755 "$binary" "$destdir$prefix/bin/ingrain"
# The configuration is root's and not writable by others: the agent refuses it otherwise (docs/security.md).
if [ ! -e "$destdir/etc/ingrain/pipeline.hocon" ]; then
  install -D -m 0644 pipeline.hocon "$destdir/etc/ingrain/pipeline.hocon"
fi
install -d -m 0755 "$destdir/lib/systemd/system"
sed "s|/usr/bin/ingrain|$prefix/bin/ingrain|g; s|/usr/share/doc/ingrain|$prefix/share/doc/ingrain|g" packaging/ingrain.service \
  > "$destdir/lib/systemd/system/ingrain.service"
chmod 0644 "$destdir/lib/systemd/system/ingrain.service"
install -D -m 0644 docs/operations.md "$destdir$prefix/share/doc/ingrain/operations.md"
echo "install: $destdir$prefix/bin/ingrain, $destdir/etc/ingrain/pipeline.hocon, $destdir/lib/systemd/system/ingrain.service"
echo "install: then systemctl daemon-reload && systemctl enable --now ingrain"
