import { exportDownloadPath } from '../../../shared/exports'

/** Browser mode hands a finished export to the browser, which saves it where the user chooses. */
export function downloadExport(path: string): void {
  const link = document.createElement('a')
  link.href = exportDownloadPath(path)
  link.download = path.split(/[\\/]/).at(-1) ?? ''
  link.click()
}
