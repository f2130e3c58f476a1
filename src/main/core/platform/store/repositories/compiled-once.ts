import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely'

/**
 * Runs a hot statement without rebuilding Kysely's query tree on every call: building and
 * compiling it costs more than SQLite takes to run a one-row write. The SQL is compiled once per
 * `shape` (a caller's name for which optional parts the statement has) and rerun with new
 * parameters. A shape is kept only when its compiled parameters are exactly the ones the caller
 * passed, in that order; one that compiles any other way is simply compiled on every call.
 */
export function compiledOnce<DB>(db: Kysely<DB>) {
  const sqlByShape = new Map<string, string>()
  return async function run<Row>(
    shape: string,
    parameters: readonly unknown[],
    build: () => Compilable<Row>,
  ): Promise<QueryResult<Row>> {
    const text = sqlByShape.get(shape)
    if (text !== undefined) return db.executeQuery<Row>(CompiledQuery.raw(text, [...parameters]))
    const compiled = build().compile()
    if (
      compiled.parameters.length === parameters.length &&
      compiled.parameters.every((value, i) => Object.is(value, parameters[i]))
    )
      sqlByShape.set(shape, compiled.sql)
    return db.executeQuery(compiled)
  }
}
