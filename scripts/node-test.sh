#!/usr/bin/env bash
# Run node:test files with ts-node; besides the usual report, count the tests per TensorFlow.js backend
# (tests/helpers/backend-usage.ts, tests/helpers/backend-reporter.mjs).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# DISABLE_V8_COMPILE_CACHE: ts-node would cache the compiler under a fixed name in the shared /tmp.
exec env TS_NODE_TRANSPILE_ONLY=1 DISABLE_V8_COMPILE_CACHE=1 node --test -r ts-node/register -r ./tests/helpers/backend-usage.ts -r ./tests/helpers/test-tier.ts \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./tests/helpers/backend-reporter.mjs --test-reporter-destination=stdout "$@"
