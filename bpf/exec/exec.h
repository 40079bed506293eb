/* Records of the exec probe. Mirrored in C# by src/Probes/Exec/ExecRecords.cs (sizes and offsets are
 * checked against this object's BTF by ExecAbiTests): change both together.
 * An exec record is variable-length: the kernel sends the header, then filename_len bytes of filename, then
 * args_len bytes of argv, and nothing more (offsetof(data) + filename_len + args_len bytes), so a 4 MiB ring
 * holds tens of thousands of execs instead of about 950. */
#ifndef INGRAIN_EXEC_H
#define INGRAIN_EXEC_H

#define EXEC_FILENAME_LEN 256  /* at most 255 bytes are kept (bpf_probe_read_kernel_str's NUL takes one) */
#define EXEC_ARGS_LEN 4096

/* exec_record.flags */
#define EXEC_FLAG_ARGS_TRUNCATED 1
#define EXEC_FLAG_FILENAME_TRUNCATED 2

struct exec_record {
	__u8 op;              /* INGRAIN_OP_EXEC */
	__u8 flags;           /* EXEC_FLAG_* */
	__u16 filename_len;   /* bytes in filename, without the NUL */
	__u32 args_len;       /* bytes used in args: NUL-separated argv */
	__u64 boot_ns;        /* CLOCK_BOOTTIME of the event */
	__u64 cgroup_id;
	__u32 pid;            /* thread id */
	__u32 tgid;           /* process id */
	__u32 ppid;           /* parent's process id */
	__u32 uid;
	__u32 gid;
	__u32 reserved;
	char comm[16];
	/* filename (no NUL), then args right after it; only the used bytes are sent. */
	char data[EXEC_FILENAME_LEN + EXEC_ARGS_LEN];
};

struct exit_record {
	__u8 op;              /* INGRAIN_OP_EXIT */
	__u8 core_dumped;
	__u8 exit_code;       /* status passed to exit(), valid when signal == 0 */
	__u8 signal;          /* terminating signal, 0 for a normal exit */
	__u32 pid;            /* the thread that exited last (not always the main thread) */
	__u64 boot_ns;
	__u64 cgroup_id;
	__u64 duration_ns;    /* process lifetime: exit time - start time */
	__u32 tgid;
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	char comm[16];
};

_Static_assert(__builtin_offsetof(struct exec_record, data) == 64, "update ExecRecord in src/Probes/Exec/ExecRecords.cs");
_Static_assert(sizeof(struct exec_record) == 4416, "update ExecRecord in src/Probes/Exec/ExecRecords.cs");
_Static_assert(sizeof(struct exit_record) == 64, "update ExitRecord in src/Probes/Exec/ExecRecords.cs");

#endif
