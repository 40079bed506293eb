#!/usr/bin/env python3
"""Real TCP/UDP peers for the network probe tests: each mode prints one JSON line with what it did.

  tcp-server HOST SEND          listen on HOST:0 (prints {"port"} first), accept one connection, read to EOF,
                                send SEND bytes, close after the client closed (so the client closes first)
  tcp-client HOST PORT SEND [THREAD]  connect, send SEND bytes, shut down writing, read to EOF, close; with THREAD, do
                                it all in a thread renamed THREAD (prctl), the main thread keeping its name
  udp-server HOST COUNT         bind HOST:0 (prints {"port"} first), receive COUNT datagrams (recvfrom)
  udp-client HOST PORT SIZE...  send one datagram of each SIZE with sendto
  held HOST BEFORE AFTER        a connection within this process: BEFORE bytes, then (after a line on stdin) AFTER
                                more bytes client to server and close: a connection that predates the probe
  refused HOST PORT             connect to a closed port, report the error
"""
import ctypes, json, os, socket, sys, threading


def comm():
    with open("/proc/self/comm") as f:
        return f.read().strip()


def emit(**kv):
    print(json.dumps(kv), flush=True)


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def read_to_eof(sock):
    total = 0
    while True:
        data = sock.recv(65536)
        if not data:
            return total
        total += len(data)


def send_exactly(sock, n):
    chunk = b"x" * 65536
    left = n
    while left:
        left -= sock.send(chunk[: min(left, len(chunk))])


def tcp_server(host, send):
    srv = socket.socket(family(host), socket.SOCK_STREAM)
    srv.bind((host, 0))
    srv.listen(1)
    emit(port=srv.getsockname()[1], pid=os.getpid(), comm=comm())
    conn, peer = srv.accept()
    received = read_to_eof(conn)
    send_exactly(conn, send)
    # The client read to EOF after our shutdown, then closed: wait for its FIN so we close last (LAST_ACK here).
    conn.shutdown(socket.SHUT_WR)
    read_to_eof(conn)
    conn.close()
    srv.close()
    emit(received=received, sent=send, peer_port=peer[1])


def tcp_client(host, port, send, thread=None):
    result = {}

    def run():
        if thread:
            ctypes.CDLL(None).prctl(15, thread.encode(), 0, 0, 0)  # PR_SET_NAME
        c = socket.create_connection((host, port))
        result["local_port"] = c.getsockname()[1]
        send_exactly(c, send)
        c.shutdown(socket.SHUT_WR)
        result["received"] = read_to_eof(c)
        c.close()
        result["tid"] = threading.get_native_id()

    if thread:
        t = threading.Thread(target=run)
        t.start()
        t.join()
    else:
        run()
    emit(pid=os.getpid(), comm=comm(), sent=send, **result)


def udp_server(host, count):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.bind((host, 0))
    emit(port=s.getsockname()[1], pid=os.getpid(), comm=comm())
    total, peer = 0, None
    for _ in range(count):
        data, peer = s.recvfrom(65536)
        total += len(data)
    s.close()
    emit(received=total, peer_port=peer[1])


def udp_client(host, port, sizes):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    for size in sizes:
        s.sendto(b"u" * size, (host, port))
    emit(pid=os.getpid(), comm=comm(), local_port=s.getsockname()[1], sent=sum(sizes))
    s.close()


def held(host, before, after):
    srv = socket.socket(family(host), socket.SOCK_STREAM)
    srv.bind((host, 0))
    srv.listen(1)
    c = socket.create_connection((host, srv.getsockname()[1]))
    a, _ = srv.accept()
    srv.close()
    send_exactly(c, before)
    got = 0
    while got < before:
        got += len(a.recv(65536))
    emit(pid=os.getpid(), comm=comm(), client_port=c.getsockname()[1], server_port=a.getsockname()[1])
    sys.stdin.readline()
    send_exactly(c, after)
    c.shutdown(socket.SHUT_WR)
    got = read_to_eof(a)
    a.close()
    c.close()
    emit(received=got)


def refused(host, port):
    c = socket.socket(family(host), socket.SOCK_STREAM)
    err = c.connect_ex((host, port))
    emit(pid=os.getpid(), comm=comm(), errno=err)
    c.close()


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "tcp-server":
        tcp_server(args[0], int(args[1]))
    elif mode == "tcp-client":
        tcp_client(args[0], int(args[1]), int(args[2]), args[3] if len(args) > 3 else None)
    elif mode == "udp-server":
        udp_server(args[0], int(args[1]))
    elif mode == "udp-client":
        udp_client(args[0], int(args[1]), [int(a) for a in args[2:]])
    elif mode == "held":
        held(args[0], int(args[1]), int(args[2]))
    elif mode == "refused":
        refused(args[0], int(args[1]))
    else:
        sys.exit("unknown mode " + mode)
