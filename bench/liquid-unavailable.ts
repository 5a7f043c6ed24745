/**
 * Stands in for liquidjs in the bench's stock-runtime bundle and page scripts. mapping-kit sets up a Liquid engine when it
 * loads, for the @liquid directive that only Segment's servers evaluate; here it only refuses.
 */
const unavailable = (): never => {
  throw new Error('@liquid mappings are not supported in the browser')
}

export class Liquid {
  registerTag(): void {}
  registerFilter(): void {}
  fullVariablesSync = unavailable
  parseAndRenderSync = unavailable
}
