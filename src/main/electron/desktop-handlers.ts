import { copyFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { BrowserWindow, dialog, shell } from 'electron'
import type { Core } from '../core/wiring/app'
import type { HandlerTable } from '../core/platform/calls/handler-table'
import { importCandleCsvFile } from '../core/domains/market-data/csv-candle-import'
import { profile } from '../core/platform/calls/profile'
import { dryRunStaged } from '../core/domains/imports/staged-dry-run'
import { stageCopy } from '../core/domains/imports/staged-imports'

/**
 * What only the desktop can do, on top of the core's handlers. The trader chooses where an export goes: the core writes
 * it to the data directory's exports folder as always, then a save dialog
 * copies it where the trader says. Cancelling keeps it in the exports folder.
 */
export function withDesktopHandlers(core: Core): HandlerTable {
  const { handlers } = core
  const { dataDir } = core.context
  const exportDecisions = handlers['decisions:export']
  return {
    ...handlers,
    'decisions:export': async (input) => {
      const result = await exportDecisions(input)
      const window = BrowserWindow.getFocusedWindow()
      const options = { defaultPath: basename(result.path), filters: [{ name: 'CSV', extensions: ['csv'] }] }
      const choice = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
      if (choice.canceled || !choice.filePath) return result
      await copyFile(result.path, choice.filePath)
      return { ...result, path: choice.filePath }
    },
    // The main process reads the file the trader picked; the renderer never sends its contents or a path.
    'marketData:importCsvFile': async (target) => {
      const window = BrowserWindow.getFocusedWindow()
      const options = { properties: ['openFile' as const], filters: [{ name: 'CSV', extensions: ['csv', 'txt'] }] }
      const choice = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
      const path = choice.filePaths[0]
      if (choice.canceled || !path) return { imported: null }
      return { imported: await importCandleCsvFile(core.context, { ...target, userId: profile(core.context), path }) }
    },
    // The trader picks a Freqtrade database; it is copied into the imports folder and dry-run, and the page commits it.
    'imports:pickFile': async () => {
      const window = BrowserWindow.getFocusedWindow()
      const options = {
        properties: ['openFile' as const],
        filters: [{ name: 'Trade history', extensions: ['sqlite', 'db'] }],
      }
      const choice = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
      const path = choice.filePaths[0]
      if (choice.canceled || !path) return { report: null }
      return {
        report: await dryRunStaged(
          core.context,
          core.services.backups,
          stageCopy(dataDir, path, basename(path), profile(core.context)),
        ),
      }
    },
    'system:openDataFolder': async () => {
      const failure = await shell.openPath(dataDir)
      if (failure) throw new Error(`Could not open ${dataDir}: ${failure}`)
      return { opened: true as const }
    },
  }
}
