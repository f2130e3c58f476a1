import type { EventName, EventPayload } from '../../../shared/contract'

export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void

/** Fan-out of core events to whichever hosts are attached (windows, sockets). */
export class CoreEvents {
  private readonly sinks = new Set<EventSink>()

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink)
    return () => this.sinks.delete(sink)
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const sink of this.sinks) sink(event, payload)
  }
}
