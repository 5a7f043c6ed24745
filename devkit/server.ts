/**
 * The dev kit's one static server, for the browser tests and the playground: directories mounted
 * under URL prefixes (served by sirv, read from disk on every request, never cached) and routes
 * whose body is made on request. Loopback only; every request is logged.
 *
 * The server is reachable as http://127.0.0.1:<port> (a secure context) and, in a Chromium from
 * `launchBrowser()`, as http://shop.test:<port> (NOT a secure context).
 */
import http from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import sirv from 'sirv'
import { INSECURE_HOST } from './browser'

export interface ServedRequest {
  method: string
  /** Host header as sent by the browser, e.g. `127.0.0.1:40123` or `shop.test:40123`. */
  host: string
  /** Path and query. */
  url: string
  status: number
}

/** What a route answers. A `location` makes it a redirect (302). */
export interface RouteResponse {
  body?: string | Buffer
  type?: string
  location?: string
}

export type Route = () => RouteResponse | Promise<RouteResponse>

export interface ServerOptions {
  /** 0 (default) picks a free port. */
  port?: number
  /** Also listen on ::1 (when the machine has IPv6), so that `localhost` works either way. */
  ipv6?: boolean
  /** Added to every response, e.g. cross-origin isolation headers. */
  headers?: Record<string, string>
  /** Added to HTML responses only. */
  htmlHeaders?: Record<string, string>
}

export interface StaticServer {
  port: number
  /** `http://127.0.0.1:<port>`: a secure context. */
  origin: string
  /** `http://shop.test:<port>`: the same server, but an insecure context. */
  insecureOrigin: string
  originFor(insecure: boolean): string
  /** Serves the directory `dir` under `urlPrefix` (e.g. `/dist` -> dist/). Later mounts win. */
  mount(urlPrefix: string, dir: string): void
  /** Answers `urlPath` (exact path, query ignored) with `route`. */
  route(urlPath: string, route: Route): void
  /** Serves `html` at a fresh path and returns that path (`/pages/<n>.html`). */
  addPage(html: string): string
  /** Every request served so far, in order. */
  readonly requests: ServedRequest[]
  close(): Promise<void>
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(
      `Port ${port} is already in use (another playground or app?). Stop it, or pick another port: PORT=${port + 1}`
    )
    this.name = 'PortInUseError'
  }
}

export const TYPES = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  text: 'text/plain; charset=utf-8'
} as const

export async function startServer(options: ServerOptions = {}): Promise<StaticServer> {
  const mounts: Array<{ prefix: string; serve: ReturnType<typeof sirv> }> = []
  const routes = new Map<string, Route>()
  let pages = 0
  const requests: ServedRequest[] = []
  const commonHeaders = { 'cache-control': 'no-store', ...options.headers }

  const handler: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local')
    res.on('finish', () =>
      requests.push({
        method: req.method ?? 'GET',
        host: req.headers.host ?? '',
        url: url.pathname + url.search,
        status: res.statusCode
      })
    )
    const reply = (status: number, response: RouteResponse): void => {
      const body = req.method === 'HEAD' ? undefined : response.body
      res.writeHead(status, {
        ...commonHeaders,
        ...(response.type === TYPES.html ? options.htmlHeaders : undefined),
        ...(response.type ? { 'content-type': response.type } : undefined),
        ...(response.location ? { location: response.location } : undefined),
        'content-length': String(Buffer.byteLength(response.body ?? ''))
      })
      res.end(body)
    }
    const notFound = (): void => reply(404, { body: `not found: ${url.pathname}\n`, type: TYPES.text })

    if (req.method !== 'GET' && req.method !== 'HEAD')
      return reply(405, { body: 'method not allowed\n', type: TYPES.text })

    const route = routes.get(url.pathname)
    if (route) {
      Promise.resolve()
        .then(route)
        .then(
          (response) => reply(response.location ? 302 : 200, response),
          (error: unknown) =>
            reply(500, { body: `could not serve ${url.pathname}: ${String(error)}\n`, type: TYPES.text })
        )
      return
    }
    if (url.pathname === '/favicon.ico') return reply(204, {})

    const mount = mounts.find((m) => url.pathname.startsWith(m.prefix + '/'))
    if (!mount) return notFound()
    req.url = url.pathname.slice(mount.prefix.length) + url.search
    mount.serve(req, res, notFound)
  }

  const servers = [http.createServer(handler)]
  await listen(servers[0]!, options.port ?? 0, '127.0.0.1')
  const { port } = servers[0]!.address() as AddressInfo
  if (options.ipv6) {
    const secondary = http.createServer(handler)
    try {
      await listen(secondary, port, '::1')
      servers.push(secondary)
    } catch (error) {
      if (error instanceof PortInUseError) {
        await closeServer(servers[0]!)
        throw error
      }
      // No IPv6 loopback on this machine: 127.0.0.1 is enough.
    }
  }
  const origin = `http://127.0.0.1:${port}`
  const insecureOrigin = `http://${INSECURE_HOST}:${port}`

  return {
    port,
    origin,
    insecureOrigin,
    originFor: (insecure) => (insecure ? insecureOrigin : origin),
    mount(urlPrefix, dir) {
      const serve = sirv(path.resolve(dir), {
        dev: true,
        dotfiles: false,
        setHeaders: (res, pathname) => {
          for (const [name, value] of Object.entries(commonHeaders)) res.setHeader(name, value)
          // `pathname` is the request's: a directory's index.html is asked for as `.../`.
          if (pathname.endsWith('.html') || pathname.endsWith('/')) {
            for (const [name, value] of Object.entries(options.htmlHeaders ?? {})) res.setHeader(name, value)
          }
        }
      })
      mounts.unshift({ prefix: '/' + urlPrefix.replace(/^\/+|\/+$/g, ''), serve })
    },
    route(urlPath, route) {
      routes.set(urlPath, route)
    },
    addPage(html) {
      const pagePath = `/pages/${++pages}.html`
      routes.set(pagePath, () => ({ body: html, type: TYPES.html }))
      return pagePath
    },
    requests,
    close: async () => {
      await Promise.all(servers.map(closeServer))
    }
  }
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error)
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve()
    server.closeAllConnections()
    server.close(() => resolve())
  })
}
