export { compileMapping } from './mapping'
export { compileSubscription } from './subscription'
