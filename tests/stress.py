#!/usr/bin/env python3
"""Runs QEMU tests again and again, optionally with QEMU stopped now and
then as a loaded host would (a flake hunt; not part of make test).

usage: tests/stress.py [--runs N] [--stall LO,HI,EVERY] [--keep DIR] NAME...

NAME is a test's name, or a prefix ending in '*'. --stall stops the running
QEMU (SIGSTOP, then SIGCONT) for LO-HI ms at random instants, EVERY ms apart
on average: a host that deschedules it for that long, the worst a busy CI
machine does. Each failing console is kept in DIR; the last line is
"N passed, N failed".
"""

import argparse
import os
import random
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import run  # noqa: E402


def qemu_children():
    """The pids of this process's QEMUs (harness.run_test starts them)."""
    me = str(os.getpid())
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        if name.startswith("qemu-system") and stat[stat.rindex(")") + 2:].split()[1] == me:
            yield int(pid)


def stall_now_and_then(lo, hi, every):
    while True:
        time.sleep(random.uniform(0, 2 * every) / 1000)
        for pid in list(qemu_children()):
            try:
                os.kill(pid, signal.SIGSTOP)
                time.sleep(random.uniform(lo, hi) / 1000)
            except OSError:
                pass
            finally:
                try:
                    os.kill(pid, signal.SIGCONT)
                except OSError:
                    pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--stall", help="LO,HI,EVERY in ms")
    ap.add_argument("--keep", default="build/stress")
    ap.add_argument("names", nargs="+")
    args = ap.parse_args()

    def wanted(name):
        return any(name == n or (n.endswith("*") and name.startswith(n[:-1]))
                   for n in args.names)
    tests = [t for t in run.load_tests() if wanted(t.name)]
    if not tests:
        print("no test has such a name (tests/run.py --list)")
        return 2
    for test in tests:
        for need in test.needs:
            ready = need()
            if ready is not True:
                print(f"cannot run {test.name}: {ready}")
                return 2
        if test.build and not run.make(test.build.make_args() + ["all"]):
            print(f"{test.name}: the firmware did not build")
            return 2
    if args.stall:
        lo, hi, every = (float(x) for x in args.stall.split(","))
        threading.Thread(target=stall_now_and_then, args=(lo, hi, every), daemon=True).start()
    os.makedirs(os.path.join(harness.ROOT, args.keep), exist_ok=True)
    tally = {t.name: [0, 0] for t in tests}
    for i in range(args.runs):
        for test in tests:
            result = harness.run_test(test)
            tally[test.name][not result.ok] += 1
            print(f"run {i + 1}: {'PASS' if result.ok else 'FAIL'}: {test.name} "
                  f"({result.seconds:.1f} s) {result.reason}", flush=True)
            if not result.ok:
                path = os.path.join(harness.ROOT, args.keep, f"{test.name}.{i + 1}.txt")
                with open(path, "w") as f:
                    f.write(result.reason + "\n" + result.console)
    for name, (passed, failed) in tally.items():
        print(f"{name}: {passed} passed, {failed} failed")
    passed = sum(p for p, _ in tally.values())
    failed = sum(f for _, f in tally.values())
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
