/**
 * Takes the pages' calls in turn: one call is started per turn of the event loop, from the
 * next page in the ring that has one waiting, so a page's call waits behind at most one
 * call of each other page, however many those have sent; and the loop's I/O (another
 * page's message, an upload) is heard between any two calls.
 */
export interface TakesTurns {
  /** Starts this page's next waiting call, if it has one and may start another; false otherwise. */
  startNext(): boolean
}

export class CallTurns {
  private readonly ring: TakesTurns[] = []
  private scheduled = false

  /** A page has a call waiting, or one of its calls has ended. */
  wake(page: TakesTurns): void {
    if (!this.ring.includes(page)) this.ring.push(page)
    this.schedule()
  }

  forget(page: TakesTurns): void {
    const at = this.ring.indexOf(page)
    if (at >= 0) this.ring.splice(at, 1)
  }

  private schedule(): void {
    if (this.scheduled || this.ring.length === 0) return
    this.scheduled = true
    setImmediate(() => this.turn())
  }

  private turn(): void {
    this.scheduled = false
    while (this.ring.length > 0) {
      const page = this.ring.shift() as TakesTurns
      if (page.startNext()) {
        this.ring.push(page)
        break
      }
      // Nothing it may start now: it is woken again when one of its calls ends or another arrives.
    }
    this.schedule()
  }
}
