import { app, BrowserWindow } from 'electron'
import { join } from 'node:path'
import { APP_ENTRY_URL, SECURE_WEB_PREFERENCES } from '../security/electron-guards'

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    backgroundColor: '#0f1419',
    title: 'Tradedeck',
    show: false,
    // DevTools only in development: a packaged app gives no console into the trader's session.
    webPreferences: {
      ...SECURE_WEB_PREFERENCES,
      devTools: !app.isPackaged,
      preload: join(__dirname, '..', 'preload', 'index.js'),
    },
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(APP_ENTRY_URL)
  return window
}
