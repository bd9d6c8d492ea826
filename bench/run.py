#!/usr/bin/env python3
"""Benchmarks the affecto server, release build, on SQLite and PostgreSQL, at the
demo size and with 1,000 generated schools of 500 students.

Measured in one run, side by side: the access check, a user's resource list, a
school's licence list and a class's student list, each as requests/s and p50/p99
latency at a fixed concurrency and as a ratio to the ceiling (GET /healthz, no
database) measured just before it, each the median of several rounds; a bulk
assignment of 1,000 students and its unassignment; the server's peak memory. Writes
bench/results.json and the table of docs/benchmarks.md.

    python3 bench/run.py [--backends sqlite,postgres] [--sizes demo,large] [--seconds N] [--rounds N] [--pg-url URL]

Needs wrk (Debian package `wrk`) and, for PostgreSQL, a server where the user may
create databases.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "affecto"
COLLEGE = "0020002S"
CONCURRENCY = 64
READS = ["access check", "user's resources", "licence list", "class students"]
# The database runs on the same machine: the connection goes over loopback without
# TLS, as it would over a Unix socket (docs/benchmarks.md gives the cost of TLS).
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"


def sh(*args, **kwargs):
    return subprocess.run(args, check=True, **kwargs)


def request(method, url, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=120) as res:
        return json.load(res)


class Server:
    def __init__(self, database_url, port):
        env = dict(os.environ, AFFECTO_WEB_DIR="/nonexistent", RUST_LOG="error")
        self.proc = subprocess.Popen(
            [str(BINARY), "serve", "--demo", "--bind", f"127.0.0.1:{port}", "--database-url", database_url],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
        for line in self.proc.stdout:
            if line.startswith("listening on "):
                self.url = line.split(" ", 2)[2].strip()
                return
        raise RuntimeError("the server did not start")

    def peak_rss_mb(self):
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def wrk(url, token, seconds):
    args = ["wrk", "-t2", f"-c{CONCURRENCY}", f"-d{seconds}s", "--latency", url]
    if token:
        args[1:1] = ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def percentile(p):
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    failed = int(non_2xx.group(1)) if non_2xx else 0
    return {"rps": rps, "p50_ms": percentile(50), "p99_ms": percentile(99), "failed": failed}


def ent_token(base):
    """A token of the demo ENT portal, the caller of the access check in production."""
    form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": "demo-ent",
                                   "client_secret": "demo-ent-secret"}).encode()
    req = urllib.request.Request(f"{base}/api/v1/auth/token", data=form, method="POST")
    req.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)["access_token"]


def demo_targets(base, token):
    """The URLs measured, each with the token of its usual caller: the ENT portal for
    the access check and the resource list, the school's administrator for the rest."""
    overview = request("GET", f"{base}/api/v1/schools/{COLLEGE}/licences", token)
    by_title = {e["product"]["title"]: e["product"]["id"] for e in overview["active"]}
    french = by_title["FRANCAIS 4e L'envol des lettres ed 2016"]
    classes = request("GET", f"{base}/api/v1/schools/{COLLEGE}/classes", token)["classes"]
    class_ids = {c["name"]: c["id"] for c in classes}
    fourth = request("GET", f"{base}/api/v1/schools/{COLLEGE}/classes/{class_ids['4e A']}/students?product_id={french}", token)
    holder = next(s["id"] for s in fourth["students"] if s["assigned"])
    school = f"{base}/api/v1/schools/{COLLEGE}"
    ent = ent_token(base)
    return {
        "access check": (f"{school}/access?user_id={holder}&product_id={french}", ent),
        "user's resources": (f"{school}/users/{holder}/licences", ent),
        "licence list": (f"{school}/licences", token),
        "class students": (f"{school}/classes/{class_ids['6e A']}/students?product_id={french}", token),
    }


def bulk_timing(base, token, uai, rounds):
    """Assigns 1,000 students of a generated school in one request, then takes the
    licences back, `rounds` times; returns the median of each, in ms."""
    school = f"{base}/api/v1/schools/{uai}"
    overview = request("GET", f"{school}/licences", token)
    product = next(e["product"]["id"] for e in overview["active"] if e["product"]["title"].startswith("Français 6e"))
    students = []
    for c in request("GET", f"{school}/classes?level=6e", token)["classes"]:
        students += [s["id"] for s in request("GET", f"{school}/classes/{c['id']}/students?product_id={product}", token)["students"]]
    students = students[:1000]
    assert len(students) == 1000, len(students)
    path = f"{school}/products/{product}/assignments"
    assign, unassign = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        outcome = request("POST", path, token, {"audience": "student", "assign": students})
        assign.append((time.perf_counter() - started) * 1000)
        assert outcome["assigned"] == 1000, outcome["assigned"]
        started = time.perf_counter()
        request("POST", path, token, {"audience": "student", "unassign": students})
        unassign.append((time.perf_counter() - started) * 1000)
    return median(assign), median(unassign)


def prepare_database(backend, size, workdir, pg_url):
    if backend == "sqlite":
        url = f"sqlite://{workdir}/{size}.db"
    else:
        name = f"affecto_bench_{size}"
        sh("psql", pg_url, "-q", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", "-c", f"CREATE DATABASE {name}")
        url = urllib.parse.urlunsplit(urllib.parse.urlsplit(pg_url)._replace(path=f"/{name}"))
    env = dict(os.environ, RUST_LOG="error")
    # The school used for the bulk measurement: 4,000 students, none holding a licence.
    sh(str(BINARY), "seed", "--schools", "1", "--students-per-school", "4000", "--coverage", "0",
       "--database-url", url, env=env, stdout=subprocess.DEVNULL)
    sh(str(BINARY), "admin", "create", "--email", "bench@affecto.example", "--name", "Banc d'essai", "--operator",
       "--database-url", url, env=dict(env, AFFECTO_ADMIN_PASSWORD="bench-operator"), stdout=subprocess.DEVNULL)
    if size == "large":
        started = time.perf_counter()
        sh(str(BINARY), "seed", "--schools", "1000", "--students-per-school", "500", "--database-url", url,
           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"  generated 1,000 schools in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def median(values):
    return sorted(values)[len(values) // 2]


def measure_read(base, target, caller, seconds, rounds):
    """`rounds` pairs of measures, the ceiling then the read, so that the machine's
    drift over the run does not move the ratios; the median of each figure. On two
    shared cores, one pair alone varies by ±15% from one pair to the next."""
    pairs = [(wrk(f"{base}/healthz", None, seconds), wrk(target, caller, seconds)) for _ in range(rounds)]
    reads = [read for _, read in pairs]
    summary = {key: median([read[key] for read in reads]) for key in ("rps", "p50_ms", "p99_ms")}
    summary["failed"] = sum(read["failed"] for read in reads)
    ratios = sorted(read["rps"] / ceiling["rps"] for ceiling, read in pairs)
    summary["ratio"], summary["ratio_range"] = median(ratios), [ratios[0], ratios[-1]]
    return summary, [ceiling for ceiling, _ in pairs]


def measure(backend, size, workdir, pg_url, seconds, rounds, port):
    print(f"{backend}, {size}:", flush=True)
    url = prepare_database(backend, size, workdir, pg_url)
    server = Server(url, port)
    try:
        token = request("POST", f"{server.url}/api/v1/auth/login", body={"email": "admin@college-demo.fr", "password": "demo"})["access_token"]
        results, ceilings = {}, []
        for name, (target, caller) in demo_targets(server.url, token).items():
            results[name], own_ceilings = measure_read(server.url, target, caller, seconds, rounds)
            ceilings += own_ceilings
            print(f"  {name}: {results[name]}", flush=True)
        results["ceiling"] = {key: median([c[key] for c in ceilings]) for key in ("rps", "p50_ms", "p99_ms")}
        operator = request("POST", f"{server.url}/api/v1/auth/login", body={"email": "bench@affecto.example", "password": "bench-operator"})["access_token"]
        assign_ms, unassign_ms = bulk_timing(server.url, operator, "9000000B", 5)
        results["bulk"] = {"assign_ms": assign_ms, "unassign_ms": unassign_ms}
        results["peak_rss_mb"] = server.peak_rss_mb()
    finally:
        server.stop()
    print(f"  ceiling {results['ceiling']['rps']:.0f} req/s, bulk {results['bulk']}, RSS {results['peak_rss_mb']:.0f} MB", flush=True)
    return results


def table(all_results):
    lines = ["| backend | size | measure | req/s | ratio to ceiling | lowest–highest round | p50 ms | p99 ms |", "|---|---|---|---|---|---|---|---|"]
    for key, r in all_results.items():
        backend, size = key.split("/")
        c = r["ceiling"]
        lines.append(f"| {backend} | {size} | ceiling | {c['rps']:.0f} | 1.00 | | {c['p50_ms']:.2f} | {c['p99_ms']:.2f} |")
        for name in READS:
            m = r[name]
            low, high = m["ratio_range"]
            lines.append(f"| {backend} | {size} | {name} | {m['rps']:.0f} | {m['ratio']:.2f} | {low:.2f}–{high:.2f} | {m['p50_ms']:.2f} | {m['p99_ms']:.2f} |")
    lines += ["", "| backend | size | assign 1,000 students (ms) | unassign them (ms) | peak RSS (MB) |", "|---|---|---|---|---|"]
    for key, r in all_results.items():
        backend, size = key.split("/")
        lines.append(f"| {backend} | {size} | {r['bulk']['assign_ms']:.0f} | {r['bulk']['unassign_ms']:.0f} | {r['peak_rss_mb']:.0f} |")
    lines += growth(all_results)
    return "\n".join(lines)


def growth(all_results):
    """How much worse each read is with 1,000 more schools: demo req/s over large req/s,
    and large p99 over demo p99 (1.00 means no worse; the target is at most 2)."""
    lines = ["", "| backend | measure | req/s, demo → large | slowdown | p99 ms, demo → large | p99 growth |", "|---|---|---|---|---|---|"]
    for backend in dict.fromkeys(key.split("/")[0] for key in all_results):
        demo, large = all_results.get(f"{backend}/demo"), all_results.get(f"{backend}/large")
        if not (demo and large):
            continue
        for name in READS:
            d, l = demo[name], large[name]
            lines.append(f"| {backend} | {name} | {d['rps']:.0f} → {l['rps']:.0f} | {d['rps'] / l['rps']:.2f} "
                         f"| {d['p99_ms']:.2f} → {l['p99_ms']:.2f} | {l['p99_ms'] / d['p99_ms']:.2f} |")
    return lines if len(lines) > 3 else []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--sizes", default="demo,large")
    parser.add_argument("--seconds", type=int, default=5, help="length of one measure")
    parser.add_argument("--rounds", type=int, default=3, help="measures of each read, each after a ceiling")
    parser.add_argument("--pg-url", default=os.environ.get("AFFECTO_BENCH_PG_URL", DEFAULT_PG_URL))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    sh("cargo", "build", "--release", "-p", "affecto-server", "--bin", "affecto", cwd=ROOT)
    all_results = {}
    with tempfile.TemporaryDirectory() as workdir:
        for backend in args.backends.split(","):
            for size in args.sizes.split(","):
                all_results[f"{backend}/{size}"] = measure(backend, size, workdir, args.pg_url, args.seconds, args.rounds, 18090)
    (ROOT / "bench" / "results.json").write_text(json.dumps(all_results, indent=2) + "\n")
    print(table(all_results))


if __name__ == "__main__":
    main()
