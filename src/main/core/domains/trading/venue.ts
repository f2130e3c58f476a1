/** Where an instance trades: a broker (paper or an exchange) and its environment. */
export interface Venue {
  broker: string
  environment: 'live' | 'testnet' | 'paper'
}

export const PAPER_VENUE: Venue = { broker: 'paper', environment: 'paper' }
