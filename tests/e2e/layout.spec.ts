import { expect, test, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { browserModeSuite } from './browser-mode-suite'
import { startAwkwardMoneyBrowserMode } from '../helpers/browser-mode'
import { PAGES } from '../../src/renderer/src/routing/routes'

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]
const THEMES = ['dark', 'light'] as const

interface LayoutProblem {
  what: string
  element: string
  text: string
}

/**
 * What a trader would see as broken: the page or a panel wider than its place (a horizontal
 * scrollbar where none belongs), or text cut off with nothing to show the rest. Text cut on
 * purpose carries its whole in a title, which the check accepts.
 */
function layoutProblems(page: Page): Promise<LayoutProblem[]> {
  return page.evaluate(() => {
    const problems: { what: string; element: string; text: string }[] = []
    const describe = (element: Element) =>
      `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className && typeof element.className === 'string' ? `.${element.className.trim().split(/\s+/).join('.')}` : ''}`
    const visible = (element: Element) => {
      const box = element.getBoundingClientRect()
      return box.width > 0 && box.height > 0
    }
    const content = document.querySelector('.content')
    if (content && content.scrollWidth > content.clientWidth + 1)
      problems.push({
        what: `the page is ${content.scrollWidth - content.clientWidth}px wider than its place`,
        element: describe(content),
        text: '',
      })
    for (const panel of Array.from(document.querySelectorAll('.content .panel'))) {
      if (!visible(panel)) continue
      if (panel.scrollWidth > panel.clientWidth + 1)
        problems.push({
          what: `a panel is ${panel.scrollWidth - panel.clientWidth}px wider than its place`,
          element: describe(panel),
          text: (panel.querySelector('h2')?.textContent ?? '').slice(0, 60),
        })
    }
    // A control the app did not style keeps the browser's bevelled (outset or inset) border.
    for (const control of Array.from(
      document.querySelectorAll(
        'button, select, input:not([type=checkbox]):not([type=radio]):not([type=file]), textarea',
      ),
    )) {
      if (!visible(control)) continue
      const border = getComputedStyle(control).borderTopStyle
      if (border === 'outset' || border === 'inset')
        problems.push({
          what: 'a control has the browser’s own look, not the app’s',
          element: describe(control),
          text: (control.textContent ?? '').trim().slice(0, 40),
        })
    }
    for (const element of Array.from(document.querySelectorAll('.content *'))) {
      // Words for screen readers only are hidden on purpose.
      if (!(element instanceof HTMLElement) || !visible(element) || element.closest('.visually-hidden')) continue
      const style = getComputedStyle(element)
      const clips = style.overflowX === 'hidden' || style.overflowX === 'clip' || style.textOverflow === 'ellipsis'
      if (!clips || element.scrollWidth <= element.clientWidth + 1) continue
      // Cut on purpose, with the whole text a hover away.
      if (element.title || element.closest('[title]')) continue
      // A scrolling or charting container is not text.
      if (element.querySelector('canvas, table')) continue
      const text = (element.textContent ?? '').trim()
      if (!text) continue
      problems.push({ what: 'text is cut off', element: describe(element), text: text.slice(0, 80) })
    }
    return problems
  })
}

test.describe('every page reads well at the sizes and themes traders use', () => {
  const suite = browserModeSuite(startAwkwardMoneyBrowserMode)

  test.beforeAll(() => {
    // Ideas waiting and decisions in the history, besides the awkward money the suite seeded.
    execFileSync(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '..', 'helpers', 'seed-ideas.ts'), suite.dataDir],
      {
        stdio: 'inherit',
      },
    )
  })

  for (const size of SIZES)
    for (const theme of THEMES)
      test(`${size.width}×${size.height}, ${theme}`, async ({ page }) => {
        test.setTimeout(120_000)
        await page.setViewportSize(size)
        await page.emulateMedia({ colorScheme: theme })
        await page.goto(suite.app.url)
        const found: string[] = []
        for (const entry of PAGES) {
          await page.getByRole('button', { name: entry.label, exact: true }).click()
          await expect(page.getByRole('heading', { level: 1, name: entry.label })).toBeVisible()
          // Let the page's data arrive before it is judged.
          await page.waitForLoadState('networkidle').catch(() => undefined)
          await page.waitForTimeout(300)
          await page.screenshot({
            path: `test-results/layout/${entry.id}-${size.width}x${size.height}-${theme}.png`,
            fullPage: true,
          })
          for (const problem of await layoutProblems(page))
            found.push(`${entry.label}: ${problem.what} (${problem.element}) ${problem.text}`)
        }
        expect(found).toEqual([])
      })
})
