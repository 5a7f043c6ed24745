/**
 * Compact, highlighted data for the live view, in JavaScript object notation (keys unquoted where
 * they are identifiers; values exactly as JSON): small objects and lists stay on one line.
 */

const WIDTH = 64

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function keyText(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Length of `value` written on one line. */
function width(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + width(v) + 2, 2)
  if (isPlainObject(value)) {
    return Object.entries(value).reduce((n, [k, v]) => n + keyText(k).length + 2 + width(v) + 2, 4)
  }
  return (JSON.stringify(value) ?? 'undefined').length
}

function leaf(value: unknown): string {
  if (typeof value === 'string') return `<span class="j-s">${escapeHtml(JSON.stringify(value))}</span>`
  if (typeof value === 'number') return `<span class="j-n">${String(value)}</span>`
  if (typeof value === 'boolean' || value === null) return `<span class="j-b">${String(value)}</span>`
  return `<span class="j-u">${escapeHtml(String(value))}</span>`
}

function render(value: unknown, indent: string, room: number): string {
  if (!Array.isArray(value) && !isPlainObject(value)) return leaf(value)
  const entries: Array<[string | undefined, unknown]> = Array.isArray(value)
    ? value.map((v) => [undefined, v])
    : Object.entries(value)
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}']
  if (entries.length === 0) return open + close
  const inner = indent + '  '
  const flat = width(value) <= room
  const parts = entries.map(([key, v]) => {
    const label = key === undefined ? '' : `<span class="j-k">${escapeHtml(keyText(key))}</span>: `
    const used = key === undefined ? 0 : keyText(key).length + 2
    return label + render(v, inner, flat ? Number.POSITIVE_INFINITY : WIDTH - inner.length - used)
  })
  if (flat) return Array.isArray(value) ? `[${parts.join(', ')}]` : `{ ${parts.join(', ')} }`
  return `${open}\n${parts.map((p) => inner + p).join(',\n')}\n${indent}${close}`
}

/** `value` as HTML for a <pre>: keys, strings, numbers and literals wrapped in spans for colour. */
export function jsonHtml(value: unknown): string {
  return render(value, '', WIDTH)
}
