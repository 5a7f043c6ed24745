/** In-page side of the per-event benchmark (bundled by bench/build.ts into bench/.build/bench.js). */
import { events } from './events'
import { expose } from './expose'

const api = { events }
export type BenchApi = typeof api

expose('bench', api)
