/**
 * How long a call arriving at any moment would wait for this thread: a timer ticks every
 * `everyMs`, and a tick that comes late by a gap means calls arrived all through that gap,
 * each waiting from its arrival to the gap's end. An event-loop delay histogram counts a
 * 700 ms freeze as one late sample out of thousands, which p99 never sees; this counts it
 * as the seventy calls it held.
 */
export function watchResponsiveness(everyMs = 10): { stop(): { p50: number; p99: number; max: number } } {
  const waits: number[] = []
  let last = performance.now()
  const timer = setInterval(() => {
    const now = performance.now()
    const gap = now - last
    last = now
    for (let arrival = 0; arrival < gap; arrival += everyMs) waits.push(Math.max(0, gap - arrival - everyMs))
  }, everyMs)
  return {
    stop() {
      clearInterval(timer)
      waits.sort((a, b) => a - b)
      const at = (fraction: number) => waits[Math.min(waits.length - 1, Math.floor(waits.length * fraction))] ?? 0
      return { p50: at(0.5), p99: at(0.99), max: waits.at(-1) ?? 0 }
    },
  }
}
