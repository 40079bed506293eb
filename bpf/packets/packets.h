/* The packet capture record shared by the probes that read payloads (DNS now, TLS next). Mirrored in C# by
 * src/Probes/Packets/PacketRecords.cs (sizes and offsets checked against BTF by PacketAbiTests): change both. */
#ifndef INGRAIN_PACKETS_H
#define INGRAIN_PACKETS_H

#include "../sockets/sock_owner.h"

/* Payload bytes copied per packet at most; the rest is counted in wire_len only. A DNS message over UDP is at most
 * the EDNS0 buffer size (dig and most resolvers: 1232 bytes); a TLS ClientHello is rarely above 2 KiB. */
#define PACKET_CAPTURE_MAX 4096

/* Which consumer a packet is for (bits: one packet can match several). packet_ports[port] holds them per port;
 * a class that inspects any port (TLS: by the first payload bytes) is switched on in packet_config.classes. */
#define PACKET_CLASS_DNS 1
#define PACKET_CLASS_TLS 2

/* packet_record.direction */
#define PACKET_EGRESS 1     /* sent by the local socket (cookie) */
#define PACKET_INGRESS 2    /* received by the local socket (cookie) */

/* packet_record.flags */
#define PACKET_F_NO_OWNER 1 /* sock_owners had no entry for the cookie yet (first segment before accept) */

/* One packet's headers and the first cap_len payload bytes, which follow the record in the ring. */
struct packet_record {
	__u8 op;                /* INGRAIN_OP_PACKET */
	__u8 classes;           /* PACKET_CLASS_* that matched */
	__u8 direction;         /* PACKET_EGRESS, PACKET_INGRESS */
	__u8 flags;             /* PACKET_F_* */
	__u8 family;            /* AF_INET, AF_INET6 (of the IP header) */
	__u8 protocol;          /* IPPROTO_TCP, IPPROTO_UDP */
	__u16 cap_len;          /* payload bytes that follow */
	__u32 wire_len;         /* payload bytes in the packet (after the UDP or TCP header) */
	__u32 tcp_seq;          /* TCP: the segment's sequence number (host order), for reassembly; 0 for UDP */
	__u64 boot_ns;
	__u64 cookie;           /* the local socket: the sender's on egress, the receiver's on ingress */
	__u8 saddr[16];         /* the packet's source (IPv4 in the first 4 bytes) */
	__u8 daddr[16];         /* the packet's destination */
	__u16 sport;            /* host order */
	__u16 dport;
	__u32 reserved;
	struct sock_owner owner;
};

_Static_assert(sizeof(struct packet_record) == 128, "update PacketRecord in src/Probes/Packets/PacketRecords.cs");

/* A record and room for its payload: the per-CPU scratch the program fills before bpf_ringbuf_output. */
struct packet_scratch {
	struct packet_record r;
	__u8 payload[PACKET_CAPTURE_MAX];
};

/* packet_config[0], written by user space (at any time: a probe joining a loaded capture changes it in place). */
struct packet_config {
	__u32 ignore_tgid;      /* the agent itself (0: keep all) */
	__u32 classes;          /* PACKET_CLASS_* switched on */
};

/* A TLS record that carries a handshake: content type 22, version 3.x (SSL 3.0 to TLS 1.3's legacy 3.3; 3.4 tolerated),
 * then a 2-byte record length and the handshake type: 1 ClientHello, 2 ServerHello. Recognised on the first payload
 * bytes of any TCP segment, on any port. */
#define TLS_RECORD_HANDSHAKE 0x16
#define TLS_HANDSHAKE_CLIENT_HELLO 1
#define TLS_HANDSHAKE_SERVER_HELLO 2
#define TLS_HEADER_LEN 6       /* 5-byte record header + the handshake type */

/* tls_pending: a hello whose record is longer than its first segment; the next segments of the same socket and
 * direction are captured too, until the record's end (at most TLS_PENDING_SEGMENTS more). Key: cookie and direction. */
#define TLS_PENDING_SEGMENTS 4
struct tls_pending_key {
	__u64 cookie;
	__u32 direction;
	__u32 reserved;
};

struct tls_pending {
	__u32 end_seq;          /* sequence number just past the record */
	__u32 segments;         /* how many more segments may still be captured */
};

/* packet_errors indexes */
#define PACKET_ERR_TRUNCATED 0  /* payloads longer than PACKET_CAPTURE_MAX (captured in part) */
#define PACKET_ERR_COUNT 1

#endif
