import { createClient, type TradedeckClient } from '../../../shared/api'
import { createWebSocketApi } from './websocket-api'

/** The renderer never knows its host: Electron's preload provides window.api, browser mode builds it. */
export const api: TradedeckClient = createClient(window.api ?? createWebSocketApi())
