#!/usr/bin/env bash
# Runs every test tier, in order, and ends with one summary line: "tests: N passed, N failed".
# This is the README's test command (npm test) and what CI runs. No tier is skipped: a tier
# that cannot run (no Docker Engine, no kernel) fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."

results=test-results
rm -rf "$results" && mkdir -p "$results"
status=0
failed=()
tier() { printf '\n=== %s ===\n' "$1"; }
# Records a failed tier by name, so that the end of the run says which one failed.
fail() { failed+=("$1"); status=1; }

tier 'static checks: format, lint, types'
npm run --silent format:check || fail 'format'
npm run --silent lint || fail 'lint'
npm run --silent typecheck || fail 'types'

tier 'build'
npm run --silent build || { echo 'build failed'; exit 1; }

tier 'unit'
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$results/unit.json" || fail 'unit'

tier 'docker: a real Docker Engine'
if bash scripts/ensure-dockerd.sh && bash lab-images/bootstrap-base.sh; then
  npx vitest run --project docker --reporter=default --reporter=json --outputFile.json="$results/docker.json" || fail 'docker'
else
  echo 'the Docker tier cannot run: no Docker Engine (see above)'
  fail 'docker (no engine)'
fi

tier 'e2e: the app in Chromium against browser mode on a real engine'
npx vitest run --project e2e --reporter=default --reporter=json --outputFile.json="$results/e2e.json" || fail 'e2e'

tier 'kernel: every lab on a real kernel with IPVS and IPIP (user-mode Linux)'
# Needs the host engine (for the image) and root (for the tap device); global-setup.ts
# provisions, boots and halts the kernel and prints its timings.
npx vitest run --project kernel --reporter=default --reporter=json --outputFile.json="$results/kernel.json" || fail 'kernel'

# One closing line over every tier, read from the runners' JSON reports.
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0;
  for (const f of fs.readdirSync(process.argv[1]).filter((f) => f.endsWith(".json"))) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  }
  console.log(`\ntests: ${passed} passed, ${failed} failed`);
' "$results"
[ ${#failed[@]} -eq 0 ] || echo "failed tiers: ${failed[*]}"
exit $status
