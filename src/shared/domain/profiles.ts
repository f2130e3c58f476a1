/** Profiles: one trader's data on this desk, and what deleting one takes out of view. */

/** A profile: one trader's risk config, strategies, credentials, ideas, decisions and account on this desk. */
export interface ProfileView {
  id: string
  displayName: string
  createdAt: string
}

/** What deleting a profile takes out of view, for the dialog that asks first. */
export interface ProfileDeletePreview {
  profile: ProfileView
  holdings: ProfileHoldings
  /** The desk's only profile cannot be deleted. */
  isLast: boolean
}

/** What a profile holds, as the delete dialog lists it. */
export interface ProfileHoldings {
  strategies: number
  runningStrategies: number
  ideasWaiting: number
  orders: number
  trades: number
  openPositions: number
  decisions: number
  credentials: number
}
