"""Measures what one round trip over loopback TCP costs when nothing is done at either end: one byte sent back and
forth between two processes, first on different CPUs, then both on CPU 0. The difference is the time it takes to wake
an idle CPU, which every call made one at a time pays twice.

Usage: python3 pingpong.py [ROUND_TRIPS]   (default 50 000, after 1 000 of warm-up)
Prints one JSON object per placement: {"pingpong": "two CPUs" | "one CPU", "round_trip_us": ...}.
"""

import json
import os
import socket
import sys
import time

WARM_UP = 1_000


def echo(listener, cpu):
    """The server side, in a child process pinned to `cpu`: sends back every byte until the peer closes."""
    os.sched_setaffinity(0, {cpu})
    connection, _ = listener.accept()
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while connection.recv(1):
        connection.sendall(b"x")


def round_trip_us(server_cpu, client_cpu, round_trips):
    listener = socket.create_server(("127.0.0.1", 0))
    address = listener.getsockname()
    child = os.fork()
    if child == 0:
        try:
            echo(listener, server_cpu)
        finally:
            os._exit(0)
    listener.close()
    os.sched_setaffinity(0, {client_cpu})
    with socket.create_connection(address) as connection:
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for _ in range(WARM_UP):
            connection.sendall(b"x")
            connection.recv(1)
        start = time.perf_counter()
        for _ in range(round_trips):
            connection.sendall(b"x")
            connection.recv(1)
        elapsed = time.perf_counter() - start
    os.waitpid(child, 0)
    return elapsed / round_trips * 1e6


def main():
    round_trips = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    cpus = sorted(os.sched_getaffinity(0))
    placements = [("two CPUs", cpus[0], cpus[1])] if len(cpus) > 1 else []
    placements.append(("one CPU", cpus[0], cpus[0]))
    for name, server_cpu, client_cpu in placements:
        us = round_trip_us(server_cpu, client_cpu, round_trips)
        print(json.dumps({"pingpong": name, "round_trip_us": round(us, 1)}), flush=True)


if __name__ == "__main__":
    main()
