/**
 * The renderer's Content Security Policy, one definition for both shells: the web server
 * (which must also allow its WebSocket on 127.0.0.1) and the Electron app.
 */
export function contentSecurityPolicy(connectSrc: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `connect-src ${connectSrc}`,
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
