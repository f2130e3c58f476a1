import type { DoctorSources } from '../platform/health/doctor'
import type { CoreServices } from './services'

/** What the health checks read from the running services. */
export function doctorSources(services: Pick<CoreServices, 'sync' | 'strategies'>): DoctorSources {
  return {
    syncStatus: () => services.sync.status(),
    isStale: (instance) => services.strategies.isStale(instance),
  }
}
