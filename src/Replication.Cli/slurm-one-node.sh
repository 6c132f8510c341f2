#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for trying the job-array path (cluster slurm, notebook 04) without a cluster.
# Needs root and Debian's slurm-wlm and munge (apt-get install slurm-wlm munge).
#   src/Replication.Cli/slurm-one-node.sh start DIR   # writes DIR/slurm.conf, starts munged (if needed), slurmctld, slurmd; prints the export to use
#   src/Replication.Cli/slurm-one-node.sh stop DIR    # scontrol shutdown, then removes DIR
# The test suite starts its own cluster the same way (tests/Replication.Tests/Core/Cluster/SlurmCluster.cs).
set -euo pipefail
cmd=${1:?start or stop}; dir=${2:?a scratch folder}
case "$cmd" in
start)
  [ "$(id -u)" = 0 ] || { echo "needs root (slurmctld, slurmd and munged)"; exit 4; }
  for t in /usr/sbin/munged /usr/sbin/slurmctld /usr/sbin/slurmd /usr/bin/sbatch; do
    [ -x "$t" ] || { echo "$t missing: apt-get install slurm-wlm munge"; exit 4; }
  done
  if ! (munge -n | unmunge) >/dev/null 2>&1; then
    mkdir -p /run/munge && chown munge:munge /run/munge
    runuser -u munge -- /usr/sbin/munged
  fi
  rm -rf "$dir"; mkdir -p "$dir/state" "$dir/spool"; dir=$(cd "$dir" && pwd)
  host=$(hostname -s); mem=$(( $(free -m | awk '/^Mem:/{print $2}') * 9 / 10 ))
  cat > "$dir/slurm.conf" <<CONF
ClusterName=onenode
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
MinJobAge=600
SchedulerParameters=sched_interval=1
NodeName=$host CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=onenode Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -f "$SLURM_CONF" && slurmd -f "$SLURM_CONF"
  for _ in $(seq 1 150); do [ "$(sinfo -h -o %T)" = idle ] && break; sleep 0.2; done
  sinfo
  echo "export SLURM_CONF=$SLURM_CONF"
  ;;
stop)
  SLURM_CONF="$dir/slurm.conf" scontrol shutdown || true
  sleep 1; rm -rf "$dir"
  ;;
*) echo "start or stop"; exit 2 ;;
esac
