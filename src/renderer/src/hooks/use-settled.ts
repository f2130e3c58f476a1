import { useEffect, useState } from 'react'
import { APPROVAL_GUARD_MS } from '../pages/trade-ideas/idea-keys'

/** True once the detail shown at `shownAt` has settled: re-renders at that moment rather than on the next clock tick. */
export function useSettled(shownAt: number | null): boolean {
  const [settledFor, setSettledFor] = useState<number | null>(null)
  useEffect(() => {
    if (shownAt === null) return
    const timer = setTimeout(() => setSettledFor(shownAt), Math.max(0, shownAt + APPROVAL_GUARD_MS - Date.now()))
    return () => clearTimeout(timer)
  }, [shownAt])
  return shownAt !== null && settledFor === shownAt
}
