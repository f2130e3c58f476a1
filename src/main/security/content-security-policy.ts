/**
 * The renderer's Content-Security-Policy, the same in the desktop window and in
 * browser mode: scripts, styles and fonts from its own files only, no inline
 * code, no frames, no forms posting anywhere. `sockets` are the WebSocket
 * addresses browser mode's page may also connect to.
 */
export function rendererContentSecurityPolicy(sockets: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...sockets].join(' '),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}
