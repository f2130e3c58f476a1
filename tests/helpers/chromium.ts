import { existsSync } from 'node:fs'
import { chromium } from '@playwright/test'

/**
 * Playwright's own Chromium where it is installed, otherwise CHROMIUM_PATH or
 * Debian's /usr/bin/chromium (Playwright cannot download browsers offline).
 */
export function chromiumExecutable(): { executablePath?: string } {
  try {
    if (existsSync(chromium.executablePath())) return {}
  } catch {
    // Playwright throws when its browser registry has no entry for this platform.
  }
  const fallback = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
  if (!existsSync(fallback)) {
    throw new Error(
      `No Chromium found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH. Looked at ${fallback}.`,
    )
  }
  return { executablePath: fallback }
}
