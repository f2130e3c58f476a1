export function ComingSoon({ title, summary }: { title: string; summary: string }) {
  return (
    <section className="page">
      <h1>{title}</h1>
      <div className="panel muted-panel">
        <p className="coming-soon">Coming soon.</p>
        <p>{summary}</p>
      </div>
    </section>
  )
}
