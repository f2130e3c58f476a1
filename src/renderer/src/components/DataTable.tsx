import type { ReactNode } from 'react'

export interface Column<Row> {
  /** What the header says; a column of buttons gives `hiddenHeader` so screen readers still hear a name. */
  header: ReactNode
  hiddenHeader?: boolean
  cell: (row: Row) => ReactNode
  /** Class of every cell in the column, or per row (a tone that depends on the value). */
  className?: string | ((row: Row) => string)
  title?: (row: Row) => string | undefined
  headerClassName?: string
}

interface DataTableProps<Row> {
  /** The table's accessible name; tests and screen readers find it by this. */
  label: string
  columns: Column<Row>[]
  rows: readonly Row[]
  rowKey: (row: Row) => string
  caption?: ReactNode
}

/** Every table in the app: one header row, one row per item, the same classes and accessible names. */
export function DataTable<Row>({ label, columns, rows, rowKey, caption }: DataTableProps<Row>) {
  return (
    <table className="data-table" aria-label={label}>
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          {columns.map((column, index) => (
            <th key={index} scope="col" className={column.headerClassName}>
              {column.hiddenHeader ? <span className="visually-hidden">{column.header}</span> : column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column, index) => (
              <td
                key={index}
                className={typeof column.className === 'function' ? column.className(row) : column.className}
                title={column.title?.(row)}
              >
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
