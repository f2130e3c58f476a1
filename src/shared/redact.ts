/** Any scheme://user:password@ in free text, as driver errors and URLs carry it. */
const CREDENTIALS_IN_URL = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi

/** Replaces the password in every URL in `text` with ***, so it can be logged, audited or shown. */
export function redactCredentials(text: string): string {
  return text.replace(CREDENTIALS_IN_URL, '$1:***@')
}
