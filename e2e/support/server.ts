/**
 * A tiny static HTTP server for the browser tests (node:http only), bound to 127.0.0.1 on a free port.
 *
 *   /dist/...        the repository's dist/ (the built destination: /dist/web/tiktok-pixel.js)
 *   /build/...       e2e/.build/ (the analytics-next bundle: /build/analytics-next.js)
 *   /support/...     e2e/support/ (e.g. /support/tiktok-pixel-emulator.js)
 *   /metadata.json   the repository's metadata.json
 *   /shop.html?config=<base64url JSON>   a shop page rendered from a ShopPageConfig in the URL
 *   /pages/<n>.html  pages registered by a test with addPage(html)
 *   anything mounted with mount(prefix, path)
 *
 * The same server is reachable as http://127.0.0.1:<port> (a secure context) and, through
 * Chromium's host resolver rules, as http://shop.test:<port> (NOT a secure context).
 * Every request is logged so tests can assert what the page fetched.
 */
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { INSECURE_HOST } from './browser'
import { BUILD_DIR, DIST_DIR, METADATA_JSON, SUPPORT_DIR } from './paths'
import { renderShopPage, type ShopPageConfig } from './shop-page'

export interface ServedRequest {
  method: string
  /** Host header as sent by the browser, e.g. `127.0.0.1:40123` or `shop.test:40123`. */
  host: string
  /** Path and query. */
  url: string
  status: number
}

export interface StaticServer {
  port: number
  /** `http://127.0.0.1:<port>`: a secure context. */
  origin: string
  /** `http://shop.test:<port>`: the same server, but an insecure context. */
  insecureOrigin: string
  originFor(insecure: boolean): string
  /** Serves `html` at a fresh path and returns that path (`/pages/<n>.html`). */
  addPage(html: string): string
  /** Serves a file or directory under `urlPrefix` (e.g. `/fake` -> `/tmp/fake-dest`). */
  mount(urlPrefix: string, target: string): void
  /** Every request served so far, in order. */
  readonly requests: ServedRequest[]
  close(): Promise<void>
}

const MIME: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8'
}

/** Resolves `rest` inside `root`, refusing anything that escapes it. */
function inside(root: string, rest: string): string | undefined {
  const resolved = path.resolve(root, '.' + path.posix.normalize('/' + rest))
  return resolved === root || resolved.startsWith(root + path.sep) ? resolved : undefined
}

export function decodeShopConfig(param: string): ShopPageConfig {
  return JSON.parse(Buffer.from(param, 'base64url').toString('utf8')) as ShopPageConfig
}

export function encodeShopConfig(config: ShopPageConfig): string {
  return Buffer.from(JSON.stringify(config), 'utf8').toString('base64url')
}

export async function startServer(): Promise<StaticServer> {
  const mounts: Array<{ prefix: string; target: string }> = [
    { prefix: '/dist', target: DIST_DIR },
    { prefix: '/build', target: BUILD_DIR },
    { prefix: '/support', target: SUPPORT_DIR },
    { prefix: '/metadata.json', target: METADATA_JSON }
  ]
  const pages = new Map<string, string>()
  const requests: ServedRequest[] = []
  let pageCounter = 0

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local')
    const send = (status: number, body: string | Buffer, type: string): void => {
      requests.push({
        method: req.method ?? 'GET',
        host: req.headers.host ?? '',
        url: url.pathname + url.search,
        status
      })
      res.writeHead(status, {
        'content-type': type,
        'cache-control': 'no-store',
        'content-length': Buffer.byteLength(body)
      })
      res.end(req.method === 'HEAD' ? undefined : body)
    }
    const notFound = (): void => send(404, `not found: ${url.pathname}\n`, MIME['.txt'])

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n', MIME['.txt'])

    let pathname: string
    try {
      pathname = decodeURIComponent(url.pathname)
    } catch {
      return send(400, 'bad path\n', MIME['.txt'])
    }

    if (pathname === '/shop.html') {
      const param = url.searchParams.get('config')
      if (!param) return send(400, 'missing ?config=<base64url JSON>\n', MIME['.txt'])
      let html: string
      try {
        html = renderShopPage(decodeShopConfig(param))
      } catch (err) {
        return send(400, `bad config: ${String(err)}\n`, MIME['.txt'])
      }
      return send(200, html, MIME['.html'])
    }

    const page = pages.get(pathname)
    if (page !== undefined) return send(200, page, MIME['.html'])

    if (pathname === '/favicon.ico') return send(204, '', MIME['.txt'])

    // Longest prefix wins, so a test can mount over part of a default root.
    const mount = [...mounts]
      .sort((a, b) => b.prefix.length - a.prefix.length)
      .find((m) => pathname === m.prefix || pathname.startsWith(m.prefix + '/'))
    if (!mount) return notFound()

    const file = pathname === mount.prefix ? mount.target : inside(mount.target, pathname.slice(mount.prefix.length))
    if (!file) return notFound()
    let body: Buffer
    try {
      if (!fs.statSync(file).isFile()) return notFound()
      body = fs.readFileSync(file)
    } catch {
      return notFound()
    }
    return send(200, body, MIME[path.extname(file)] ?? 'application/octet-stream')
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  const insecureOrigin = `http://${INSECURE_HOST}:${port}`

  return {
    port,
    origin,
    insecureOrigin,
    originFor: (insecure) => (insecure ? insecureOrigin : origin),
    addPage(html) {
      pageCounter += 1
      const pagePath = `/pages/${pageCounter}.html`
      pages.set(pagePath, html)
      return pagePath
    },
    mount(urlPrefix, target) {
      const prefix = '/' + urlPrefix.replace(/^\/+|\/+$/g, '')
      mounts.push({ prefix, target: path.resolve(target) })
    },
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      })
  }
}
