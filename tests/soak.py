#!/usr/bin/env python3
"""make soak SECONDS=N: the containment campaign of tests/integration/
hostile.py for N seconds in all, with fresh seeds. Runs of up to --run
seconds each, GICv3 and GICv2 in turn; every run prints its seed (a failing
one replays with `make soak SEED=...` or the make line it prints), what it
tried, and whether containment held. Ends with operations per second, the
operations tried per kind, and every finding with its seed; exits 1 if any
run did not pass."""

import argparse
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from campaign import Campaign  # noqa: E402
from harness import ROOT, Build, Test, run_test  # noqa: E402

CONFIG = "tests/configs/run/hostile.c"
MACHINES = [
    ("qemu-virt", "virt,virtualization=on,gic-version=3"),
    ("qemu-virt-gicv2", "virt,virtualization=on,gic-version=2"),
]
# Every other pair of runs on -cpu max: pointer authentication and the
# PMUv3p5 path of the PMU exist only there (cortex-a57: PMUv3, trapped).
CPUS = ("cortex-a57", "max")


def one_run(index, seed, secs, kill, cpu=None):
    platform, machine = MACHINES[index % len(MACHINES)]
    cpu = cpu or CPUS[index // len(MACHINES) % len(CPUS)]
    cmdline = f"seed={seed} until={secs - 1} kill={kill} secs={secs}"
    build = Build(platform=platform, CONFIG_FILE=CONFIG, CMDLINE=cmdline)
    made = subprocess.run(["make", "-s", "--no-print-directory"] + build.make_args() + ["all"],
                          cwd=ROOT, capture_output=True, text=True)
    if made.returncode:
        sys.exit(f"soak: the build for seed {seed} failed:\n{made.stdout}{made.stderr}")
    # Boot to power-off: hostile stops at secs - 1 of uptime, steady at secs.
    result = run_test(Test(f"soak-{seed}", build, [], machine=machine, cpu=cpu, end="exit",
                           timeout=secs + 30))
    camp = Campaign(result.console)
    problems = camp.problems(secs)
    if not result.ok:
        problems.insert(0, result.reason)
    replay = f"make soak SEED={seed} PLATFORM={platform} CPU={cpu} SECONDS={secs}"
    if problems:
        # The whole console, for what the last lines do not tell.
        log = os.path.join("build", "soak", f"{seed}-{platform}.log")
        os.makedirs(os.path.join(ROOT, "build", "soak"), exist_ok=True)
        with open(os.path.join(ROOT, log), "w") as f:
            f.write(result.console)
        replay += f" (console: {log})"
    return f"{platform} -cpu {cpu}", camp, problems, result.seconds, replay


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=int, default=300, help="campaign time in all")
    ap.add_argument("--run", type=int, default=60, help="the longest single run, seconds")
    ap.add_argument("--seed", type=int, help="one run with this seed (replay)")
    ap.add_argument("--platform", help="with --seed: qemu-virt or qemu-virt-gicv2")
    ap.add_argument("--cpu", help="with --seed: the QEMU CPU (cortex-a57 or max)")
    ap.add_argument("--kill", type=int, default=200,
                    help="hostile ends itself in one batch of this many")
    args = ap.parse_args()

    rng = random.SystemRandom()
    spent = 0.0
    runs = failed = 0
    ops = boots = kills = 0
    tried, findings = {}, []
    start = time.monotonic()
    while spent < args.seconds or (args.seed and runs == 0):
        secs = max(5, min(args.run, args.seconds - int(spent)))
        seed = args.seed if args.seed else rng.randrange(1, 1 << 31)
        index = runs
        if args.platform:
            index = [p for p, _ in MACHINES].index(args.platform)
        platform, camp, problems, wall, replay = one_run(index, seed, secs, args.kill,
                                                         args.cpu if args.seed else None)
        runs += 1
        spent += secs
        ops += camp.ops
        boots += len(camp.boots)
        kills += len(camp.kills)
        for k, n in camp.tried.items():
            tried[k] = tried.get(k, 0) + n
        findings += [f"seed {seed} ({platform}): {f}" for f in camp.findings]
        verdict = "PASS" if not problems else "FAIL"
        print(f"{verdict}: soak run {runs}: seed {seed} on {platform}, {secs} s: "
              f"{camp.summary()}", flush=True)
        if problems:
            failed += 1
            for p in problems[:5]:
                print(f"   | {p}")
            print(f"   | replay: {replay}")
        if args.seed:
            break

    elapsed = time.monotonic() - start
    print(f"soak: {runs} runs, {spent:.0f} s of campaign ({elapsed:.0f} s wall), "
          f"{ops} operations ({ops / max(spent, 1):.0f} per second of campaign), "
          f"{boots} boots of which {kills} ended on purpose and were restarted")
    print("soak: tried per kind: " + " ".join(f"{k}={tried[k]}" for k in sorted(tried)))
    print(f"soak: {len(findings)} findings" + "".join(f"\n   | {f}" for f in findings))
    print(f"{runs - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
