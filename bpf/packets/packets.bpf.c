// SPDX-License-Identifier: GPL-2.0
/* Packet capture for the probes that read payloads: cgroup_skb egress and ingress at the cgroup v2 root, so every
 * socket of every process and network namespace, loopback included, IPv4 and IPv6, UDP and TCP. A packet whose
 * port is marked in packet_ports for a switched-on class (DNS), or whose TCP payload starts a TLS hello on any port
 * (TLS), goes to user space once, with the first PACKET_CAPTURE_MAX payload bytes, the local socket's
 * cookie and its owner. One program per direction however many probes consume it: a packet is inspected once.
 * Both programs always return 1: they observe, never drop. */
#include "ingrain.h"
#include <bpf/bpf_endian.h>
#include "packets.h"

#define IP_OFFSET_MASK 0x1fff
#define IPV6_HOPOPTS 0
#define IPV6_ROUTING 43
#define IPV6_FRAGMENT 44
#define IPV6_DSTOPTS 60
#define IPV6_EXT_MAX 4

INGRAIN_RINGBUF(4 * 1024 * 1024);
INGRAIN_SCRATCH(scratch, struct packet_scratch);

/* Port (host order) -> PACKET_CLASS_* bits: the ports whose payload a class parses. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
} packet_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct packet_config);
} packet_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PACKET_ERR_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} packet_errors SEC(".maps");

/* Hellos split over segments: the next segments of that socket and direction (see packets.h). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct tls_pending_key);
	__type(value, struct tls_pending);
} tls_pending SEC(".maps");

/* PACKET_CLASS_TLS for a TCP segment that starts a handshake record holding a ClientHello or ServerHello, or that
 * continues one whose first segment did not hold the whole record. */
static __always_inline __u8 tls_classes(struct __sk_buff *skb, __u32 payload, __u32 wire, __u32 seq, __u8 direction)
{
	__u8 h[TLS_HEADER_LEN];
	struct tls_pending_key key = { .cookie = bpf_get_socket_cookie(skb), .direction = direction };
	if (wire >= TLS_HEADER_LEN && !bpf_skb_load_bytes(skb, payload, h, sizeof(h)) && h[0] == TLS_RECORD_HANDSHAKE
	    && h[1] == 3 && h[2] <= 4 && (h[5] == TLS_HANDSHAKE_CLIENT_HELLO || h[5] == TLS_HANDSHAKE_SERVER_HELLO)) {
		__u32 record = 5 + ((h[3] << 8) | h[4]);
		if (record > wire && key.cookie) {
			struct tls_pending p = { .end_seq = seq + record, .segments = TLS_PENDING_SEGMENTS };
			bpf_map_update_elem(&tls_pending, &key, &p, BPF_ANY);
		}
		return PACKET_CLASS_TLS;
	}
	if (!key.cookie)
		return 0;
	struct tls_pending *p = bpf_map_lookup_elem(&tls_pending, &key);
	if (!p)
		return 0;
	/* seq before the record's end (wrap-safe) and segments left: a continuation; else the wait is over. */
	if ((__s32)(p->end_seq - seq) > 0 && p->segments > 0) {
		if (--p->segments == 0 || (__s32)(p->end_seq - (seq + wire)) <= 0)
			bpf_map_delete_elem(&tls_pending, &key);
		return PACKET_CLASS_TLS;
	}
	bpf_map_delete_elem(&tls_pending, &key);
	return 0;
}

static __always_inline __u8 port_classes(__u16 port)
{
	__u32 k = port;
	__u8 *c = bpf_map_lookup_elem(&packet_ports, &k);
	return c ? *c : 0;
}

/* The IP header's addresses into r, the transport protocol into *proto and the transport header's offset into *off;
 * false for anything else (ARP never gets here; non-first fragments carry no transport header). */
static __always_inline bool read_ip(struct __sk_buff *skb, struct packet_record *r, __u8 *proto, __u32 *off)
{
	__u8 vhl;
	if (bpf_skb_load_bytes(skb, 0, &vhl, 1))
		return false;
	if ((vhl >> 4) == 4) {
		struct iphdr ip;
		if (bpf_skb_load_bytes(skb, 0, &ip, sizeof(ip)))
			return false;
		if (bpf_ntohs(ip.frag_off) & IP_OFFSET_MASK)
			return false;
		*off = ip.ihl * 4;
		if (*off < sizeof(ip))
			return false;
		*proto = ip.protocol;
		r->family = AF_INET;
		__builtin_memset(r->saddr, 0, sizeof(r->saddr));
		__builtin_memset(r->daddr, 0, sizeof(r->daddr));
		__builtin_memcpy(r->saddr, &ip.saddr, 4);
		__builtin_memcpy(r->daddr, &ip.daddr, 4);
		return true;
	}
	if ((vhl >> 4) != 6)
		return false;
	struct ipv6hdr ip6;
	if (bpf_skb_load_bytes(skb, 0, &ip6, sizeof(ip6)))
		return false;
	r->family = AF_INET6;
	__builtin_memcpy(r->saddr, &ip6.saddr, 16);
	__builtin_memcpy(r->daddr, &ip6.daddr, 16);
	__u8 next = ip6.nexthdr;
	__u32 o = sizeof(ip6);
	/* Extension headers: a few, bounded (packets with more are not DNS or TLS in practice). */
	for (int i = 0; i < IPV6_EXT_MAX; i++) {
		__u8 h[4];
		if (next != IPV6_HOPOPTS && next != IPV6_ROUTING && next != IPV6_DSTOPTS && next != IPV6_FRAGMENT)
			break;
		if (bpf_skb_load_bytes(skb, o, h, sizeof(h)))
			return false;
		if (next == IPV6_FRAGMENT) {
			if (((h[2] << 8) | h[3]) & 0xfff8)
				return false;   /* not the first fragment */
			o += 8;
		} else {
			o += (h[1] + 1) * 8;
		}
		next = h[0];
	}
	*proto = next;
	*off = o;
	return true;
}

static __always_inline int capture(struct __sk_buff *skb, __u8 direction)
{
	__u32 zero = 0;
	struct packet_config *cfg = bpf_map_lookup_elem(&packet_config, &zero);
	if (!cfg || !cfg->classes)
		return 1;
	struct packet_scratch *s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return 1;
	struct packet_record *r = &s->r;
	__u8 proto = 0;
	__u32 off = 0, payload;
	if (!read_ip(skb, r, &proto, &off))
		return 1;
	__u16 ports[2];
	if (bpf_skb_load_bytes(skb, off, ports, sizeof(ports)))
		return 1;
	r->tcp_seq = 0;
	if (proto == IPPROTO_UDP) {
		payload = off + 8;
	} else if (proto == IPPROTO_TCP) {
		struct tcphdr th;
		if (bpf_skb_load_bytes(skb, off, &th, sizeof(th)))
			return 1;
		payload = off + th.doff * 4;
		r->tcp_seq = bpf_ntohl(th.seq);
	} else {
		return 1;
	}
	r->sport = bpf_ntohs(ports[0]);
	r->dport = bpf_ntohs(ports[1]);
	if (skb->len <= payload)
		return 1;   /* no payload (a bare ACK, SYN or FIN) */
	__u32 wire = skb->len - payload;
	__u8 classes = (port_classes(r->sport) | port_classes(r->dport)) & cfg->classes;
	if (proto == IPPROTO_TCP && (cfg->classes & PACKET_CLASS_TLS) && !(classes & PACKET_CLASS_TLS))
		classes |= tls_classes(skb, payload, wire, r->tcp_seq, direction);
	if (!classes)
		return 1;   /* not for any consumer */

	__u64 cookie = bpf_get_socket_cookie(skb);
	struct sock_owner *o = cookie ? bpf_map_lookup_elem(&sock_owners, &cookie) : NULL;
	if (o && cfg->ignore_tgid && o->tgid == cfg->ignore_tgid)
		return 1;
	r->flags = 0;
	if (o) {
		__builtin_memcpy(&r->owner, o, sizeof(r->owner));
	} else {
		__builtin_memset(&r->owner, 0, sizeof(r->owner));
		r->flags |= PACKET_F_NO_OWNER;
	}

	__u32 n = wire;
	if (n > PACKET_CAPTURE_MAX) {
		n = PACKET_CAPTURE_MAX;
		__u32 k = PACKET_ERR_TRUNCATED;
		__u64 *c = bpf_map_lookup_elem(&packet_errors, &k);
		if (c)
			(*c)++;
	}
	/* The verifier needs the length provably in [1, PACKET_CAPTURE_MAX] in the register passed: n is (wire > 0). */
	barrier_var(n);
	n = ((n - 1) & (PACKET_CAPTURE_MAX - 1)) + 1;
	if (bpf_skb_load_bytes(skb, payload, s->payload, n))
		return 1;
	r->op = INGRAIN_OP_PACKET;
	r->classes = classes;
	r->direction = direction;
	r->protocol = proto;
	r->cap_len = n;
	r->wire_len = wire;
	r->boot_ns = bpf_ktime_get_boot_ns();
	r->cookie = cookie;
	r->reserved = 0;
	INGRAIN_OUTPUT(s, sizeof(struct packet_record) + n);
	return 1;
}

SEC("cgroup_skb/egress")
int ingrain_pkt_egress(struct __sk_buff *skb)
{
	return capture(skb, PACKET_EGRESS);
}

SEC("cgroup_skb/ingress")
int ingrain_pkt_ingress(struct __sk_buff *skb)
{
	return capture(skb, PACKET_INGRESS);
}
