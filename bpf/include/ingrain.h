/* Common definitions for every Ingrain BPF program (CO-RE, compiled with clang -target bpf).
 * Shared with C#: enum ingrain_op mirrors src/Probes/OpCode.cs (checked by a test). */
#ifndef INGRAIN_H
#define INGRAIN_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

/* First byte of every record a probe writes to its ring buffer: which decoder reads it. */
enum ingrain_op {
	INGRAIN_OP_EXEC = 1,
	INGRAIN_OP_EXIT = 2,
	INGRAIN_OP_BENCH = 3,
	INGRAIN_OP_CONNECTION = 4,
	INGRAIN_OP_PACKET = 5,
	INGRAIN_OP_FILE_OPEN = 6,
	INGRAIN_OP_FILE_PATH = 7,
};

#define INGRAIN_TASK_COMM_LEN 16

/* One ring buffer per object, named "events", plus a per-CPU count of records the kernel could not
 * reserve because the buffer was full (read by user space as the kernel-side loss). */
#define INGRAIN_RINGBUF(bytes)                                      \
	struct {                                                        \
		__uint(type, BPF_MAP_TYPE_RINGBUF);                         \
		__uint(max_entries, bytes);                                 \
	} events SEC(".maps");                                          \
	struct {                                                        \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                    \
		__uint(max_entries, 1);                                     \
		__type(key, __u32);                                         \
		__type(value, __u64);                                       \
	} reserve_failed SEC(".maps")

/* Counts one record the ring had no room for. */
#define INGRAIN_COUNT_RESERVE_FAILED()                              \
	({                                                              \
		__u32 __k = 0;                                              \
		__u64 *__c = bpf_map_lookup_elem(&reserve_failed, &__k);    \
		if (__c)                                                    \
			(*__c)++;                                               \
	})

/* Reserves a fixed-size record in "events", counting the failure when the ring is full. */
#define INGRAIN_RESERVE(type)                                       \
	({                                                              \
		type *__r = bpf_ringbuf_reserve(&events, sizeof(type), 0);  \
		if (!__r)                                                   \
			INGRAIN_COUNT_RESERVE_FAILED();                         \
		__r;                                                        \
	})

/* Wake-up batching, set by user space before load (RingBufferReader's batching option): 0 keeps the kernel's
 * default (wake a sleeping reader on every record, lowest latency); N > 0 wakes it only once N bytes wait, and the
 * reader then also polls on a timer for the rest. At high rates a wake-up per record costs more than the record. */
const volatile __u64 ingrain_wakeup_bytes = 0;

/* The wake-up flags for the next record (macros: "events" is declared after this header). */
#define INGRAIN_WAKEUP_FLAGS()                                                          \
	(!ingrain_wakeup_bytes ? 0 :                                                        \
		(bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= ingrain_wakeup_bytes          \
			? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP))

/* Submits a record reserved with INGRAIN_RESERVE. */
#define INGRAIN_SUBMIT(r) bpf_ringbuf_submit((r), INGRAIN_WAKEUP_FLAGS())

/* A per-CPU scratch record too big for the 512-byte BPF stack, for variable-length records: fill it, then send
 * only the bytes used with INGRAIN_OUTPUT (bpf_ringbuf_reserve needs a constant size, bpf_ringbuf_output does not).
 * One slot per CPU suffices: a classic tracepoint program never nests with another on the same CPU (the kernel's
 * bpf_prog_active guard skips the inner one). */
#define INGRAIN_SCRATCH(name, value_type)                           \
	struct {                                                        \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                    \
		__uint(max_entries, 1);                                     \
		__type(key, __u32);                                         \
		__type(value, value_type);                                  \
	} name SEC(".maps")

/* Copies the first `size` bytes of `r` into "events", counting the failure when the ring is full. */
#define INGRAIN_OUTPUT(r, size)                                                         \
	({                                                                                  \
		long __e = bpf_ringbuf_output(&events, (r), (size), INGRAIN_WAKEUP_FLAGS());   \
		if (__e)                                                                        \
			INGRAIN_COUNT_RESERVE_FAILED();                                             \
		__e;                                                                            \
	})

char LICENSE[] SEC("license") = "GPL";

#endif
