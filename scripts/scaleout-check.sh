#!/usr/bin/env bash
# The scale-out check: on a fresh PostgreSQL database, the simulator with ITEMS synthetic items
# more than its own, `tiyan serve` and two `tiyan worker` processes complete
# `tiyan sweep --enqueue --limit ITEMS` on both channels while one worker is killed (kill -9)
# once a third of the item-channels are done. Prints the run as `tiyan runs show` reports it,
# the duration, and River's record of the probe jobs: one completed job per item-channel, none
# twice, and which jobs were rescued from the killed worker.
#
#   bash scripts/scaleout-check.sh [ITEMS]        # default 300
#
# Needs root for scripts/postgres.sh (or TIYAN_TEST_DATABASE_URL naming a database whose role may
# create databases), Chromium, and Go. Logs and the configuration go to a temporary folder,
# printed at the start; the database tiyan_scaleout_PID is left for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."
items=${1:-300}
work=$(mktemp -d /tmp/tiyan-scaleout.XXXXXX)
echo "工作目录 $work"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

go build -o "$work/tiyan" ./cmd/tiyan
tiyan=$work/tiyan

base=$(bash scripts/postgres.sh)
db=tiyan_scaleout_$$
psql "$base" -qc "CREATE DATABASE $db"
export TIYAN_DATABASE_URL=${base%/*}/$db?${base#*\?}
echo "数据库 $db"

sim=127.0.0.1:$(free_port)
"$tiyan" portalsim --addr "$sim" --defects seeded --items "$items" >"$work/portalsim.log" 2>&1 &
pids+=($!)
cat >"$work/tiyan.yaml" <<YAML
site:
  name: wanshitong
  base_url: http://$sim
  catalogue: http://$sim/catalogue/ssqd.json
schedules: {sweep: "off", overdue_scan: "off"}
web: {addr: "127.0.0.1:$(free_port)"}
metrics: {addr: "off"}
YAML
export TIYAN_SSO_ACCOUNT=13800000000 TIYAN_SSO_PASSWORD=Tiyan@2026 TIYAN_SSO_SMS=123456
for _ in $(seq 1 50); do curl -fs "http://$sim/catalogue/ssqd.json" >/dev/null && break; sleep 0.2; done

"$tiyan" serve --config "$work/tiyan.yaml" --name serve >"$work/serve.log" 2>&1 &
pids+=($!)
"$tiyan" worker --config "$work/tiyan.yaml" --name worker-a --metrics-addr "127.0.0.1:$(free_port)" >"$work/worker-a.log" 2>&1 &
pids+=($!)
"$tiyan" worker --config "$work/tiyan.yaml" --name worker-b --metrics-addr "127.0.0.1:$(free_port)" >"$work/worker-b.log" 2>&1 &
victim=$!
pids+=($victim)
sleep 5

out=$("$tiyan" sweep --enqueue --limit "$items" --channels pc,h5 --base-url "http://$sim" --catalogue "http://$sim/catalogue/ssqd.json")
echo "$out"
run=$(sed -n 's/.*运行编号 \([^（]*\)（.*/\1/p' <<<"$out")
started=$(date +%s)

field() { "$tiyan" runs show "$run" --format json | python3 -c "import json,sys; r=json.load(sys.stdin); print(r.get('$1') or 0)"; }
killed=no
while :; do
  status=$(field status); done_=$(field done); total=$(field total)
  echo "$(date +%T) $status $done_/$total"
  if [ "$killed" = no ] && [ "$total" -gt 0 ] && [ $((done_ * 3)) -ge "$total" ]; then
    kill -9 "$victim"
    killed=yes
    echo "$(date +%T) kill -9 worker-b（PID $victim），已完成 $done_/$total"
  fi
  [ "$status" = done ] || [ "$status" = failed ] && break
  sleep 15
done
echo "用时 $(( $(date +%s) - started )) 秒"
"$tiyan" runs show "$run"

echo
echo "River 的探测任务记录（每个事项渠道应恰有一个已完成的任务）："
psql "$TIYAN_DATABASE_URL" -P pager=off -c "
  SELECT count(*) AS probe_jobs,
         count(DISTINCT (args->>'code', args->>'channel')) AS item_channels,
         count(*) FILTER (WHERE state = 'completed') AS completed,
         count(*) FILTER (WHERE attempt > 1) AS attempted_more_than_once,
         count(*) FILTER (WHERE 'worker-b' = ANY(attempted_by) AND array_length(attempted_by, 1) > 1) AS rescued_from_worker_b
    FROM river_job WHERE kind = 'probe' AND metadata->>'run_id' = '$run'"
psql "$TIYAN_DATABASE_URL" -P pager=off -c "
  SELECT args->>'code' AS item, args->>'channel' AS channel, count(*) AS jobs
    FROM river_job WHERE kind = 'probe' AND metadata->>'run_id' = '$run'
   GROUP BY 1, 2 HAVING count(*) > 1"
echo "同一次体验里被归档两次的发现（出现次数大于 1，应为 0 行；被收回的任务若在归档后、记录前中断会出现）："
psql "$TIYAN_DATABASE_URL" -P pager=off -c "SELECT id, rule, item_code, channel, occurrences FROM findings WHERE occurrences > 1"
