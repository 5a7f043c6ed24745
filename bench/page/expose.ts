/** Puts a page script's API on `window.__<name>`, where bench/run.ts waits for it and calls it. */
export function expose(name: string, api: object): void {
  ;(window as unknown as Record<string, unknown>)[`__${name}`] = api
}
