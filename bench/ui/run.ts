// npm run bench:ui -- [--json]: the Decision History page in browser mode, in Chromium, over
// 1,000,000 decisions (BENCH_ROWS): time from opening the page to the first rows, and the
// frame times while scrolling through 10,000 rows (BENCH_SCROLL_ROWS). Needs `npm run build`.
import { chromium } from '@playwright/test'
import { join } from 'node:path'
import { v7 as uuidv7 } from 'uuid'
import { openSqlite } from '../../src/main/core/platform/db/sqlite'
import { readManifestFromDisk } from '../../src/main/core/platform/migrations/files'
import { sqliteMigrator } from '../../src/main/core/platform/migrations/open'
import { sqliteStoreDb } from '../../src/main/core/platform/store/connection'
import { createStore } from '../../src/main/core/platform/store/store'
import { startBrowserMode } from '../../tests/helpers/browser-mode'
import { chromiumExecutable } from '../../tests/helpers/chromium'
import { makeTempDir } from '../../tests/helpers/temp-dir'
import { percentile } from '../shared/fresh-database'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const SCROLL_ROWS = Number(process.env.BENCH_SCROLL_ROWS ?? 10_000)
const OPEN_SAMPLES = 7
const json = process.argv.includes('--json')
const log = (line: string) => process.stderr.write(line + '\n')

async function seed(dataDir: string) {
  const dbPath = join(dataDir, 'tradedeck.sqlite')
  const db = openSqlite(dbPath)
  try {
    await sqliteMigrator(db, dataDir, {
      appVersion: 'bench',
      defs: readManifestFromDisk(join(__dirname, '..', '..', 'migrations')).sqlite,
      dbPath,
    }).migrate()
    const user = await createStore(sqliteStoreDb(db)).users.ensureDefault()
    const insert = db.prepare(
      "INSERT INTO decision_history (id, user_id, occurred_at, symbol, action, rationale, confidence, actor) VALUES (?, ?, ?, ?, ?, ?, ?, 'ai')",
    )
    const start = Date.UTC(2025, 0, 1)
    db.transaction(() => {
      for (let i = 0; i < ROWS; i++) {
        const symbol = `SYM${String(i % 20).padStart(2, '0')}-PERP`
        insert.run(
          uuidv7(),
          user.id,
          new Date(start + i * 1000).toISOString(),
          symbol,
          i % 2 ? 'ai_proposed' : 'order_filled',
          `Signal ${i}: EMA cross on ${symbol}`,
          (i % 100) / 100,
        )
      }
    })()
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.exec('ANALYZE')
  } finally {
    db.close()
  }
}

// Runs in the page: scrolls the history by a steady step every frame until `rows` rows have
// passed, loading pages as it goes, and returns every frame's duration.
const SCROLL_SCRIPT = `async ({ rows, rowHeight }) => {
  const scroller = document.querySelector('[data-testid="history-rows"]')
  const target = rows * rowHeight
  const frames = []
  let last = performance.now()
  const started = last
  await new Promise((resolve) => {
    const step = (now) => {
      frames.push(now - last)
      last = now
      scroller.scrollTop = Math.min(scroller.scrollTop + 600, scroller.scrollHeight)
      if (scroller.scrollTop >= target || now - started > 120000) resolve()
      else requestAnimationFrame(step)
    }
    requestAnimationFrame(step)
  })
  return { frames: frames.slice(1), reachedRow: Math.floor(scroller.scrollTop / rowHeight), ms: performance.now() - started }
}`

async function main() {
  const dir = makeTempDir()
  const browser = await chromium.launch({
    ...chromiumExecutable(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })
  try {
    log(`Seeding ${ROWS.toLocaleString('en')} decisions…`)
    await seed(dir.path)
    const app = await startBrowserMode(dir.path)
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
      await page.goto(app.url)
      await page.getByRole('button', { name: 'Overview', exact: true }).waitFor()
      const rows = page.getByTestId('history-rows').getByRole('button')
      const openMs: number[] = []
      for (let sample = 0; sample < OPEN_SAMPLES; sample++) {
        await page.getByRole('button', { name: 'Overview', exact: true }).click()
        await page.getByRole('heading', { name: 'Overview' }).waitFor()
        const started = performance.now()
        await page.getByRole('button', { name: 'Decision History', exact: true }).click()
        await rows.first().waitFor()
        openMs.push(performance.now() - started)
      }
      const scroll = (await page.evaluate(`(${SCROLL_SCRIPT})({ rows: ${SCROLL_ROWS}, rowHeight: 34 })`)) as {
        frames: number[]
        reachedRow: number
        ms: number
      }
      const result = {
        rows: ROWS,
        openToFirstRowsMedianMs: Math.round(percentile(openMs, 50)),
        openToFirstRowsMaxMs: Math.round(Math.max(...openMs)),
        scrolledRows: scroll.reachedRow,
        scrollSeconds: Number((scroll.ms / 1000).toFixed(1)),
        frames: scroll.frames.length,
        frameMedianMs: Number(percentile(scroll.frames, 50).toFixed(1)),
        frameP95Ms: Number(percentile(scroll.frames, 95).toFixed(1)),
        frameMaxMs: Number(Math.max(...scroll.frames).toFixed(1)),
      }
      log(
        `Open Decision History to first rows: median ${result.openToFirstRowsMedianMs} ms, max ${result.openToFirstRowsMaxMs} ms (target < 300 ms)`,
      )
      log(
        `Scrolling ${result.scrolledRows.toLocaleString('en')} rows in ${result.scrollSeconds} s: frame median ${result.frameMedianMs} ms, p95 ${result.frameP95Ms} ms (target < 50 ms), max ${result.frameMaxMs} ms`,
      )
      if (json) process.stdout.write(JSON.stringify(result) + '\n')
    } finally {
      await app.stop()
    }
  } finally {
    await browser.close()
    dir.remove()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
