import { ccxtLibrary } from './exchange-client'

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

/**
 * Whether a ccxt failure may pass when tried again: a 429, a dropped connection, an exchange's 5xx or "busy". A
 * refused key, a clock past the exchange's window and a request it refused as malformed never pass by waiting.
 */
export async function passingFailure(error: unknown): Promise<boolean> {
  const ccxt = await ccxtLibrary()
  return (
    (error instanceof ccxt.OperationFailed && !(error instanceof ccxt.InvalidNonce)) ||
    (error instanceof ccxt.ExchangeError &&
      !(error instanceof ccxt.AuthenticationError) &&
      !(error instanceof ccxt.PermissionDenied) &&
      !(error instanceof ccxt.BadRequest))
  )
}
