// SPDX-License-Identifier: GPL-2.0
/* Instantiates every record the network probe and the socket owner map share with C#, so this object's BTF
 * describes their layout. Compiled into tests/Ingrain.Probes.Tests only (NetworkAbiTests); never loaded. */
#include "ingrain.h"
#include "../network/network.h"

struct connection_record abi_connection_record;
struct volume_key abi_volume_key;
struct volume_value abi_volume_value;
struct sock_owner abi_sock_owner;
struct sock_tuple abi_sock_tuple;
