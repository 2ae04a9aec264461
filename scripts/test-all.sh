#!/usr/bin/env bash
# Runs every test tier, in order, and ends with one summary line: "tests: N passed, N failed",
# followed by "(failed tiers: ...)" when any tier failed.
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
if bash scripts/ensure-chromium.sh; then
  npx vitest run --project e2e --reporter=default --reporter=json --outputFile.json="$results/e2e.json" || fail 'e2e'
else
  echo 'the e2e tier cannot run: no browser (see above)'
  fail 'e2e (no browser)'
fi

tier 'kernel: every lab on a real kernel with IPVS and IPIP (user-mode Linux)'
# Needs the host engine (for the image) and root (for the tap device); global-setup.ts
# provisions, boots and halts the kernel and prints its timings.
npx vitest run --project kernel --reporter=default --reporter=json --outputFile.json="$results/kernel.json" || fail 'kernel'

# One closing line over every tier, read from the runners' JSON reports. A suite that failed to
# load or crashed counts as failed (its tests never ran), and so does a tier that failed without
# a report or with fewer failures in it than its exit status says (one failure at least).
node -e '
  const fs = require("fs");
  const [dir, failedTiers] = [process.argv[1], process.argv[2].split(",").filter(Boolean)];
  let passed = 0, failed = 0;
  const reported = new Set();
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const r = JSON.parse(fs.readFileSync(dir + "/" + f, "utf8"));
    const tier = f.replace(/\.json$/, "");
    reported.add(tier);
    const brokenSuites = (r.testResults ?? []).filter((s) => s.status === "failed" && (s.assertionResults ?? []).every((a) => a.status !== "failed")).length;
    const tierFailed = r.numFailedTests + Math.max(r.numRuntimeErrorTestSuites ?? 0, brokenSuites);
    passed += r.numPassedTests;
    failed += tierFailed === 0 && failedTiers.includes(tier) ? 1 : tierFailed;
  }
  // A tier that failed before writing a report (no engine, no browser, a type error) counts once.
  for (const tier of failedTiers) if (!reported.has(tier)) failed += 1;
  const which = failedTiers.length === 0 ? "" : ` (failed tiers: ${failedTiers.join(", ")})`;
  console.log(`\ntests: ${passed} passed, ${failed} failed${which}`);
' "$results" "$(IFS=,; echo "${failed[*]:-}")"
exit $status
