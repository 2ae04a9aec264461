#!/usr/bin/env bash
# `npm run bench`: every benchmark, each beside its baseline in the same run, then one summary
# table (bench/results/summary.md). Needs Docker. The figures that need IPVS and IPIP run on
# LVS Lab's built-in kernel, started here as an instance of its own ("bench", the same code as
# `lvs-lab engine start`), so that it never disturbs the user's engine or a test run.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-dockerd.sh
bash lab-images/bootstrap-base.sh
command -v docker-compose >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; }
npm run --silent build:node
rm -rf bench/results && mkdir -p bench/results

export LVS_LAB_ENGINE_INSTANCE=bench
trap 'node bin/lvs-lab.js engine stop >&2' EXIT
node bin/lvs-lab.js engine start >&2
socket=$(node bin/lvs-lab.js engine status --json | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).socketPath)')
export BENCH_DOCKER_HOST="unix://$socket"

for bench in bench/lab.ts bench/terminal.ts bench/probe.ts bench/engine.ts; do
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
