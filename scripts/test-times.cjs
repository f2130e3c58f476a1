'use strict'
// npm run test:times: the ten slowest test files of the last run, from the JSON reports
// `npm test` writes (vitest and Playwright), so the next speed-up starts where the time goes.
const { existsSync, readFileSync } = require('node:fs')
const { join, relative } = require('node:path')

const ROOT = join(__dirname, '..')
const REPORTS = {
  vitest: join(ROOT, 'test-results', 'vitest-report.json'),
  playwright: join(ROOT, 'test-results', 'playwright-report.json'),
}
const COUNT = Number(process.argv[2] ?? 10)

function vitestFiles(report) {
  return report.testResults.map((file) => ({
    runner: 'vitest',
    file: relative(ROOT, file.name),
    ms: file.endTime - file.startTime,
    tests: file.assertionResults.length,
  }))
}

function playwrightFiles(report) {
  const byFile = new Map()
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      const entry = byFile.get(spec.file) ?? {
        runner: 'playwright',
        file: join('tests', 'e2e', spec.file),
        ms: 0,
        tests: 0,
      }
      for (const test of spec.tests ?? []) for (const result of test.results ?? []) entry.ms += result.duration
      entry.tests += spec.tests?.length ?? 0
      byFile.set(spec.file, entry)
    }
    for (const child of suite.suites ?? []) walk(child)
  }
  for (const suite of report.suites ?? []) walk(suite)
  return [...byFile.values()]
}

const files = []
for (const [runner, path] of Object.entries(REPORTS)) {
  if (!existsSync(path)) {
    process.stderr.write(`test-times: no ${runner} report at ${relative(ROOT, path)}; run npm test first.\n`)
    continue
  }
  const report = JSON.parse(readFileSync(path, 'utf8'))
  files.push(...(runner === 'vitest' ? vitestFiles(report) : playwrightFiles(report)))
}
if (files.length === 0) process.exit(1)
files.sort((a, b) => b.ms - a.ms)
const total = files.reduce((sum, file) => sum + file.ms, 0)
process.stdout.write(
  `The ${Math.min(COUNT, files.length)} slowest of ${files.length} test files (${(total / 1000).toFixed(0)} s of test time in all; vitest runs several files at a time, so these overlap):\n`,
)
for (const file of files.slice(0, COUNT))
  process.stdout.write(
    `${(file.ms / 1000).toFixed(1).padStart(7)} s  ${file.runner.padEnd(10)} ${file.file} (${file.tests} tests)\n`,
  )
