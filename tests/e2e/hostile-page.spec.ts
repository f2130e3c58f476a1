import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from '@playwright/test'
import { browserModeSuite } from './browser-mode-suite'

/** Another web page on this machine: 127.0.0.1 on a different port, which browsers treat as same-site and share cookies with. */
function hostilePage(html: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(html)
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server }),
    ),
  )
}

test.describe('browser mode against a hostile page on another 127.0.0.1 port', () => {
  const suite = browserModeSuite()

  test('malformed cookies, a refused socket and oversized frames leave the app serving and the trader signed in', async ({
    context,
    page,
  }) => {
    const port = suite.app.port
    await page.goto(suite.app.url)
    await page.getByRole('button', { name: 'Overview', exact: true }).click()
    await expect(page.getByTestId('quick-check')).toHaveText('Integrity ok')

    const evil = await hostilePage(`<!doctype html><title>elsewhere</title><body><script>
      window.results = (async () => {
        const out = {}
        // Plant malformed cookies under the app's own name, on a more specific path the browser sends first.
        document.cookie = 'tradedeck_token_${port}=%; path=/'
        document.cookie = 'tradedeck_token_${port}=%E0%A4%A; path=/api'
        try { await fetch('http://127.0.0.1:${port}/', { mode: 'no-cors', credentials: 'include' }); out.fetch = 'answered' } catch (error) { out.fetch = String(error) }
        out.socket = await new Promise((resolve) => {
          const ws = new WebSocket('ws://127.0.0.1:${port}/api')
          ws.onopen = () => { ws.send('x'.repeat(10 * 1024 * 1024)); resolve('opened') }
          ws.onerror = () => resolve('refused')
        })
        return out
      })()
    </script></body>`)
    try {
      const other = await context.newPage()
      await other.goto(evil.url)
      const results = await other.evaluate(
        () => (globalThis as unknown as { results: Promise<Record<string, string>> }).results,
      )
      expect(results).toEqual({ fetch: 'answered', socket: 'refused' })
      await other.screenshot({ path: 'test-results/hostile-page.png' })
    } finally {
      evil.server.close()
    }
    expect(suite.app.stderr()).toContain('refused a WebSocket from origin http://127.0.0.1:')

    // The app's own page sends a 2 MiB message on a socket of its own: that socket is closed with 1009, nothing else.
    const closeCode = await page.evaluate(
      (apiUrl) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(apiUrl)
          ws.onopen = () =>
            ws.send(JSON.stringify({ id: 1, channel: 'system:status', input: { pad: 'x'.repeat(2 * 1024 * 1024) } }))
          ws.onclose = (event) => resolve(event.code)
        }),
      `ws://127.0.0.1:${port}/api`,
    )
    expect(closeCode).toBe(1009)

    // The server is up, and the trader's own tab still works: the planted cookies did not sign it out.
    expect(suite.app.process.exitCode).toBeNull()
    await page.reload()
    await page.getByRole('button', { name: 'Overview', exact: true }).click()
    await page.getByRole('button', { name: 'Check now' }).click()
    await expect(page.getByTestId('quick-check')).toHaveText('Integrity ok')
    await expect(page.getByTestId('quick-check-time')).toContainText('s ago')
    await page.screenshot({ path: 'test-results/after-hostile-page.png', fullPage: true })
  })
})
