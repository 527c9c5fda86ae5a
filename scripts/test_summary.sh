#!/usr/bin/env bash
# Prints one plain summary line from a `swift test` log (XCTest and Swift Testing both report;
# Swift Testing's line comes last), so CI logs end with "N passed, M failed".
log=${1:-.build-test.log}
passed=$(grep -cE '^✔ Test .* passed' "$log" || true)
failed=$(grep -cE '^✘ Test .* (failed|recorded)' "$log" || true)
skipped=$(grep -cE '^➜ Test .* skipped' "$log" || true)
echo "swift test: $passed passed, $failed failed, $skipped skipped"
grep -E 'GPU tests skipped' "$log" | head -1 || true
