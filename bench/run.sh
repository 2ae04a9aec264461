#!/usr/bin/env bash
# `npm run bench`: every benchmark, each beside its baseline in the same run, then one summary
# table (bench/results/summary.md). Needs root (Docker, the kernel's tap device). The figures
# that need IPVS and IPIP run on the user-mode Linux kernel's engine, booted here for the run
# on its own tap, so that it never disturbs a test run.
set -euo pipefail
cd "$(dirname "$0")/.."
export LVS_UML_TAP=lvsbench0 LVS_UML_HOST_ADDR=169.254.79.1/30 LVS_UML_ADDR=169.254.79.2/30

bash scripts/ensure-dockerd.sh
bash lab-images/bootstrap-base.sh
command -v docker-compose >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; }
npm run --silent build:node
rm -rf bench/results && mkdir -p bench/results

bash test/kernel/uml/provision.sh >&2
host_line=$(bash test/kernel/uml/boot.sh)
trap 'bash test/kernel/uml/halt.sh >&2' EXIT
export BENCH_DOCKER_HOST="${host_line#DOCKER_HOST=}"
node bin/lvs-lab.js image --copy-to "$BENCH_DOCKER_HOST" >&2

for bench in bench/lab.ts bench/terminal.ts bench/probe.ts; do
  [ -f "$bench" ] || continue
  echo "=== $bench ==="
  npx vite-node "$bench"
done

node -e '
  const fs = require("fs");
  const dir = "bench/results";
  const rows = fs.readdirSync(dir).filter((f) => f.endsWith(".md") && f !== "summary.md").map((f) => fs.readFileSync(`${dir}/${f}`, "utf8").trim().split("\n"));
  const table = [rows[0][0], rows[0][1], ...rows.flatMap((r) => r.slice(2))].join("\n");
  fs.writeFileSync(`${dir}/summary.md`, table + "\n");
  console.log("\n=== summary (bench/results/summary.md) ===\n" + table);
'
