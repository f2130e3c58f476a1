/**
 * Channel and event names, kept free of zod so the sandboxed preload stays
 * tiny. `contract.ts` must define exactly these (it is checked with `satisfies`).
 */
export const channelNames = [
  'system:status',
  'startup:retry',
  'system:checkIntegrity',
  'health:check',
  'tasks:list',
  'errors:list',
  'errors:resolve',
  'retention:get',
  'retention:set',
  'retention:preview',
  'startup:restore-backup',
  'backups:list',
  'backups:create',
  'backups:verify',
  'backups:restore',
  'backups:undoRestore',
  'migrations:status',
  'migrations:plan',
  'migrations:rollback',
  'ideas:list',
  'ideas:get',
  'ideas:candles',
  'ideas:marks',
  'ideas:withdrawn',
  'account:equityCurve',
  'account:importedHistory',
  'account:positions',
  'ideas:approve',
  'ideas:reject',
  'ideas:retry',
  'system:openDataFolder',
  'central:get',
  'central:save',
  'central:test',
  'central:migrationStatus',
  'central:migrate',
  'sync:status',
  'sync:start',
  'sync:pause',
  'sync:resume',
  'sync:verify',
  'sync:restoreFromCentral',
  'settings:get',
  'risk:get',
  'risk:update',
  'trading:halt',
  'trading:resume',
  'trading:flattenAndHalt',
  'account:summary',
  'decisions:query',
  'decisions:context',
  'decisions:export',
  'strategies:kinds',
  'strategies:list',
  'strategies:create',
  'strategies:updateConfig',
  'strategies:start',
  'strategies:stop',
  'strategies:pause',
  'strategies:resume',
  'strategies:delete',
  'strategies:logs',
  'marketData:importCsvFile',
  'marketData:download',
  'exchanges:list',
  'exchanges:saveKey',
  'exchanges:deleteKey',
  'exchanges:testKey',
  'exchanges:reconcile',
  'profiles:list',
  'profiles:create',
  'profiles:rename',
  'profiles:deletePreview',
  'notifications:getPreferences',
  'notifications:setPreferences',
  'profiles:delete',
  'imports:pickFile',
  'imports:commit',
  'imports:discard',
  'backtests:list',
  'backtests:get',
  'backtests:run',
  'backtests:cancel',
  'backtests:delete',
  'backtests:export',
] as const
export const eventNames = ['migration:progress', 'ideas:changed', 'account:changed', 'trading:halted', 'trading:resumed', 'strategies:changed', 'strategies:heartbeat', 'backups:progress', 'health:progress', 'imports:progress', 'notifications:new', 'marketData:importProgress', 'marketData:downloadProgress', 'sync:status', 'backtests:progress', 'backtests:changed'] as const

export type ChannelName = (typeof channelNames)[number]
export type EventName = (typeof eventNames)[number]

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && (channelNames as readonly string[]).includes(value)
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (eventNames as readonly string[]).includes(value)
}

/** Events travel on their own IPC names so they can never be mistaken for calls. */
export const EVENT_PREFIX = 'event:'
