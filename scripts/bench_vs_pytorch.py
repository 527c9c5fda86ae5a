#!/usr/bin/env python3
"""Runs minigpt-lessons bench and the PyTorch reference (../shared/bench/torch_gpt.py) on the
same workloads, alternating, in the same window, and prints medians and ratios (ours / PyTorch).

  python3 scripts/bench_vs_pytorch.py [--reps 3] [--threads 2] [--jobs train_tiny,train_small,gen_tiny,gen_small,gen_gpt2]

Needs the release build (.build/release/minigpt-lessons) and the bench venv
(bash ../shared/bench/setup_venv.sh → $HOME/.cache/minigpt-bench-venv). Each measurement is its own
process. Peak RSS is measured from outside, per process (os.wait4), for both engines alike.
"""
import argparse, json, os, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(os.path.dirname(ROOT), "shared", "bench")
PY = os.path.expanduser("~/.cache/minigpt-bench-venv/bin/python")
OURS = os.path.join(ROOT, ".build", "release", "minigpt-lessons")

JOBS = {
    "train_tiny": ("tiny", "train", []), "train_small": ("small", "train", []),
    "gen_tiny": ("tiny", "generate", ["--steps", "5"]), "gen_small": ("small", "generate", ["--steps", "5"]),
    "gen_gpt2": ("gpt2", "generate", ["--steps", "2"]),
}

def run(cmd, cwd):
    """Runs one process; returns (its last JSON line, its own peak RSS in MB from wait4)."""
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}")
    line = [l for l in out.strip().splitlines() if l.startswith("{")][-1]
    return json.loads(line), usage.ru_maxrss / 1024  # Linux: KiB

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--jobs", default=",".join(JOBS))
    a = ap.parse_args()
    rows = []
    for job in a.jobs.split(","):
        config, mode, extra = JOBS[job]
        ours, torch = [], []
        for _ in range(a.reps):
            t, trss = run([PY, "torch_gpt.py", "--config", config, "--mode", mode, "--threads", str(a.threads), "--json"] + extra, BENCH)
            o, orss = run([OURS, "bench", "--config", config, "--mode", mode, "--threads", str(a.threads), "--json"], ROOT)
            t["rss"], o["rss"] = trss, orss
            torch.append(t); ours.append(o)
        mo = statistics.median(r["tokens_per_s"] for r in ours)
        mt = statistics.median(r["tokens_per_s"] for r in torch)
        rows.append((job, a.threads, mo, mt, mo / mt,
                     statistics.median(r["rss"] for r in ours), statistics.median(r["rss"] for r in torch),
                     statistics.median(r.get("foreign_cores", float("nan")) for r in torch)))
        print(f"{job:12s} threads {a.threads}: ours {mo:9.1f} tok/s  PyTorch {mt:9.1f} tok/s  ratio {mo/mt:5.2f}×", flush=True)
    print("\n| workload | threads | minigpt-lessons tok/s | PyTorch eager tok/s | ratio | peak RSS MB ours / PyTorch | PyTorch foreign cores |")
    print("|---|---|---|---|---|---|---|")
    for job, th, mo, mt, r, orss, trss, fc in rows:
        print(f"| {job} | {th} | {mo:,.1f} | {mt:,.1f} | {r:.2f}× | {orss:.0f} / {trss:.0f} | {fc:.2f} |")

if __name__ == "__main__":
    main()
