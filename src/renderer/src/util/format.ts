// Small display helpers shared by the panels.

/** 83.456 -> "1:23.46"; hours appear only when needed. */
export function formatTime(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = (s % 60).toFixed(2).padStart(5, '0');
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, '0')}:${rest}` : `${sign}${m}:${rest}`;
}

/** Score with a sign and one decimal: +2.4, −0.8, 0.0. */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined || !Number.isFinite(score)) return '–';
  const text = score.toFixed(1);
  if (text === '0.0' || text === '-0.0') return '0.0';
  return score > 0 ? `+${text}` : text;
}

/** A colour for a MOSI score: red (-3) through grey (0) to green (+3). */
export function scoreColor(score: number | null | undefined, alpha = 1): string {
  if (score === null || score === undefined || !Number.isFinite(score)) return `rgba(120, 128, 140, ${alpha * 0.5})`;
  const x = Math.max(-3, Math.min(3, score)) / 3;
  const grey = [150, 156, 166];
  const target = x < 0 ? [230, 80, 80] : [70, 190, 120];
  const k = Math.abs(x);
  const [r, g, b] = grey.map((c, i) => Math.round(c + (target[i] - c) * k));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Rounds to 0.1 and clamps to the MOSI range [-3, 3]. */
export function clampScore(score: number): number {
  return Math.max(-3, Math.min(3, Math.round(score * 10) / 10));
}

/** "12.3 MB", or "4.5 kB" under a megabyte (decimal units, as download sizes are given). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e3).toFixed(1)} kB`;
}
