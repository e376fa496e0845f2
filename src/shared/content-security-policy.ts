// The one Content-Security-Policy of the renderer, whichever shell serves it.
// [Note: one CSP] The Electron main process sends it as a response header, the loopback
// server sends it on every response, and src/renderer/index.html carries the same text in
// a <meta> tag (tests/integration/server-loopback.test.ts checks they are equal). It holds
// no directive a <meta> tag ignores (frame-ancestors): framing is refused by a header.
//
// - style-src 'unsafe-inline': Vue's dev server and wavesurfer.js inject <style> elements.
// - media: is the Electron protocol for media bytes (src/main/media-protocol.ts); in the
//   browser the same bytes come from /media/<id>, which 'self' covers.
// - blob:/data: for waveform and spectrogram canvases exported as images.

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: media:",
  "media-src 'self' blob: media:",
  "connect-src 'self' media:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
