// Runs the strategy worker from its TypeScript source: tsx compiles it (and the test kinds) inside the thread.
require('tsx/cjs/api').register()
require('../../src/main/core/domains/strategies/worker/strategy-worker.ts')
