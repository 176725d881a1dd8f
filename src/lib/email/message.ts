/**
 * A small RFC 5322 / MIME writer for one plain-text message: CRLF line ends,
 * non-ASCII header text as RFC 2047 encoded words (UTF-8, base64), the body
 * as UTF-8 in quoted-printable (RFC 2045 §6.7), so every line is 7-bit and at
 * most 76 characters whatever the text says.
 */

export interface OutgoingEmail {
  /** `<…@…>`, stable per idempotency key, so a receiver can drop a duplicate. */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  date: Date;
  /** Extra headers, e.g. X-FinEdge-Idempotency-Key. */
  headers?: Record<string, string>;
}

const CRLF = "\r\n";
const encoder = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Header text as is when printable ASCII, else RFC 2047 encoded words of ≤ 45 bytes each (whole characters). */
export function encodeHeaderText(text: string): string {
  const clean = text.replace(/[\r\n]+/g, " ");
  if (/^[\x20-\x7e]*$/.test(clean)) return clean;
  const words: string[] = [];
  let chunk = "";
  for (const ch of clean) {
    if (encoder.encode(chunk + ch).length > 45) {
      words.push(chunk);
      chunk = "";
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${base64(encoder.encode(w))}?=`).join(`${CRLF} `);
}

/** Quoted-printable of UTF-8 text with CRLF line breaks and soft breaks at 76 characters. */
export function quotedPrintable(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  return lines
    .map((line) => {
      const bytes = encoder.encode(line);
      let out = "";
      let width = 0;
      bytes.forEach((b, i) => {
        const last = i === bytes.length - 1;
        const plain = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
        const piece = plain ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, "0")}`;
        if (width + piece.length > 75) {
          out += `=${CRLF}`;
          width = 0;
        }
        out += piece;
        width += piece.length;
      });
      return out;
    })
    .join(CRLF);
}

/** An address header value: `Name <addr>` keeps the name (encoded when needed). */
function address(value: string): string {
  const m = /^\s*(.*?)\s*<([^<>\s]+)>\s*$/.exec(value);
  if (!m) return value.trim();
  return m[1] ? `${encodeHeaderText(m[1])} <${m[2]}>` : `<${m[2]}>`;
}

/** The whole message as RFC 5322 text. */
export function writeMessage(m: OutgoingEmail): string {
  const headers: [string, string][] = [
    ["Date", m.date.toUTCString().replace("GMT", "+0000")],
    ["From", address(m.from)],
    ["To", address(m.to)],
    ["Subject", encodeHeaderText(m.subject)],
    ["Message-ID", m.messageId],
    ["MIME-Version", "1.0"],
    ["Content-Type", "text/plain; charset=utf-8"],
    ["Content-Transfer-Encoding", "quoted-printable"],
    ...Object.entries(m.headers ?? {}).map(([k, v]) => [k, encodeHeaderText(v)] as [string, string]),
  ];
  return `${headers.map(([k, v]) => `${k}: ${v}`).join(CRLF)}${CRLF}${CRLF}${quotedPrintable(m.text)}${CRLF}`;
}
