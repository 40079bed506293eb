// SPDX-License-Identifier: GPL-2.0
/* Instantiates every record the exec probe shares with C#, so this object's BTF describes their layout.
 * (The probe's own object only casts void pointers, so clang emits no BTF for them.) Compiled into
 * tests/Ingrain.Probes.Tests only, where ExecAbiTests compares it with the C# mirrors; never loaded. */
#include "ingrain.h"
#include "../exec/exec.h"

struct exec_record abi_exec_record;
struct exit_record abi_exit_record;
