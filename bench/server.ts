/**
 * Serves the bench pages from 127.0.0.1 with COOP/COEP (a cross-origin-isolated page gets a 5 µs
 * performance.now() instead of 100 µs): `/?page=<name>&n=<nonce>` is an empty page running /<name>.js, and
 * /tiktok-pixel.js is dist/web/tiktok-pixel.js. A distinct nonce per page defeats HTTP and V8 caches.
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WEB_BUNDLE } from '../scripts/build'
import { PAGE_SCRIPTS, scriptPath, type PageScript } from './build'

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cache-Control': 'no-store'
}

const fileFor = (pathname: string): string | undefined => {
  if (pathname === '/tiktok-pixel.js') return WEB_BUNDLE
  const name = pathname.slice(1).replace(/\.js$/, '')
  return name in PAGE_SCRIPTS && pathname.endsWith('.js') ? scriptPath(name as PageScript) : undefined
}

export function serve(): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const send = (body: string | Buffer, type = 'text/javascript; charset=utf-8'): void => {
      response.writeHead(200, { ...ISOLATION_HEADERS, 'Content-Type': type })
      response.end(body)
    }
    const nonce = encodeURIComponent(url.searchParams.get('n') ?? '0')
    const file = fileFor(url.pathname)
    if (url.pathname === '/') {
      const page = encodeURIComponent(url.searchParams.get('page') ?? 'bench')
      send(
        `<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head>` +
          `<body><script src="/${page}.js?n=${nonce}"></script></body></html>`,
        'text/html; charset=utf-8'
      )
    } else if (file) {
      send(`${readFileSync(file, 'utf8')}\n//# ${nonce}\n`)
    } else {
      response.writeHead(404, ISOLATION_HEADERS)
      response.end()
    }
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({ server, origin: `http://127.0.0.1:${port}` })
    })
  })
}
