import type { ChannelName } from '../../../../shared/channels'
import type { ChannelResult, ParsedInput } from '../../../../shared/contract'

/** Every channel of one area of the contract (`'sync'` → `'sync:status' | 'sync:start' | …`), so handler files never spell the list again. */
export type ChannelsOf<Area extends string> = Extract<ChannelName, `${Area}:${string}`>

export type HandlerTable = {
  [C in ChannelName]: (input: ParsedInput<C>) => ChannelResult<C> | Promise<ChannelResult<C>>
}
