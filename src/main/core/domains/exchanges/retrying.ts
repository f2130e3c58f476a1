/**
 * Calls again while each failure is a passing one (`transient`: a 429, a dropped connection), waiting
 * `waitMs(attempt)` before try `attempt + 1`, up to `tries` calls in all; the last failure is thrown as it came.
 */
export async function retrying<T>(
  call: () => Promise<T>,
  options: {
    transient(error: unknown): boolean | Promise<boolean>
    waitMs(attempt: number): number
    tries: number
    onRetry?: () => void
  },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      if (attempt >= options.tries || !(await options.transient(error))) throw error
      options.onRetry?.()
      await new Promise((resolve) => setTimeout(resolve, options.waitMs(attempt)))
    }
  }
}
