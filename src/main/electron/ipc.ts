import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron'
import { channelNames, EVENT_PREFIX } from '../../shared/channels'
import type { Core } from '../core/wiring/app'
import { dispatch } from '../core/wiring/dispatch'
import { isTrustedSender } from '../security/electron-guards'
import { withDesktopHandlers } from './desktop-handlers'

function senderIsTrusted(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame
  return isTrustedSender({
    frameUrl: frame ? frame.url : null,
    isMainFrame: Boolean(frame && frame === event.sender.mainFrame),
    isOwnWindow: BrowserWindow.fromWebContents(event.sender) !== null,
  })
}

/** Registers the core's one handler table on ipcMain, behind the sender check. */
export function registerIpc(core: Core): () => void {
  const handlers = withDesktopHandlers(core)
  for (const channel of channelNames) {
    ipcMain.handle(channel, (event, input: unknown, profile: unknown) => {
      if (!senderIsTrusted(event)) {
        return { ok: false, error: { code: 'forbidden', message: 'IPC call from an untrusted frame was refused.' } }
      }
      return dispatch(handlers, channel, input, { profile })
    })
  }
  const unsubscribe = core.events.subscribe((name, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(`${EVENT_PREFIX}${name}`, payload)
  })
  return () => {
    unsubscribe()
    for (const channel of channelNames) ipcMain.removeHandler(channel)
  }
}
