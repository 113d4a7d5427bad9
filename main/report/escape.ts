/** Text inside HTML and SVG: the five markup characters escaped, control characters dropped. */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Safe as element text and as a quoted attribute value, in HTML and in XML (SVG). */
export function esc(text: string | number): string {
  return String(text)
    .replace(CONTROL, '')
    .replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
