/** Number formatting for the benchmark's tables. */

/** A duration with three significant digits or so. */
export const num = (value: number | null | undefined): string =>
  value === null || value === undefined || Number.isNaN(value)
    ? '-'
    : Math.abs(value) >= 100
      ? value.toFixed(0)
      : Math.abs(value) >= 10
        ? value.toFixed(1)
        : value.toFixed(2)
export const ratio = (value: number): string => `${value.toFixed(3)}x`
export const bytes = (value: number): string => value.toLocaleString('en-US')
export const row = (cells: string[], widths: number[]): string =>
  cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')

/** What each part of the benchmark hands back to bench/run.ts. */
export interface Section {
  lines: string[]
  failures: string[]
  results: unknown
}
