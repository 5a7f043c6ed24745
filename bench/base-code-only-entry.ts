/**
 * For comparison only: the floor of the visit benchmark, a page that runs TikTok's base code and nothing else (as a
 * site pasting TikTok's snippet would), behind the same plugin interface as the destinations. Every candidate
 * requests TikTok's script the same way, so what a candidate costs over this floor is what its runtime and
 * destination cost, without the harness's own work.
 */
import type { Plugin } from '@segment/analytics-next'
import { installBaseCode } from '../src/base-code'
import { LIBRARY_NAME } from '../devkit/constants'

;(window as unknown as Record<string, unknown>)[`${LIBRARY_NAME}-base-code-only`] = (settings: {
  pixelCode: string
}): Plugin[] => [
  {
    name: 'TikTok base code only',
    type: 'destination',
    version: '0.1.0',
    isLoaded: () => true,
    load: async () => {
      installBaseCode().load(settings.pixelCode)
    }
  }
]
