// SPDX-License-Identifier: GPL-2.0
/* Instantiates the packet capture's shared records so this object's BTF describes their layout. Compiled into
 * tests/Ingrain.Probes.Tests only (PacketAbiTests); never loaded. */
#include "ingrain.h"
#include "../packets/packets.h"

struct packet_record abi_packet_record;
struct packet_config abi_packet_config;
