/* Records and map entries of the network probe. Mirrored in C# by src/Probes/Network/NetworkRecords.cs (sizes and
 * offsets are checked against BTF by NetworkAbiTests): change both together. */
#ifndef INGRAIN_NETWORK_H
#define INGRAIN_NETWORK_H

#include "../sockets/sock_owner.h"
#include "../sockets/sock_tuple.h"

/* connection_record.kind */
#define CONN_OUT 1      /* a local process's connect finished: established, or failed (error != 0) */
#define CONN_IN 2       /* a local process accepted a connection */
#define CONN_CLOSE 3    /* an established connection reached TCP_CLOSE */

/* connection_record.flags */
#define CONN_F_NO_OWNER 1      /* no process known for the socket yet (closed before accept): user space waits */
#define CONN_F_PARTIAL 2       /* born before the probe was attached: duration_ns is unknown (0) */

/* One TCP connection event, written to the ring buffer. */
struct connection_record {
	__u8 op;                /* INGRAIN_OP_CONNECTION */
	__u8 kind;              /* CONN_* */
	__u8 flags;             /* CONN_F_* */
	__u8 reserved;
	__u32 error;            /* CONN_OUT: the errno that ended the handshake (ECONNREFUSED...), 0 when established */
	__u64 boot_ns;
	__u64 cookie;           /* socket cookie: joins a close held for its owner with the accept that names it */
	__u64 duration_ns;      /* CONN_CLOSE: from the connection's birth (SYN_SENT or SYN_RECV) */
	__u64 tx_bytes;         /* CONN_CLOSE: payload bytes sent, retransmits excluded (bytes_sent - bytes_retrans) */
	__u64 rx_bytes;         /* CONN_CLOSE: payload bytes received, FIN excluded */
	struct sock_owner owner;
	struct sock_tuple tuple;
};

/* conn_state.flags */
#define CONN_S_ACTIVE 1        /* born by connect() (SYN_SENT) */
#define CONN_S_PASSIVE 2       /* born from a listener (SYN_RECV) */
#define CONN_S_ESTABLISHED 4
#define CONN_S_OWNED 8         /* owner is set */
#define CONN_S_PARTIAL 16      /* first seen after its birth */
#define CONN_S_IGNORED 32      /* owned by the ignored process: never reported */

/* What the probe keeps per live TCP connection, keyed by socket cookie. */
struct conn_state {
	__u64 birth_ns;
	__u32 flags;            /* CONN_S_* */
	__u32 reserved;
	struct sock_owner owner;
};

/* Volume: bytes per socket, process and peer, summed in the kernel and read by user space every interval. A
 * connected socket has one peer; an unconnected UDP socket has one entry per peer it sent to or received from. */
struct volume_key {
	__u64 cookie;
	__u32 tgid;
	__u16 dport;            /* the peer, host byte order */
	__u16 family;
	__u8 daddr[16];
};

struct volume_value {
	__u64 tx_bytes;         /* cumulative: user space reports the growth since its last read */
	__u64 rx_bytes;
	__u64 tx_calls;
	__u64 rx_calls;
	__u16 sport;
	__u8 protocol;
	__u8 sock_family;       /* the socket's own family, which saddr is in (the key's family is the peer's) */
	__u32 uid;
	__u8 saddr[16];
	char comm[16];          /* the process's main thread's comm when the entry was made */
};

/* The peer of a UDP datagram being sent or received, from the cgroup sendmsg/recvmsg hooks, for the
 * sock_send_length/sock_recv_length that follows in the same thread. */
struct udp_peer {
	__u64 cookie;
	__u8 addr[16];
	__u16 port;
	__u16 family;
	__u32 reserved;
};

/* Indexes of the per-CPU "net_errors" array: every loss the kernel side can see. */
#define NET_ERR_CONN_MAP_FULL 0     /* a connection could not be tracked (conns full) */
#define NET_ERR_VOLUME_MAP_FULL 1   /* bytes not counted: no room for a new volume entry */
#define NET_ERR_VOLUME_BYTES_LOST 2 /* how many bytes those were */
#define NET_ERR_COUNT 3

#define NET_CONNS_MAX 65536
#define NET_VOLUMES_MAX 65536

_Static_assert(sizeof(struct connection_record) == 144, "update ConnectionRecord in src/Probes/Network/NetworkRecords.cs");
_Static_assert(sizeof(struct volume_key) == 32, "update VolumeKey in src/Probes/Network/NetworkRecords.cs");
_Static_assert(sizeof(struct volume_value) == 72, "update VolumeValue in src/Probes/Network/NetworkRecords.cs");

#endif
