#!/usr/bin/env bash
# A throw-away single-node SLURM cluster for the sweep tests, on a machine without systemd
# (CI containers): munged, slurmctld and slurmd in the background, all state under one folder.
#
#   scripts/slurm-test-cluster.sh start STATE_DIR   # prints the SLURM_CONF to export
#   scripts/slurm-test-cluster.sh stop STATE_DIR    # stops every daemon it started (pid files)
#
# Needs root and Debian's slurm-wlm and munge packages. Nothing is installed or changed outside
# STATE_DIR except /run/munge (created for munged, owned by munge).
set -euo pipefail

cmd=${1:-}
state=${2:-}
if [ -z "$cmd" ] || [ -z "$state" ]; then
  echo "usage: $0 start|stop STATE_DIR" >&2
  exit 2
fi

log() { echo "slurm-test-cluster: $*" >&2; }

stop_pid() {
  local name=$1 file=$2 pid i
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name ($pid) did not stop: SIGKILL"
      kill -9 "$pid" 2>/dev/null || true
    fi
    log "stopped $name ($pid)"
  fi
  rm -f "$file"
}

case "$cmd" in
start)
  if [ ! -c /dev/null ]; then
    log "/dev/null is not a character device; the daemons cannot start"
    exit 1
  fi
  for b in munged munge slurmctld slurmd sinfo; do
    command -v "$b" >/dev/null 2>&1 || { log "$b not found (apt-get install slurm-wlm munge)"; exit 1; }
  done
  mkdir -p "$state"/{ctld,spool,log,run}
  state=$(cd "$state" && pwd)
  host=$(hostname -s)

  # munge: one daemon on the default socket, as the munge user, with the package's key.
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
  if [ ! -s /etc/munge/munge.key ]; then
    install -d -o munge -g munge -m 0700 /etc/munge
    if command -v mungekey >/dev/null 2>&1; then
      runuser -u munge -- mungekey --create --keyfile=/etc/munge/munge.key
    else
      dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
      chown munge:munge /etc/munge/munge.key
      chmod 0400 /etc/munge/munge.key
    fi
  fi
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    log "munged already running: using it"
  else
    runuser -u munge -- munged --pid-file=/run/munge/hclab-munged.pid
    cp /run/munge/hclab-munged.pid "$state/run/munged.pid"
    for i in $(seq 1 50); do
      munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
      sleep 0.1
    done
    munge -n | unmunge >/dev/null || { log "munged does not answer"; exit 1; }
    log "munged started ($(cat "$state/run/munged.pid"))"
  fi

  # The node as slurmd sees it (CPUs, sockets, memory), named after this host.
  node=$(slurmd -C | head -n 1)
  cat >"$state/slurm.conf" <<CONF
ClusterName=hclab-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/run/slurmctld.pid
SlurmdPidFile=$state/run/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
SlurmctldPort=${HCLAB_SLURMCTLD_PORT:-6817}
SlurmdPort=${HCLAB_SLURMD_PORT:-6818}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
KillWait=5
MinJobAge=600
$node State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$state/slurm.conf"
  slurmctld -f "$SLURM_CONF"
  slurmd -f "$SLURM_CONF"
  ok=0
  for i in $(seq 1 100); do
    st=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
    case "$st" in
    idle* | mixed* | allocated*) ok=1; break ;;
    down* | drain*) scontrol update NodeName="$host" State=RESUME >/dev/null 2>&1 || true ;;
    esac
    sleep 0.2
  done
  if [ "$ok" != 1 ]; then
    log "the node did not come up (state '${st:-none}'); logs in $state/log"
    tail -n 20 "$state"/log/*.log >&2 || true
    exit 1
  fi
  log "cluster up: node $host ($(sinfo -h -n "$host" -o '%c CPUs, %m MB')), SLURM_CONF=$SLURM_CONF"
  echo "$SLURM_CONF"
  ;;
stop)
  [ -d "$state" ] || exit 0
  export SLURM_CONF="$state/slurm.conf"
  [ -f "$SLURM_CONF" ] && scancel --quiet --user=root >/dev/null 2>&1 || true
  stop_pid slurmd "$state/run/slurmd.pid"
  stop_pid slurmctld "$state/run/slurmctld.pid"
  stop_pid munged "$state/run/munged.pid"
  rm -f /run/munge/hclab-munged.pid
  ;;
*)
  echo "usage: $0 start|stop STATE_DIR" >&2
  exit 2
  ;;
esac
