import {
  DECISION_ACTIONS,
  DECISION_ACTOR_GROUPS,
  type DecisionAction,
  type DecisionActorGroup,
  type DecisionFilter,
} from '../../../shared/domain'

const TEXT_KEYS = ['symbol', 'strategyId', 'from', 'to', 'text'] as const

/** Decision History's filter as URL query values, so a filtered view can be reloaded or linked. */
export function filterToQuery(filter: DecisionFilter): Record<string, string> {
  const query: Record<string, string> = {}
  for (const key of TEXT_KEYS) if (filter[key]) query[key] = filter[key] as string
  if (filter.actions?.[0]) query.action = filter.actions[0]
  if (filter.actor) query.actor = filter.actor
  return query
}

/** The reverse; anything the query cannot mean (an unknown action, say) is left out rather than refused. */
export function queryToFilter(query: Record<string, string>): DecisionFilter {
  const filter: DecisionFilter = {}
  for (const key of TEXT_KEYS) if (query[key]) filter[key] = query[key]
  if (query.action && (DECISION_ACTIONS as readonly string[]).includes(query.action))
    filter.actions = [query.action as DecisionAction]
  if (query.actor && (DECISION_ACTOR_GROUPS as readonly string[]).includes(query.actor))
    filter.actor = query.actor as DecisionActorGroup
  return filter
}
