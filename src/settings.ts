import type { GlobalSetting } from '@segment/actions-core'

export const settings: Record<string, GlobalSetting> = {
  pixelCode: {
    label: 'Pixel Code',
    description:
      'Your TikTok pixel ID, from TikTok Events Manager: 20 letters and digits such as CD9079RC77U0N3GBV16Y. Spaces around it are ignored; any other character makes the destination refuse to load the pixel.',
    type: 'string',
    required: true
  },
  ldu: {
    label: 'Limited Data Use',
    description:
      "Turns on TikTok's Limited Data Use mode, which restricts how TikTok processes this pixel's data, to help with U.S. state laws on opting out of the sale or sharing of personal data. It applies to every event; consent (see Consent Category) decides whether events are sent at all. Where the site's own TikTok base code loaded the pixel, it is added to that pixel's load options if TikTok's script has not run yet; once the script has run it cannot be, and a console warning says so.",
    type: 'boolean',
    default: false
  },
  autoPageView: {
    label: 'Fire TikTok Pixel Pageview event on page load.',
    description:
      'Sends a Pageview when the pixel loads. With the Page View mapping on too, the page load still counts once: the first page call of the page is not sent again.',
    type: 'boolean',
    default: true
  },
  consentCategory: {
    label: 'Consent Category',
    description:
      'The Segment consent category that governs TikTok, e.g. Advertising. When set, the pixel is held from the start and every event analytics.js processes moves it, whether or not a mapping takes the event: one whose context.consent.categoryPreferences says true for it grants consent (TikTok sends what it held), false revokes it (TikTok drops what it held; nothing is sent until a later grant, that event included). Events without consent information keep the current state. The Events API keys follow the same state. Leave empty to send every event without consent checks.',
    type: 'string'
  },
  useExistingPixel: {
    label: '[Deprecated] Use Existing Pixel',
    description:
      'Deprecated; has no effect. A TikTok pixel already on the page is detected and reused without it. Kept so that settings saved with it stay valid.',
    type: 'boolean',
    default: false
  }
}
