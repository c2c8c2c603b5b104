#!/usr/bin/env bash
# A sweep on a real Slurm: a one-node cluster on localhost (Debian's slurm-wlm and munge, a slurm.conf
# generated in a temporary folder, ports picked at random), the job-array script `npusim sweep --emit
# slurm --shards 4` prints submitted with sbatch and waited for, `sweep-merge` over the shards, and the
# merged summary.csv compared with a local sweep's. Every daemon this test starts is stopped at its end.
#
# Exit 77 (ctest: skipped) only when the machine forbids starting the daemons (not root, or the kernel
# refuses what they need); missing packages are a failure: tools/setup.sh installs them.
# Usage: slurm_sweep_test.sh NPUSIM_BINARY
set -euo pipefail

npusim=$1
skip() { echo "SKIPPED: $*" >&2; exit 77; }
fail() { echo "FAILED: $*" >&2; exit 1; }

for tool in munged slurmctld slurmd sbatch sinfo squeue; do
  command -v "$tool" >/dev/null || fail "$tool is missing (tools/setup.sh installs slurm-wlm and munge)"
done
# slurmd starts each job step as the submitting user: only root may.
[ "$(id -u)" -eq 0 ] || skip "slurmd must run as root to start jobs, and this test runs as uid $(id -u)"

work=$(mktemp -d /tmp/npusim_slurm_XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/munge/pid" ] && kill "$(cat "$work/munge/pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
show_logs() { tail -n 20 "$work"/log/* >&2 || true; }

# munge: a key of our own and a socket in the work folder (not the machine's daemon, if any).
mkdir -p "$work/munge" "$work/state" "$work/spool" "$work/log"
chmod 700 "$work/munge"
head -c 1024 /dev/urandom > "$work/munge/munge.key"
chmod 400 "$work/munge/munge.key"
if ! munged --force --socket="$work/munge/sock" --key-file="$work/munge/munge.key" --log-file="$work/log/munged.log" \
     --pid-file="$work/munge/pid" --seed-file="$work/munge/seed" 2> "$work/log/munged.err"; then
  if grep -qiE "not permitted|permission denied" "$work"/log/munged.*; then skip "munged may not start here: $(tail -n 1 "$work/log/munged.err")"; fi
  show_logs; fail "munged did not start"
fi

port=$((20000 + RANDOM % 30000))
conf="$work/slurm.conf"
cat > "$conf" <<EOF
ClusterName=npusimtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/sock
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=npusim Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$conf
slurmctld -D -i -f "$conf" > "$work/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N localhost -f "$conf" > "$work/log/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  if sinfo -h -o %t 2>/dev/null | grep -qx idle; then break; fi
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      if grep -qiE "not permitted|permission denied" "$work"/log/slurm*; then skip "Slurm's daemons may not start here: $(grep -hiE 'not permitted|permission denied' "$work"/log/slurm* | head -n 1)"; fi
      show_logs; fail "a Slurm daemon ended at start"
    fi
  done
  sleep 0.2
done
sinfo -h -o %t | grep -qx idle || { show_logs; fail "the node did not come up idle in 20 s"; }

# Eight points in four shards; the local sweep is the reference.
cat > "$work/spec.yaml" <<EOF
format: npusim-sweep
version: 1
workloads:
  - {model: deit_tiny}
engines: [dsp, lut]
axes:
  - {path: dram.bandwidth_gbps, values: [1, 3, 6, 20]}
EOF
"$npusim" sweep "$work/spec.yaml" --out "$work/local" --jobs 2 > /dev/null 2>&1 || fail "the local sweep failed"
"$npusim" sweep "$work/spec.yaml" --out "$work/cluster" --emit slurm --shards 4 --jobs 1 > "$work/job.sh"
grep -q -- "--array=0-3" "$work/job.sh" || fail "the emitted script is no 4-task array: $(cat "$work/job.sh")"
# --wait: sbatch returns when every task of the array has ended, with the array's exit code.
if ! timeout 60 sbatch --wait --quiet --chdir="$work" --output="$work/log/task_%a.out" "$work/job.sh"; then
  show_logs; cat "$work"/log/task_*.out >&2 || true; fail "the array job failed"
fi
[ "$(ls "$work/cluster/results" | grep -c '^shard-.*\.jsonl$')" -eq 4 ] || fail "not every shard left its results: $(ls "$work/cluster/results")"
# The merge command the script names in its comment.
merge=$(sed -n 's/^#   //p' "$work/job.sh" | head -n 1)
eval "$merge" > /dev/null || fail "sweep-merge failed: $merge"
cmp "$work/cluster/summary.csv" "$work/local/summary.csv" || fail "the merged summary differs from the local sweep's"
[ "$(wc -l < "$work/local/summary.csv")" -eq 9 ] || fail "the summary has no row per point"
echo "slurm sweep: 4 array tasks, merged summary.csv equals the local sweep's"
