export { compileMapping } from './mapping'
export { compileSubscription } from './subscription'
export { Unsupported } from './unsupported'
