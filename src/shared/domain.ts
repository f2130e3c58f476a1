/**
 * The trading data the core hands to the renderer, shared by both sides of the
 * contract. The core's repositories and services produce exactly these shapes.
 */
export * from './domain/trading'
export * from './domain/strategies'
export * from './domain/profiles'
export * from './domain/exchanges'
export * from './domain/notifications'
export * from './domain/imports'
export * from './domain/backtests'
export * from './domain/operations'
