/* Maps of the syscalls probe. Mirrored in C# by src/Probes/Syscalls/SyscallRecords.cs (sizes are checked against
 * this object's BTF by SyscallAbiTests): change both together. */
#ifndef INGRAIN_SYSCALLS_H
#define INGRAIN_SYSCALLS_H

#define SYSCALLS_MAX_NR 1024                        /* syscall numbers the filter bitmap covers (x86_64, arm64 < 512) */
#define SYSCALLS_BITMAP_WORDS (SYSCALLS_MAX_NR / 64)
#define SYSCALLS_MAX_PAIRS 32768                    /* default; user space sets the size (max-pairs) before load */

/* The key of the count maps: one process and one syscall. */
struct syscall_key {
	__u32 tgid;
	__u32 nr;
};

/* The value of the comm maps: the process's name (its main thread's comm) when its last new pair of the interval was counted. */
struct syscall_comm {
	char comm[16];
};

/* Indexes of syscall_errors. */
enum syscall_error {
	SYSCALL_ERR_CALLS_LOST = 0,   /* calls not counted: their (process, syscall) pair found the count map full */
	SYSCALL_ERR_COUNT,
};

#endif
