/**
 * `value.toFixed(digits)`, except that a tiny negative which rounds to zero is written as
 * plain zero ("0.0000", not "-0.0000"): files we write must not flip sign on noise.
 */
export function fixedDecimals(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}
