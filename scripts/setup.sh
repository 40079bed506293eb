#!/usr/bin/env bash
# Installs what building and testing Ingrain needs on a fresh Debian/Ubuntu machine (run as root).
# Idempotent: each step is skipped when its tools are already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v clang >/dev/null || need_apt+=(clang)
command -v llvm-strip >/dev/null || need_apt+=(llvm)
[ -f /usr/include/bpf/libbpf.h ] || need_apt+=(libbpf-dev)
command -v bpftool >/dev/null || need_apt+=(bpftool)
ldconfig -p | grep -q 'libbpf.so.1 ' || need_apt+=(libbpf1)
if [ "${1:-}" = "--test" ]; then
  command -v node >/dev/null || need_apt+=(nodejs npm)
  command -v nc >/dev/null || need_apt+=(netcat-openbsd)
  command -v python3 >/dev/null || need_apt+=(python3)  # scripts/test.sh totals the results; network test peers
  command -v tcplife >/dev/null || need_apt+=(libbpf-tools)  # network probe fidelity test
  command -v dnsmasq >/dev/null || [ -x /usr/sbin/dnsmasq ] || need_apt+=(dnsmasq-base)  # DNS probe: the server
  command -v dig >/dev/null || need_apt+=(bind9-dnsutils)  # DNS probe: the client
  command -v tshark >/dev/null || need_apt+=(tshark)  # DNS and TLS probe fidelity tests
  command -v prometheus >/dev/null || need_apt+=(prometheus)  # the /metrics endpoint is scraped by a real Prometheus
  command -v systemd-analyze >/dev/null || need_apt+=(systemd)  # make install: the unit is checked by systemd-analyze verify
  command -v setpriv >/dev/null && command -v unshare >/dev/null || need_apt+=(util-linux)  # least-privilege and one-file specs
  command -v openssl >/dev/null || need_apt+=(openssl)  # TLS probe: s_server and s_client
  command -v curl >/dev/null || need_apt+=(curl)  # TLS probe: a second client
fi
if [ "${1:-}" = "--bench" ]; then
  command -v execsnoop >/dev/null || [ -x /usr/sbin/execsnoop ] || need_apt+=(libbpf-tools)  # the exec storm's peer
  [ -x /usr/sbin/dnsmasq ] || need_apt+=(dnsmasq-base)  # the DNS benchmark's server
  command -v bpftrace >/dev/null || need_apt+=(bpftrace)  # the files benchmark's in-kernel count of opens
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Test peers: a real StatsD server and a real S3-compatible server, installed locally under tests/peers.
if [ "${1:-}" = "--test" ] && [ ! -f tests/peers/node_modules/.installed ]; then
  echo "setup: installing test peers (statsd, s3rver)" >&2
  (cd tests/peers && npm install --no-audit --no-fund --silent && touch node_modules/.installed)
fi
