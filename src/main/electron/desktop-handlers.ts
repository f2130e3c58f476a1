import { copyFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { BrowserWindow, dialog, shell } from 'electron'
import type { HandlerTable } from '../core/dispatch'

/**
 * What only the desktop can do, on top of the core's handlers. The trader chooses where an export goes: the core writes
 * it to the data directory's exports folder as always, then a save dialog
 * copies it where the trader says. Cancelling keeps it in the exports folder.
 */
export function withDesktopHandlers(handlers: HandlerTable, dataDir: string): HandlerTable {
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
    'system:openDataFolder': async () => {
      const failure = await shell.openPath(dataDir)
      if (failure) throw new Error(`Could not open ${dataDir}: ${failure}`)
      return { opened: true as const }
    },
  }
}
