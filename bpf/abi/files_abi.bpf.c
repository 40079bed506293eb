// SPDX-License-Identifier: GPL-2.0
/* Instantiates every record the files probe shares with C#, so this object's BTF describes their layout. Compiled
 * into tests/Ingrain.Probes.Tests only (FilesAbiTests); never loaded. */
#include "ingrain.h"
#include "../files/files.h"

struct file_record abi_file_record;
struct monitor_key abi_monitor_key;
struct io_key abi_io_key;
struct io_value abi_io_value;
struct files_config abi_files_config;
struct monitor_bloom abi_monitor_bloom;
