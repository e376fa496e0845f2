#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, as root, for the test that runs the documented
# array script (docs/cluster.md) for real: munged, slurmctld and slurmd with a slurm.conf
# naming this host, state and spool under one folder.
#
#   scripts/slurm-local.sh start [DIR]   start (or find running) and print SLURM_CONF=...
#   scripts/slurm-local.sh stop  [DIR]   stop the daemons this script started
#
# DIR defaults to $SENTISCOPE_SLURM_DIR or /tmp/sentiscope-slurm. Exit 3: Slurm or munge
# is not installed (scripts/install-system-deps.sh installs them) or this is not root.
set -euo pipefail
action=${1:-start}
dir=${2:-${SENTISCOPE_SLURM_DIR:-/tmp/sentiscope-slurm}}
conf="$dir/slurm.conf"
export SLURM_CONF="$conf"

for tool in munged slurmctld slurmd sbatch sinfo scontrol; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { echo "slurm-local: $tool is not installed (run scripts/install-system-deps.sh as root)" >&2; exit 3; }
done
[ "$(id -u)" -eq 0 ] || { echo "slurm-local: the one-node cluster runs its daemons as root; run as root" >&2; exit 3; }
PATH="$PATH:/usr/sbin"

stop() {
  for daemon in slurmd slurmctld; do
    if [ -f "$dir/$daemon.pid" ]; then
      pid=$(cat "$dir/$daemon.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$dir/$daemon.pid"
    fi
  done
  if [ -f "$dir/munged.pid" ]; then
    kill "$(cat "$dir/munged.pid")" 2>/dev/null || true
    rm -f "$dir/munged.pid"
  fi
}

if [ "$action" = stop ]; then stop; exit 0; fi
[ "$action" = start ] || { echo "usage: scripts/slurm-local.sh start|stop [DIR]" >&2; exit 2; }

mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
host=$(hostname -s)
cpus=$(nproc)

# munge: its own key, socket and pid under DIR, so a system munged is left alone.
if [ ! -S "$dir/munge/munge.socket" ] || ! munge -n -S "$dir/munge/munge.socket" >/dev/null 2>&1; then
  [ -f "$dir/munge/munge.key" ] || { dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none; chmod 400 "$dir/munge/munge.key"; }
  chmod 700 "$dir/munge"
  munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munge.seed"
  for _ in $(seq 50); do munge -n -S "$dir/munge/munge.socket" >/dev/null 2>&1 && break; sleep 0.1; done
fi

cat >"$conf" <<CONF
ClusterName=sentiscope-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
SlurmctldPort=${SENTISCOPE_SLURMCTLD_PORT:-6817}
SlurmdPort=${SENTISCOPE_SLURMD_PORT:-6818}
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF

if ! scontrol ping 2>/dev/null | grep -q 'is UP'; then
  slurmctld -f "$conf"
  slurmd -f "$conf"
fi
for _ in $(seq 100); do
  state=$(sinfo -h -n "$host" -o '%t' 2>/dev/null || true)
  case "$state" in idle* | mix* | alloc*) echo "SLURM_CONF=$conf"; exit 0 ;; esac
  sleep 0.2
done
echo "slurm-local: the node did not come up (state '${state:-none}'); see $dir/log/slurmctld.log and $dir/log/slurmd.log" >&2
exit 1
