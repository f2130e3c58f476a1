import { app, dialog } from 'electron'
import { join } from 'node:path'
import { openCore, type Core } from './core/wiring/app'
import { APP_VERSION } from './core/platform/app-version'
import { resolveDataDir } from './core/platform/files/data-dir'
import { bundledWorkerEntry } from './core/domains/strategies/worker-entry'
import { registerIpc } from './electron/ipc'
import { safeStorageSecretBox } from './electron/safe-storage-box'
import { electronNativeBinding } from './electron/native-binding'
import { registerAppScheme, serveRenderer } from './electron/protocol'
import { applySecurityGuards } from './electron/security'
import { createMainWindow } from './electron/window'
import { errorMessage } from '../shared/errors'

// The Electron host stays thin: window, security, IPC wiring. Everything else is the core.
registerAppScheme()

/** True when the trader keeps Tradedeck open after reading what quitting would leave unwatched. */
function askToStay(warning: string): boolean {
  const choice = dialog.showMessageBoxSync({
    type: 'warning',
    buttons: ['Quit anyway', 'Keep Tradedeck open'],
    defaultId: 1,
    cancelId: 1,
    message: 'Some positions have no stop on the exchange',
    detail: warning,
  })
  return choice === 1
}

if (!app.requestSingleInstanceLock()) {
  process.stdout.write('Tradedeck is already running; switching to the open window.\n')
  app.quit()
} else {
  let core: Core | undefined
  let window: ReturnType<typeof createMainWindow> | undefined

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore()
    window?.focus()
  })

  app.whenReady().then(() => {
    const dataDirFlag = process.argv.find((arg) => arg.startsWith('--data-dir='))?.slice('--data-dir='.length)
    try {
      const nativeBinding = electronNativeBinding()
      const dataDir = resolveDataDir(dataDirFlag, process.env, () => app.getPath('userData'))
      core = openCore({
        dataDir,
        host: 'electron',
        secretBox: safeStorageSecretBox(dataDir),
        appVersion: APP_VERSION,
        strategies: { worker: bundledWorkerEntry(__dirname) },
        ...(nativeBinding ? { nativeBinding } : {}),
      })
    } catch (error) {
      dialog.showErrorBox('Tradedeck cannot open its data', errorMessage(error))
      app.exit(1)
      return
    }
    applySecurityGuards()
    serveRenderer(join(__dirname, '..', 'renderer'))
    registerIpc(core)
    window = createMainWindow()
    void core.start()
  })

  app.on('window-all-closed', () => app.quit())
  let quitting = false
  app.on('will-quit', (event) => {
    if (!core || quitting) return
    // Strategies stop gracefully first, so they resume on the next launch.
    event.preventDefault()
    quitting = true
    const closing = core
    void closing
      .quitWarning()
      .catch(() => null)
      .then((warning) => {
        // Positions only Tradedeck watches are left alone once it quits: the trader decides, knowing that.
        if (warning && askToStay(warning)) {
          quitting = false
          if (!window || window.isDestroyed()) window = createMainWindow()
          return
        }
        return closing
          .shutdown()
          .catch(() => undefined)
          .finally(() => {
            closing.close()
            app.quit()
          })
      })
  })
}
