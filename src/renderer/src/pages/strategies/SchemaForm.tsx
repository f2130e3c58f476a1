import { parseCondition } from '../../../../shared/rules/expression'
import { parseSessionWindows } from '../../../../shared/rules/session-windows'

interface PropertySchema {
  type?: string
  /** "rule": a condition in the rule language; "session-windows": session windows. Both are checked as typed. */
  format?: string
  enum?: unknown[]
  default?: unknown
  description?: string
  minimum?: number
  maximum?: number
}

export interface ObjectSchema {
  properties?: Record<string, PropertySchema>
}

/** "replaySpeed" → "Replay speed": the label when the schema gives no description. */
function humanise(key: string): string {
  const words = key.replace(/([A-Z])/g, ' $1').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** Form values as the user typed them; numbers are converted on submit, so nothing typed is lost on an error. */
export type FormValues = Record<string, string>

export function defaultValues(schema: ObjectSchema): FormValues {
  return Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([key, property]) => [
      key,
      property.default === undefined ? '' : String(property.default),
    ]),
  )
}

/** Converts typed text to the schema's types; text that is not a number stays text, and the core's validation names it. */
/** `hidden`: settings the form does not show, left to their defaults. */
export function toConfig(
  schema: ObjectSchema,
  values: FormValues,
  hidden: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const config: Record<string, unknown> = {}
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (hidden.has(key)) continue
    const raw = (values[key] ?? '').trim()
    if (raw === '') continue
    const numeric = property.type === 'number' || property.type === 'integer'
    config[key] = numeric && raw !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw
  }
  return config
}

/** What is wrong with a rule or window text as it is typed, with where; null when it reads (or is empty). */
function typedProblem(format: string | undefined, text: string): string | null {
  if (text.trim() === '') return null
  if (format === 'rule') {
    const parsed = parseCondition(text)
    return parsed.ok ? null : `${parsed.message} (at character ${parsed.position + 1})`
  }
  if (format === 'session-windows') {
    const parsed = parseSessionWindows(text)
    return parsed.ok ? null : parsed.message
  }
  return null
}

/** A form rendered from a kind's JSON Schema, with the core's validation messages next to each field. */
export function SchemaForm({
  schema,
  values,
  errors,
  onChange,
  idPrefix,
  hidden = new Set(),
}: {
  schema: ObjectSchema
  values: FormValues
  errors: Record<string, string>
  onChange(values: FormValues): void
  idPrefix: string
  /** Settings that do not apply to what the rest of the form chose. */
  hidden?: ReadonlySet<string>
}) {
  return (
    <div className="schema-form">
      {Object.entries(schema.properties ?? {}).map(([key, property]) => {
        if (hidden.has(key)) return null
        const id = `${idPrefix}-${key}`
        const label = property.description ?? humanise(key)
        const error = errors[key] ?? typedProblem(property.format, values[key] ?? '')
        return (
          <div key={key} className={error ? 'field invalid' : 'field'}>
            <label htmlFor={id}>{label}</label>
            {property.enum ? (
              <select
                id={id}
                value={values[key] ?? ''}
                onChange={(event) => onChange({ ...values, [key]: event.target.value })}
              >
                {property.enum.map((option) => (
                  <option key={String(option)} value={String(option)}>
                    {String(option)}
                  </option>
                ))}
              </select>
            ) : property.format === 'rule' ? (
              <textarea
                id={id}
                className="rule-editor"
                rows={2}
                spellCheck={false}
                value={values[key] ?? ''}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                onChange={(event) => onChange({ ...values, [key]: event.target.value })}
              />
            ) : (
              <input
                id={id}
                inputMode={property.type === 'number' || property.type === 'integer' ? 'decimal' : 'text'}
                value={values[key] ?? ''}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                onChange={(event) => onChange({ ...values, [key]: event.target.value })}
              />
            )}
            {error && (
              <span id={`${id}-error`} className="field-error">
                {error}
              </span>
            )}
          </div>
        )
      })}
    </div>
  )
}
