// Running from the TypeScript source (tests, benchmarks): tsx compiles the reader inside the thread.
require('tsx/cjs/api').register()
require('./worker.ts')
