#!/usr/bin/env python3
"""make bench-serve: `ticheck serve` under load over loopback (issue 14).

Builds the `dist` binary, starts `ticheck serve --addr 127.0.0.1:PORT` and drives it from this
process and from `wrk` (Debian's package; installed with apt-get when missing):

  checks   single-profile checks (fixtures/eligible-enterprise.toml, POST /api/check) at 32
           connections for 10 s (wrk runs for a duration, not a count: 10 s is over 5,000
           checks even on a busy machine): throughput, p50/p99 latency (wrk --latency);
  uploads  20 concurrent uploads of a 10,000-row CSV sheet (bench/run.py's generator) to the
           bureau page (POST /bureau, multipart, as a browser sends it) and/or to /api/check
           (text/csv): the time of each, and their statuses;
  mixed    the same 20 uploads with the 32 connections of single checks running alongside: the
           single checks' p50/p99 while sheets are being checked;
  storm    1,000 connections at once on /api/check for a few seconds: the server must still
           answer afterwards.

Throughout, a poller GETs /healthz every 50 ms (worst latency, any failure), and the server's
resident memory is sampled from /proc/PID/status every 50 ms (VmRSS; VmHWM at the end), at
rest before the load, at its peak in each phase, and 5 s after the last phase.

It prints a Markdown table to paste into docs/performance.md, and fails when /healthz failed
to answer, when a request was answered 5xx other than 503 (a deliberate "busy"), when the
server died, or when its memory 5 s after the load is more than MEMORY_SLACK_MIB above the
memory at rest. The p99 goal (20 ms for a single check at 32 connections) is reported, not
enforced: wall times on a shared 2-core VM are noisy.

Environment: BENCH_CHECK_SECONDS (10), BENCH_CONNECTIONS (32), BENCH_UPLOADS (20), BENCH_UPLOAD_ROWS
(10000), BENCH_UPLOAD_TO ("bureau api": the endpoints the uploads go to), BENCH_STORM (1000
connections; 0 skips it), TICHECK_SERVE_ARGS (extra arguments for `ticheck serve`).
"""
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402  (the sheet generator of `make bench`)

ROOT = bench.ROOT
BINARY = os.environ.get("TICHECK_BINARY") or os.path.join(bench.RELEASE, "ticheck")
PROFILE = os.path.join(ROOT, "fixtures", "eligible-enterprise.toml")
LUA = os.path.join(ROOT, "bench", "serve_check.lua")
CHECK_SECONDS = int(os.environ.get("BENCH_CHECK_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
UPLOADS = int(os.environ.get("BENCH_UPLOADS", "20"))
UPLOAD_ROWS = int(os.environ.get("BENCH_UPLOAD_ROWS", "10000"))
UPLOAD_TO = os.environ.get("BENCH_UPLOAD_TO", "bureau api").split()
STORM = int(os.environ.get("BENCH_STORM", "1000"))
STORM_SECONDS = 5
SERVE_ARGS = os.environ.get("TICHECK_SERVE_ARGS", "").split()
P99_GOAL_MS = 20.0
HEALTHZ_EVERY = 0.05
# Memory 5 s after the load may exceed the memory at rest by this much: what the allocator still
# holds for the threads that served the storm's 1,000 connections (about 20-25 MiB measured,
# docs/performance.md), against gigabytes when sheet answers were not handed back.
MEMORY_SLACK_MIB = 32


def main():
    wrk = ensure_wrk()
    subprocess.run(["cargo", "build", "--profile", "dist", "--locked"], cwd=ROOT, check=True)
    sheet_path = candidates(UPLOAD_ROWS)
    with open(sheet_path, "rb") as handle:
        sheet = handle.read()
    started = time.perf_counter()
    server = Server(SERVE_ARGS)
    results = []
    try:
        poller = Poller(server.port)
        memory = Memory(server.pid)
        for thread in (poller, memory):
            thread.start()
        # A warm-up (the first answer of each kind starts threads and fills caches), then the
        # memory at rest.
        post(server.port, "/api/check", "application/toml", read(PROFILE))
        post_sheet(server.port, UPLOAD_TO[0], sheet_path, sheet[: sheet.index(b"\n", 20_000)])
        time.sleep(1)
        base = memory.now()
        print(f"machine: {os.cpu_count()} cores; {os.uname().sysname} {os.uname().release}; "
              f"load average {os.getloadavg()[0]:.2f} at the start")
        print(f"server: {' '.join(server.command)} (pid {server.pid}); at rest {base:.1f} MiB")

        phase = Phase("checks", poller, memory)
        checks = run_wrk(wrk, server.port, CONNECTIONS, CHECK_SECONDS)
        results.append(phase.end(checks=checks))

        for endpoint in UPLOAD_TO:
            phase = Phase(f"uploads ({endpoint})", poller, memory)
            uploads = run_uploads(server.port, endpoint, sheet_path, sheet)
            results.append(phase.end(uploads=uploads))

        for endpoint in UPLOAD_TO:
            phase = Phase(f"mixed ({endpoint})", poller, memory)
            box = {}
            uploading = threading.Thread(
                target=lambda: box.update(uploads=run_uploads(server.port, endpoint, sheet_path, sheet)))
            uploading.start()
            # Single checks for as long as the uploads took alone, so the two overlap.
            alone = next(r for r in results if r["phase"] == f"uploads ({endpoint})")
            checks = run_wrk(wrk, server.port, CONNECTIONS, max(2, round(alone["seconds"])))
            uploading.join()
            results.append(phase.end(checks=checks, uploads=box["uploads"]))

        if STORM:
            phase = Phase(f"storm ({STORM} connections)", poller, memory)
            storm = run_wrk(wrk, server.port, STORM, STORM_SECONDS)
            results.append(phase.end(checks=storm))

        time.sleep(5)
        after = memory.now()
        poller.stop()
        memory.stop()
        hwm = server.hwm()
        alive = server.alive()
    finally:
        server.stop()
    seconds = time.perf_counter() - started
    failures = report(results, base, after, hwm, poller, alive, seconds)
    if failures:
        sys.exit("bench-serve failed: " + "; ".join(failures))


def candidates(rows):
    """The sheet of `make bench` (examples/gen_candidates.rs), written once to target/bench/.

    The generator is an example, and examples build the dev-dependencies: in the `dist` profile
    that is minutes of extra build, so it is taken from `make bench`'s build when there is one,
    and built in the debug profile otherwise (the bytes are the same).
    """
    path = os.path.join(bench.OUT, f"candidates-{rows}.csv")
    if os.path.exists(path):
        return path
    generator = os.path.join(bench.RELEASE, "examples", "gen_candidates")
    if not os.path.exists(generator):
        subprocess.run(["cargo", "build", "--locked", "--example", "gen_candidates"], cwd=ROOT, check=True)
        generator = os.path.join(ROOT, "target", "debug", "examples", "gen_candidates")
    os.makedirs(bench.OUT, exist_ok=True)
    with open(path + ".part", "wb") as handle:
        subprocess.run([generator, str(rows)], stdout=handle, check=True)
    os.replace(path + ".part", path)
    return path


def ensure_wrk():
    """The path of `wrk`, installed from Debian's package when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: apt-get install wrk", flush=True)
    command = ["apt-get", "install", "-y", "wrk"]
    if os.geteuid() != 0:
        command.insert(0, "sudo")
    if subprocess.run(command).returncode != 0:
        subprocess.run(command[:-3] + ["update"], check=True)
        subprocess.run(command, check=True)
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


class Server:
    """`ticheck serve` on a free loopback port, its log discarded."""

    def __init__(self, extra):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.command = [BINARY, "serve", "--addr", f"127.0.0.1:{self.port}", *extra]
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.pid = self.process.pid
        line = self.process.stdout.readline().decode().strip()
        if not line.startswith("http://"):
            sys.exit(f"ticheck serve did not start: {line!r}")
        for _ in range(100):
            try:
                get(self.port, "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        sys.exit("ticheck serve does not answer /healthz")

    def status(self, field):
        """A field of /proc/PID/status in MiB."""
        with open(f"/proc/{self.pid}/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def hwm(self):
        return self.status("VmHWM")

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def get(port, path, timeout):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def post(port, path, content_type, body, timeout=120):
    """POSTs body; returns (status, seconds, size of the answer)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": content_type})
        response = connection.getresponse()
        size = len(response.read())
        return response.status, time.perf_counter() - started, size
    finally:
        connection.close()


def post_sheet(port, endpoint, path, sheet):
    """A sheet uploaded as the bureau page's form sends it, or POSTed to /api/check as CSV."""
    if endpoint == "api":
        return post(port, "/api/check?lang=en", "text/csv", sheet)
    boundary = uuid.uuid4().hex
    body = b"".join([
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
        f"filename=\"{os.path.basename(path)}\"\r\nContent-Type: text/csv\r\n\r\n".encode(),
        sheet,
        f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nsummary\r\n"
        f"--{boundary}--\r\n".encode(),
    ])
    return post(port, "/bureau?lang=en", f"multipart/form-data; boundary={boundary}", body)


def run_uploads(port, endpoint, path, sheet):
    """UPLOADS uploads started together; each one's (status, seconds, answer size)."""
    results = [None] * UPLOADS
    gate = threading.Barrier(UPLOADS)

    def upload(index):
        gate.wait()
        try:
            results[index] = post_sheet(port, endpoint, path, sheet)
        except OSError as error:
            results[index] = (f"error: {error}", 0.0, 0)

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(UPLOADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"results": results, "seconds": time.perf_counter() - started}


def run_wrk(wrk, port, connections, seconds):
    """wrk at `connections` connections on /api/check for `seconds`, on two threads."""
    threads = min(2, connections)
    env = dict(os.environ, TICHECK_PROFILE=PROFILE)
    out = subprocess.run(
        [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
         "-s", LUA, f"http://127.0.0.1:{port}/api/check?lang=en"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout
    for line in out.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    sys.exit(f"wrk printed no result:\n{out}")


class Sampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.running = True

    def stop(self):
        self.running = False
        self.join()


class Poller(Sampler):
    """GET /healthz every 50 ms: the worst latency and the failures since the last mark."""

    def __init__(self, port):
        super().__init__()
        self.port = port
        self.lock = threading.Lock()
        self.mark()

    def mark(self):
        with self.lock:
            self.worst, self.count, self.failures = 0.0, 0, []

    def take(self):
        with self.lock:
            return {"worst_ms": self.worst * 1000, "polls": self.count, "failures": list(self.failures)}

    def run(self):
        while self.running:
            started = time.perf_counter()
            try:
                status = get(self.port, "/healthz", timeout=5)
                failure = None if status == 200 else f"status {status}"
            except OSError as error:
                failure = str(error)
            took = time.perf_counter() - started
            with self.lock:
                self.count += 1
                self.worst = max(self.worst, took)
                if failure:
                    self.failures.append(failure)
            time.sleep(max(0.0, HEALTHZ_EVERY - took))


class Memory(Sampler):
    """The server's VmRSS every 50 ms: the peak since the last mark."""

    def __init__(self, pid):
        super().__init__()
        self.path = f"/proc/{pid}/status"
        self.lock = threading.Lock()
        self.peak = 0.0

    def now(self):
        try:
            with open(self.path) as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def mark(self):
        with self.lock:
            self.peak = self.now()

    def take(self):
        with self.lock:
            return self.peak

    def run(self):
        while self.running:
            rss = self.now()
            with self.lock:
                self.peak = max(self.peak, rss)
            time.sleep(0.05)


class Phase:
    def __init__(self, name, poller, memory):
        print(f"{name} …", flush=True)
        self.name, self.poller, self.memory = name, poller, memory
        poller.mark()
        memory.mark()
        self.started = time.perf_counter()

    def end(self, checks=None, uploads=None):
        return {
            "phase": self.name,
            "seconds": time.perf_counter() - self.started,
            "checks": checks,
            "uploads": uploads,
            "healthz": self.poller.take(),
            "peak_mib": self.memory.take(),
        }


def ms(us):
    return f"{us / 1000:.1f} ms"


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def report(results, base, after, hwm, poller, alive, seconds):
    """Prints the table; returns the failures."""
    failures = []
    print()
    print("| phase | requests | throughput | p50 | p99 | max | answers | /healthz worst | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---|---:|---:|")
    for r in results:
        healthz = r["healthz"]
        if healthz["failures"]:
            failures.append(f"/healthz failed {len(healthz['failures'])} times during {r['phase']} "
                            f"({healthz['failures'][0]})")
        for kind in ("checks", "uploads"):
            data = r[kind]
            if not data:
                continue
            if kind == "checks":
                label = "single checks"
                answers = (f"{data['ok']} ok, {data['unavailable']} 503, {data['server_errors']} other 5xx, "
                           f"{data['client_errors']} 4xx, {sum(data[k] for k in ('connect_errors', 'read_errors', 'write_errors', 'timeouts'))} socket errors")
                row = (data["requests"], f"{data['requests'] / data['seconds']:,.0f}/s", ms(data["p50_us"]),
                       ms(data["p99_us"]), ms(data["max_us"]))
                if data["server_errors"]:
                    failures.append(f"{data['server_errors']} single checks answered 5xx during {r['phase']}")
                if r["phase"] == "checks" and data["p99_us"] / 1000 >= P99_GOAL_MS:
                    print(f"(p99 goal of {P99_GOAL_MS:.0f} ms for single checks not met)", file=sys.stderr)
            else:
                label = f"{UPLOAD_ROWS:,}-row uploads"
                times = [t for status, t, _ in data["results"] if status == 200]
                statuses = {}
                for status, _, _ in data["results"]:
                    statuses[status] = statuses.get(status, 0) + 1
                answers = ", ".join(f"{count}× {status}" for status, count in sorted(statuses.items(), key=str))
                bad = [s for s in statuses if not isinstance(s, int) or (s >= 500 and s != 503)]
                if bad:
                    failures.append(f"uploads answered {bad} during {r['phase']}")
                size = max((n for _, _, n in data["results"]), default=0)
                answers += f"; answer {size / 1e6:.1f} MB"
                row = (len(data["results"]), f"{len(times) / data['seconds']:.1f}/s",
                       f"{percentile(times, 50):.2f} s" if times else "-",
                       f"{percentile(times, 99):.2f} s" if times else "-",
                       f"{max(times):.2f} s" if times else "-")
            print(f"| {r['phase']}: {label} | {row[0]:,} | {row[1]} | {row[2]} | {row[3]} | {row[4]} | {answers} "
                  f"| {healthz['worst_ms']:.0f} ms ({healthz['polls']} polls) | {r['peak_mib']:.0f} MiB |")
    print()
    print(f"Resident memory: {base:.1f} MiB at rest, {after:.1f} MiB 5 s after the load, "
          f"{hwm:.1f} MiB at the highest (VmHWM). Whole run: {seconds:.0f} s.")
    if not alive:
        failures.append("the server died")
    if after > base + MEMORY_SLACK_MIB:
        failures.append(f"memory did not return to rest: {after:.1f} MiB 5 s after, {base:.1f} MiB before")
    return failures


if __name__ == "__main__":
    main()
