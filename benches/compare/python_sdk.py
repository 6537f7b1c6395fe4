"""Measures the official Python SDK (`authing` 4.5.18) against a running emulator.

Usage: python python_sdk.py CONFIG_JSON SECONDS CONCURRENCY
CONFIG_JSON is the emulator's first stdout line. Measures each operation one call at a time, then with CONCURRENCY
threads, and prints one JSON object per measured case on stdout.
"""

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from authing.v2.authentication.authing import AuthenticationClient
from authing.v2.authentication.types import AuthenticationClientOptions
from authing.v2.management.authing import ManagementClient
from authing.v2.management.types import ManagementClientOptions

USERNAME = "bench"
PASSWORD = "Bench-passw0rd!"


def measure(call, seconds, concurrency):
    """Runs `call` for about `seconds` with `concurrency` threads, each calling again as soon as its call
    returns: `concurrency` calls stay in flight (1: one after the other)."""
    start = time.perf_counter()
    deadline = start + seconds

    def worker():
        done = 0
        while time.perf_counter() < deadline:
            call()
            done += 1
        return done

    if concurrency <= 1:
        done = worker()
    else:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            done = sum(f.result() for f in [pool.submit(worker) for _ in range(concurrency)])
    return done, time.perf_counter() - start


def main():
    config = json.loads(sys.argv[1])
    seconds = float(sys.argv[2])
    concurrency = int(sys.argv[3])

    management = ManagementClient(
        ManagementClientOptions(
            user_pool_id=config["user_pool_id"],
            secret=config["secret"],
            host=config["host"],
            enc_public_key=config["public_key"],
        )
    )
    app = AuthenticationClient(
        AuthenticationClientOptions(
            app_id=config["app_id"],
            user_pool_id=config["user_pool_id"],
            host=config["host"],
            app_host=config["host"],
            enc_public_key=config["public_key"],
        )
    )
    token = app.login_by_username(USERNAME, PASSWORD)["token"]

    operations = {
        "users.list": lambda: management.users.list(page=1, limit=10),
        "login_by_username": lambda: app.login_by_username(USERNAME, PASSWORD),
        "check_login_status": lambda: app.check_login_status(token),
    }
    checks = {
        "users.list": lambda r: len(r["list"]) == 10,
        "login_by_username": lambda r: bool(r.get("token")),
        "check_login_status": lambda r: r.get("status") is True,
    }
    for name, call in operations.items():
        if not checks[name](call()):
            raise SystemExit("python sdk: %s returned an unexpected result" % name)
        for mode, in_flight in (("sequential", 1), ("concurrent", concurrency)):
            call()  # warm-up
            done, elapsed = measure(call, seconds, in_flight)
            print(json.dumps({"client": "python", "op": name, "mode": mode, "in_flight": in_flight,
                              "calls": done, "seconds": elapsed}), flush=True)


if __name__ == "__main__":
    main()
