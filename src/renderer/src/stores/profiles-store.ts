import { create } from 'zustand'
import type { ProfileDeletePreview, ProfileView } from '../../../shared/domain'
import { ApiError, errorMessage } from '../../../shared/errors'
import { api, showProfile } from '../bridge/client'

interface ProfilesState {
  current: string | null
  profiles: ProfileView[]
  error: string | null
  load(): Promise<void>
  /** Creates a profile and shows it in this window. */
  create(displayName: string): Promise<void>
  rename(id: string, displayName: string): Promise<void>
  previewDelete(id: string): Promise<ProfileDeletePreview>
  /** Deletes a profile; a window showing it moves to the desk's first profile. */
  remove(id: string, confirmName: string): Promise<void>
  show(id: string): void
}

export const useProfilesStore = create<ProfilesState>((set, get) => ({
  current: null,
  profiles: [],
  error: null,
  async load() {
    try {
      const { current, profiles } = await api.profilesList()
      set({ current, profiles, error: null })
    } catch (error) {
      // The profile this window remembered is gone (a restore, another data folder): show the first one.
      if (error instanceof ApiError && error.code === 'not_found') return showProfile(null)
      set({ error: errorMessage(error) })
    }
  },
  async create(displayName) {
    const created = await api.profilesCreate({ displayName })
    showProfile(created.id)
  },
  async rename(id, displayName) {
    await api.profilesRename({ id, displayName })
    await get().load()
  },
  previewDelete(id) {
    return api.profilesDeletePreview({ id })
  },
  async remove(id, confirmName) {
    await api.profilesDelete({ id, confirmName })
    if (id === get().current) showProfile(null)
    else await get().load()
  },
  show(id) {
    if (id !== get().current) showProfile(id)
  },
}))
