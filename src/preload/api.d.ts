import type { TradedeckApi } from '../shared/api'

declare global {
  interface Window {
    /** Provided by the Electron preload, or absent in browser mode (the renderer builds it over WebSocket). */
    api?: TradedeckApi
  }
}

export {}
