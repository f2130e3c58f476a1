/** Events travel on their own IPC names so they can never be mistaken for calls. */
export const EVENT_PREFIX = 'event:'
