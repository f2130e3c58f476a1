'use strict'
// Keeps the test run honest. A dependency's exit hook once made `npm test`
// pass with failing tests, so a green exit code alone proves nothing.
//
//   node scripts/check-test-run.cjs canary   runs a deliberately failing test under each runner's real
//                                            setup and fails unless each run exits non-zero
//   node scripts/check-test-run.cjs counts   reads the reports `npm test` wrote and fails when any test
//                                            failed or fewer files or tests ran than tests/minimum-counts.json says
const { spawnSync } = require('node:child_process')
const { existsSync, readFileSync } = require('node:fs')
const { join } = require('node:path')

const ROOT = join(__dirname, '..')
const REPORTS = {
  vitest: join(ROOT, 'test-results', 'vitest-report.json'),
  playwright: join(ROOT, 'test-results', 'playwright-report.json'),
}

function fail(message) {
  process.stderr.write(`check-test-run: ${message}\n`)
  process.exit(1)
}

function runCanary(name, args) {
  const run = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = `${run.stdout}\n${run.stderr}`
  if (run.status === 0)
    fail(`the ${name} canary failed on purpose, yet ${name} exited 0: its exit code cannot be trusted.\n${output}`)
  if (!output.includes('canary: this test must fail'))
    fail(`the ${name} canary run exited ${run.status} without running the canary test.\n${output}`)
  process.stdout.write(`check-test-run: a failing ${name} test makes ${name} exit ${run.status}, as it must.\n`)
}

function canary() {
  runCanary('vitest', [
    join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--config',
    'vitest.canary.config.ts',
  ])
  runCanary('playwright', [
    join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js'),
    'test',
    '--config',
    'playwright.canary.config.ts',
  ])
}

function vitestCounts(report) {
  const executed = report.numPassedTests + report.numFailedTests
  return {
    files: report.testResults.length,
    tests: executed,
    failed: report.numFailedTests + report.numFailedTestSuites,
  }
}

function playwrightCounts(report) {
  const files = new Set()
  let tests = 0
  let failed = report.errors?.length ?? 0
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const outcome = test.status // expected | unexpected | flaky | skipped
        if (outcome === 'skipped') continue
        tests++
        files.add(spec.file)
        if (outcome === 'unexpected') failed++
      }
    }
    for (const child of suite.suites ?? []) walk(child)
  }
  for (const suite of report.suites ?? []) walk(suite)
  return { files: files.size, tests, failed }
}

function counts() {
  const minimum = JSON.parse(readFileSync(join(ROOT, 'tests', 'minimum-counts.json'), 'utf8'))
  for (const [runner, read] of [
    ['vitest', vitestCounts],
    ['playwright', playwrightCounts],
  ]) {
    if (!existsSync(REPORTS[runner])) fail(`${REPORTS[runner]} is missing: did ${runner} run?`)
    const seen = read(JSON.parse(readFileSync(REPORTS[runner], 'utf8')))
    const floor = minimum[runner]
    if (seen.failed > 0) fail(`${runner} reported ${seen.failed} failure(s).`)
    if (seen.files < floor.files || seen.tests < floor.tests) {
      fail(
        `${runner} ran ${seen.files} files and ${seen.tests} tests, fewer than the ${floor.files} files and ${floor.tests} tests in tests/minimum-counts.json. A test file stopped running; find out why before lowering the minimum.`,
      )
    }
    process.stdout.write(
      `check-test-run: ${runner} ran ${seen.files} files and ${seen.tests} tests (minimum ${floor.files} and ${floor.tests}), none failed.\n`,
    )
  }
}

const command = process.argv[2]
if (command === 'canary') canary()
else if (command === 'counts') counts()
else fail('usage: node scripts/check-test-run.cjs canary|counts')
