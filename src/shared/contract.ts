import { z } from 'zod'
import type { ChannelName, EventName } from './channels'

export type { ChannelName, EventName } from './channels'

/**
 * The one IPC contract. Every channel has a name, a zod schema for its input
 * and a result type; every event from core to renderer has a payload schema.
 * Electron's preload and browser mode's WebSocket bridge both build `window.api`
 * from this table, so the renderer never knows which host it runs in.
 */

export interface QuickCheck {
  ok: boolean
  messages: string[]
}

export interface SystemStatus {
  appVersion: string
  host: HostKind
  dataDir: string
  dbPath: string
  sqliteVersion: string
  sizeBytes: number
  schemaVersion: number
  quickCheck: QuickCheck
  startupMigration: StartupMigrationState
}

export type HostKind = 'electron' | 'browser' | 'cli'

/** What happened to the schema when the app started; the renderer shows a recovery screen unless it is 'ok'. */
export type StartupMigrationState =
  | { state: 'running' }
  | { state: 'ok'; applied: number[]; backupPath: string | null }
  | { state: 'failed'; message: string; backupPath: string | null; diagnostics: string }
  | { state: 'newer_database'; message: string; unknownVersions: number[]; restorableBackup: string | null }

export interface RestoreResult {
  restoredFrom: string
  preRestoreBackup: string
  status: SystemStatus
}

interface ChannelSpec<Input extends z.ZodType, Result> {
  input: Input
  /** Phantom: carries the result type only. */
  result?: Result
}

function channel<Result>() {
  return <Input extends z.ZodType>(input: Input): ChannelSpec<Input, Result> => ({ input })
}

const noInput = z.object({}).strict()

export const contract = {
  'system:status': channel<SystemStatus>()(noInput),
  'startup:retry': channel<SystemStatus>()(noInput),
  'startup:restore-backup': channel<RestoreResult>()(
    z
      .object({
        file: z
          .string()
          .regex(/^tradedeck-[0-9TZ]+-[a-z-]+\.sqlite$/, 'must be the file name of a backup in the catalogue'),
      })
      .strict(),
  ),
} as const satisfies Record<ChannelName, ChannelSpec<z.ZodType, unknown>>

export type ChannelInput<C extends ChannelName> = z.input<(typeof contract)[C]['input']>
export type ParsedInput<C extends ChannelName> = z.output<(typeof contract)[C]['input']>
export type ChannelResult<C extends ChannelName> = NonNullable<(typeof contract)[C]['result']>

export const eventSchemas = {
  'migration:progress': z.object({
    phase: z.enum(['backup', 'migrate', 'done', 'failed']),
    version: z.number().int().nullable(),
    name: z.string().nullable(),
    index: z.number().int(),
    total: z.number().int(),
    message: z.string(),
  }),
} as const satisfies Record<EventName, z.ZodType>

export type EventPayload<E extends EventName> = z.output<(typeof eventSchemas)[E]>

