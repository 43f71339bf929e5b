#!/usr/bin/env python3
"""A TCP relay that holds every chunk for a while in each direction: PostgreSQL
as if on another host, for bench/load.sh --pg-delay (no netem needed).

    bench/delay_proxy.py LISTEN_PORT TARGET_PORT DELAY_MS

Listens on 127.0.0.1:LISTEN_PORT and relays each connection to
127.0.0.1:TARGET_PORT; a chunk read on either side is sent on DELAY_MS later
(one thread per direction, so order is kept and a round trip costs twice
DELAY_MS plus the relay's own ~0.1-0.2 ms). It is a Python process on the
same CPUs: it suits latency at one connection, not throughput.
"""
import socket
import sys
import threading
import time


def relay(source, destination, delay):
    try:
        while True:
            chunk = source.recv(65536)
            if not chunk:
                break
            time.sleep(delay)
            destination.sendall(chunk)
    except OSError:
        pass
    for side in (source, destination):
        try:
            side.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def main():
    listen_port, target_port, delay_ms = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    delay = delay_ms / 1000
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", listen_port))
    server.listen(128)
    while True:
        client, _ = server.accept()
        try:
            upstream = socket.create_connection(("127.0.0.1", target_port))
        except OSError:
            client.close()
            continue
        for side in (client, upstream):
            side.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=relay, args=(client, upstream, delay), daemon=True).start()
        threading.Thread(target=relay, args=(upstream, client, delay), daemon=True).start()


if __name__ == "__main__":
    main()
