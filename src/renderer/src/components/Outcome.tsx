/** What a form's last action came to: said politely when it worked, as an alert when it did not. */
export interface OutcomeMessage {
  tone: 'ok' | 'bad'
  text: string
}

export function Outcome({ outcome }: { outcome: OutcomeMessage | null }) {
  if (!outcome) return null
  return (
    <div className={`outcome ${outcome.tone}`} role={outcome.tone === 'bad' ? 'alert' : 'status'}>
      {outcome.text}
    </div>
  )
}
