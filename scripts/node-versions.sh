# The Node.js versions the tutorial supports, read by scripts/setup.sh and scripts/other-nodes.sh.
# SUPPORTED_NODE_MAJORS: oldest first; package.json's engines names the same (tests/node-versions.test.ts).
# PINNED_NODE_VERSIONS: one release of each, which npm test installs from the npm registry's `node` package
# and tests besides the machine's own Node.js (whose major it skips).
# shellcheck disable=SC2034
SUPPORTED_NODE_MAJORS=(20 22 24 26)
PINNED_NODE_VERSIONS=(20.20.2 22.23.3 24.21.0 26.10.0)
