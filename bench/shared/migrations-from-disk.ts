import { join } from 'node:path'
import { readManifestFromDisk } from '../../src/main/core/platform/migrations/files'

/** The bundle's migrations manifest, read from migrations/ for benchmarks that open the whole core under tsx. */
export default readManifestFromDisk(join(__dirname, '..', '..', 'migrations'))
