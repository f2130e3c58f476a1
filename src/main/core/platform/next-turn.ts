/**
 * Resolves after the event loop's next turn. SQLite calls resolve as microtasks, so a
 * long loop of them never lets a timer, a socket or another window's call run; awaiting
 * this between chunks does.
 */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve))
