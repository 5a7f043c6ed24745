/**
 * Serves the bench pages on the dev kit's server, with COOP/COEP (a cross-origin-isolated page gets a 5 µs
 * performance.now() instead of 100 µs): `pageFor(name)` is a fresh empty page running /<name>.js, and
 * /tiktok-pixel.js is dist/web/tiktok-pixel.js. Every script response ends with a distinct comment, which defeats
 * V8's compilation cache between pages.
 */
import { readFileSync } from 'node:fs'
import { startServer, TYPES, type StaticServer } from '../devkit/server'
import { DESTINATION_SCRIPT } from '../devkit/paths'
import { PAGE_SCRIPTS, scriptPath, type PageScript } from './build'

export interface BenchServer {
  server: StaticServer
  /** A new page (its own URL) that runs the page script `name`. */
  pageFor(name: string): string
}

export async function serve(): Promise<BenchServer> {
  const server = await startServer({
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
  })
  let served = 0
  const script = (file: string) => () => ({ body: `${readFileSync(file, 'utf8')}\n//# ${++served}\n`, type: TYPES.js })
  server.route('/tiktok-pixel.js', script(DESTINATION_SCRIPT))
  for (const name of Object.keys(PAGE_SCRIPTS)) server.route(`/${name}.js`, script(scriptPath(name as PageScript)))
  const pageFor = (name: string): string =>
    server.addPage(
      `<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head>` +
        `<body><script src="/${encodeURIComponent(name)}.js"></script></body></html>`
    )
  return { server, pageFor }
}
