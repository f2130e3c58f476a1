/** A failure a page could not get past, said in the core's own words, with what was being done when it happened. */
export function ErrorPanel({ doing, message, testId }: { doing?: string; message: string; testId?: string }) {
  return (
    <div className="panel error-panel" role="alert" data-testid={testId}>
      {doing ? `${doing}: ${message}` : message}
    </div>
  )
}
