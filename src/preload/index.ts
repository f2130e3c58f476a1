import { contextBridge, ipcRenderer } from 'electron'
import { buildApi } from '../shared/api'
import type { Envelope } from '../shared/errors'
import { EVENT_PREFIX } from '../shared/channels'

// Only the contract's channels and events are reachable: buildApi creates one
// method per channel, and no raw ipcRenderer is exposed.
const api = buildApi({
  call: (channel, input, profile) => ipcRenderer.invoke(channel, input, profile) as Promise<Envelope<unknown>>,
  subscribe: (event, listener) => {
    const wrapped = (_event: unknown, payload: unknown) => listener(payload)
    ipcRenderer.on(`${EVENT_PREFIX}${event}`, wrapped)
    return () => ipcRenderer.removeListener(`${EVENT_PREFIX}${event}`, wrapped)
  },
})

contextBridge.exposeInMainWorld('api', api)
