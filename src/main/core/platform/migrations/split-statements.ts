/**
 * Splits a migration script into statements, so a failure can name
 * "statement n of m". Understands quotes, comments, Postgres dollar quotes and
 * SQLite trigger bodies (CREATE TRIGGER … BEGIN …; …; END).
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = []
  let start = 0
  let i = 0
  let triggerDepth = 0
  // The first words of the current statement tell a trigger body from a transaction keyword.
  let currentWords: string[] = []
  const length = sql.length

  const onWord = (word: string) => {
    const upper = word.toUpperCase()
    if (currentWords.length < 4) currentWords.push(upper)
    const isTrigger = /^CREATE (TEMP |TEMPORARY )?TRIGGER\b/.test(currentWords.join(' '))
    if (!isTrigger) return
    if (upper === 'BEGIN' || (upper === 'CASE' && triggerDepth > 0)) triggerDepth++
    else if (upper === 'END' && triggerDepth > 0) triggerDepth--
  }

  while (i < length) {
    const char = sql[i] as string
    const next = sql[i + 1]
    if (char === '-' && next === '-') {
      const end = sql.indexOf('\n', i)
      i = end === -1 ? length : end + 1
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2)
      i = end === -1 ? length : end + 2
    } else if (char === "'" || char === '"' || char === '`') {
      i++
      while (i < length) {
        if (sql[i] === char) {
          if (sql[i + 1] === char) i += 2
          else break
        } else i++
      }
      i++
    } else if (char === '$' && /^\$[A-Za-z_0-9]*\$/.test(sql.slice(i, i + 64)) && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? ' ')) {
      const tag = /^\$[A-Za-z_0-9]*\$/.exec(sql.slice(i, i + 64))?.[0] as string
      const end = sql.indexOf(tag, i + tag.length)
      i = end === -1 ? length : end + tag.length
    } else if (/[A-Za-z_]/.test(char)) {
      let j = i + 1
      while (j < length && /[A-Za-z0-9_]/.test(sql[j] as string)) j++
      onWord(sql.slice(i, j))
      i = j
    } else if (char === ';' && triggerDepth === 0) {
      const text = sql.slice(start, i).trim()
      if (hasCode(text)) statements.push(text)
      start = i + 1
      currentWords = []
      i++
    } else {
      i++
    }
  }
  const tail = sql.slice(start).trim()
  if (hasCode(tail)) statements.push(tail)
  return statements
}

/** True when the text holds more than comments and whitespace. */
function hasCode(text: string): boolean {
  return text.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '').trim().length > 0
}

/** The first keyword of a statement, upper-cased, skipping leading comments. */
export function leadingKeyword(statement: string): string {
  const stripped = statement.replace(/^(\s|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/, '')
  return (/^[A-Za-z]+/.exec(stripped)?.[0] ?? '').toUpperCase()
}
