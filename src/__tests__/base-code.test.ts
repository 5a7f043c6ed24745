/** Telling TikTok's stub from the instance its script installs, by how the stub is built. */
import { installBaseCode, instanceIsStub } from '../base-code'
import type { TikTokPixel } from '../types'
import { PIXEL_CODE, queued, resetPage } from './support/page'

beforeEach(resetPage)

it("recognises the base code's stub instance, and leaves the stub as it was", () => {
  const ttq = installBaseCode()
  ttq.load(PIXEL_CODE)
  const setAndDefer = (ttq as TikTokPixel & { setAndDefer?: unknown }).setAndDefer
  expect(instanceIsStub(ttq, PIXEL_CODE)).toBe(true)
  expect((ttq as TikTokPixel & { setAndDefer?: unknown }).setAndDefer).toBe(setAndDefer)
  // The probe queued nothing, and the queue's stubs still queue.
  expect(queued()).toEqual([])
  ttq.instance(PIXEL_CODE).page()
  expect(queued()).toEqual([['page']])
})

it('does not take the instance TikTok’s script installs for a stub, even with setAndDefer left on ttq', () => {
  const ttq = installBaseCode()
  ttq.load(PIXEL_CODE)
  const loaded = { page: jest.fn(), track: jest.fn(), identify: jest.fn() }
  ttq.instance = (() => loaded) as unknown as TikTokPixel['instance']
  expect(instanceIsStub(ttq, PIXEL_CODE)).toBe(false)
})

it('says no stub when there is no setAndDefer or the instance throws', () => {
  const bare = { instance: () => [] } as unknown as TikTokPixel
  expect(instanceIsStub(bare, PIXEL_CODE)).toBe(false)
  const ttq = installBaseCode()
  ttq.instance = (() => {
    throw new Error('broken')
  }) as unknown as TikTokPixel['instance']
  expect(instanceIsStub(ttq, PIXEL_CODE)).toBe(false)
})
