import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import {
  DECISION_ACTION_LABELS,
  DECISION_ACTIONS,
  DECISION_ACTOR_GROUPS,
  actorGroupOf,
  type Decision,
  type DecisionActorGroup,
  type DecisionFilter,
  type RiskDecision,
} from '../../../../shared/domain'
import { IdeaChart } from '../../components/charts/IdeaChart'
import { useDecisionsStore } from '../../stores/decisions-store'
import { useStrategiesStore } from '../../stores/strategies-store'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useNavigationStore } from '../../stores/navigation-store'
import { useProfilesStore } from '../../stores/profiles-store'
import { queryToFilter } from '../../routing/history-filter'
import { api } from '../../bridge/client'
import { formatPrice, formatQuantity, formatQuote } from '../../../../shared/money'

const ROW_HEIGHT = 34

/** A datetime-local field's value for an ISO time, in the trader's own zone. */
function localInput(iso: string | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return ''
  const date = new Date(iso)
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
}

/** The filter bar as a linked or reloaded URL left it. */
function formOf(filter: DecisionFilter) {
  return {
    symbol: filter.symbol ?? '',
    action: filter.actions?.[0] ?? '',
    strategy: filter.strategyId ?? '',
    actor: filter.actor ?? '',
    from: localInput(filter.from),
    to: localInput(filter.to),
    text: filter.text ?? '',
  }
}

/** Filter inputs are kept as typed; nothing is lost when a query fails. */
function FilterBar() {
  const setFilter = useDecisionsStore((state) => state.setFilter)
  const { instances, refresh: loadStrategies } = useStrategiesStore()
  useEffect(() => {
    void loadStrategies()
  }, [loadStrategies])
  const [form, setForm] = useState(() => formOf(queryToFilter(useNavigationStore.getState().query)))
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const filter: DecisionFilter = {}
    if (form.symbol.trim()) filter.symbol = form.symbol.trim()
    if (form.action) filter.actions = [form.action as (typeof DECISION_ACTIONS)[number]]
    if (form.strategy) filter.strategyId = form.strategy
    if (form.actor) filter.actor = form.actor as DecisionActorGroup
    if (form.from) filter.from = new Date(form.from).toISOString()
    if (form.to) filter.to = new Date(form.to).toISOString()
    if (form.text.trim()) filter.text = form.text.trim()
    void setFilter(filter)
  }
  const field = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value }),
  })
  return (
    <form className="filter-bar" onSubmit={submit}>
      <input aria-label="Symbol" placeholder="Symbol" {...field('symbol')} />
      <select aria-label="Action" {...field('action')}>
        <option value="">Any action</option>
        {DECISION_ACTIONS.map((action) => (
          <option key={action} value={action}>
            {DECISION_ACTION_LABELS[action]}
          </option>
        ))}
      </select>
      <select aria-label="Strategy" {...field('strategy')}>
        <option value="">Any strategy</option>
        {instances.map((instance) => (
          <option key={instance.id} value={instance.id}>
            {instance.name}
          </option>
        ))}
      </select>
      <select aria-label="Actor" {...field('actor')}>
        <option value="">Anyone</option>
        {DECISION_ACTOR_GROUPS.map((group) => (
          <option key={group} value={group}>
            {group}
          </option>
        ))}
      </select>
      <input aria-label="From" type="datetime-local" {...field('from')} />
      <input aria-label="To" type="datetime-local" {...field('to')} />
      <input aria-label="Text" placeholder="Text in the rationale" {...field('text')} />
      <button type="submit" className="button primary">
        Apply
      </button>
    </form>
  )
}

function DecisionRow({ row, selected, onSelect }: { row: Decision; selected: boolean; onSelect(): void }) {
  return (
    <button type="button" className={selected ? 'history-row selected' : 'history-row'} onClick={onSelect}>
      <span className="mono">{new Date(row.occurredAt).toLocaleString()}</span>
      <span>{row.symbol ?? '—'}</span>
      <span className="action">{DECISION_ACTION_LABELS[row.action]}</span>
      <span className="muted">{actorGroupOf(row)}</span>
      <span className="mono">{row.confidence === null ? '' : `${Math.round(row.confidence * 100)}%`}</span>
      <span className="rationale" title={row.rationale}>
        {row.rationale}
      </span>
    </button>
  )
}

function isRiskDecision(value: unknown): value is RiskDecision {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as RiskDecision).reasons) &&
    typeof (value as RiskDecision).route === 'string'
  )
}

function DecisionLinks() {
  const context = useDecisionsStore((state) => state.context)
  if (!context) return null
  const { idea, order, candles, precision } = context
  const price = (value: string) => formatPrice(value, precision)
  return (
    <>
      {idea && (
        <>
          <h3 className="detail-heading">Idea</h3>
          <p>
            {idea.direction} {formatQuantity(idea.size, precision)} {idea.symbol} at {price(idea.entryPrice)}, stop{' '}
            {price(idea.stopLoss)}, target {price(idea.takeProfit)}, {Math.round(idea.confidence * 100)}% confidence;
            now {idea.status.replace(/_/g, ' ')}
            {idea.decisionNote ? ` (note: ${idea.decisionNote})` : ''}.
          </p>
        </>
      )}
      {candles && idea && candles.candles.length > 0 && (
        <IdeaChart
          data={candles}
          levels={{ entry: idea.entryPrice, stopLoss: idea.stopLoss, takeProfit: idea.takeProfit }}
          label={`${idea.symbol} candles around the idea, with entry, stop-loss and take-profit`}
        />
      )}
      {order && (
        <>
          <h3 className="detail-heading">Order</h3>
          <p data-testid="decision-order">
            {order.side} {formatQuantity(order.quantity, precision)}, {order.status}
            {order.fills
              .map(
                (fill) =>
                  `; filled ${formatQuantity(fill.quantity, precision)} at ${price(fill.price)} (fee ${formatQuote(fill.fee, idea?.symbol ?? '')}) ${new Date(fill.filledAt).toLocaleString()}`,
              )
              .join('')}
          </p>
        </>
      )}
    </>
  )
}

type InstanceNames = Map<string, { name: string; archived: boolean }>

/** Every instance the profile ever had, deleted ones too, by id: the history names them all. */
function useInstanceNames(): InstanceNames {
  const [names, setNames] = useState<InstanceNames>(new Map())
  const instances = useStrategiesStore((state) => state.instances)
  useEffect(() => {
    api
      .strategiesNames()
      .then((rows) => setNames(new Map(rows.map((row) => [row.id, row]))))
      .catch(() => setNames(new Map()))
  }, [instances])
  return names
}

/** A person by their profile's name, a strategy by its instance's name: never an id. */
function whoActed(
  row: Decision,
  profiles: { id: string; displayName: string }[],
  names: InstanceNames,
): { who: string; strategy: string | null } {
  const group = actorGroupOf(row)
  const personId = row.actor.startsWith('human:') ? row.actor.slice('human:'.length) : null
  const person = personId ? profiles.find((profile) => profile.id === personId) : undefined
  const instance = row.strategyId ? names.get(row.strategyId) : undefined
  return {
    who: person ? `${group} (${person.displayName})` : personId ? `${group} (a profile since deleted)` : group,
    strategy: instance ? `${instance.name}${instance.archived ? ' (deleted)' : ''}` : null,
  }
}

function DecisionDetail({ row, names }: { row: Decision; names: InstanceNames }) {
  const profiles = useProfilesStore((state) => state.profiles)
  const { who, strategy } = whoActed(row, profiles, names)
  const facts: [string, string | null][] = [
    ['When', new Date(row.occurredAt).toLocaleString()],
    ['Action', DECISION_ACTION_LABELS[row.action]],
    ['Who', who],
    ['Symbol', row.symbol],
    ['Strategy', strategy],
  ]
  return (
    <div className="panel" data-testid="decision-detail">
      <dl className="facts">
        {facts
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <div key={label} className="fact">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {row.rationale && <p className="rationale">{row.rationale}</p>}
      <DecisionLinks />
      {isRiskDecision(row.riskCheck) ? (
        <>
          <h3 className="detail-heading">Risk check: {row.riskCheck.route.replace(/_/g, ' ')}</h3>
          <ul className="reasons">
            {row.riskCheck.reasons.map((reason) => (
              <li key={reason.code}>{reason.message}</li>
            ))}
          </ul>
        </>
      ) : (
        row.riskCheck !== null && <pre className="json">{JSON.stringify(row.riskCheck, null, 2)}</pre>
      )}
    </div>
  )
}

export function DecisionHistory() {
  const { rows, nextCursor, loading, error, selected, select, setFilter, loadMore, exportCsv, exportMessage } =
    useDecisionsStore()
  const scroller = useRef<HTMLDivElement>(null)
  const names = useInstanceNames()
  // TanStack Virtual renders only the visible rows, so a million-row history scrolls like a short one.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  })
  const items = virtualizer.getVirtualItems()
  const lastIndex = items.at(-1)?.index ?? 0

  useEffect(() => {
    void setFilter(queryToFilter(useNavigationStore.getState().query))
  }, [setFilter])
  useEffect(() => {
    if (nextCursor && lastIndex >= rows.length - 40) void loadMore()
  }, [lastIndex, rows.length, nextCursor, loadMore])

  return (
    <section className="page wide">
      <header className="page-header">
        <h1>Decision History</h1>
        <button type="button" className="button" onClick={() => void exportCsv()}>
          Export CSV
        </button>
      </header>
      <FilterBar />
      {exportMessage && (
        <div className="panel muted-panel" role="status" data-testid="export-message">
          {exportMessage}
        </div>
      )}
      {error && <ErrorPanel message={error} />}
      <div className="history-layout">
        <div className="panel history-table">
          <div className="history-row header">
            <span>Time</span>
            <span>Symbol</span>
            <span>Action</span>
            <span>Actor</span>
            <span>Conf.</span>
            <span>Rationale</span>
          </div>
          {rows.length === 0 && !loading ? (
            <p className="muted" data-testid="history-empty">
              No decisions match.
            </p>
          ) : (
            <div ref={scroller} className="history-scroll" data-testid="history-rows">
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {items.map((item) => {
                  const row = rows[item.index] as Decision
                  return (
                    <div
                      key={row.id}
                      className="history-item"
                      style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                    >
                      <DecisionRow row={row} selected={selected?.id === row.id} onSelect={() => select(row)} />
                    </div>
                  )
                })}
              </div>
            </div>
          )}
          <p className="muted table-foot">
            {rows.length.toLocaleString('en')} shown{nextCursor ? ', more load as you scroll' : ''}
            {loading ? ' · loading…' : ''}
          </p>
        </div>
        {selected ? (
          <DecisionDetail row={selected} names={names} />
        ) : (
          <div className="panel muted-panel">Select a row to see its details.</div>
        )}
      </div>
    </section>
  )
}
