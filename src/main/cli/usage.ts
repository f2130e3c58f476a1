export const USAGE = `Usage: tradedeck <command> [options]

Commands:
  pg test|migrate|status --pg URL           Check, migrate or show the central PostgreSQL database
  pg restore --user ID [--pg URL]           Rebuild this desk for one user from the central database, then swap it in like a restore
  pg add-desk --pg URL --role R --user ID   Let a desk's role replicate a user (owner only; a new role's password from TRADEDECK_DESK_PASSWORD)
  sync status                               Show replication: state, rows waiting in the outbox, last success and error
  sync run [--pg URL]                       Send the initial copy and the whole outbox now (the app must be closed)
  backtest --kind K --symbol S --timeframe T [--config F] [--seed N] [--candles N] [--from ISO] [--to ISO] [--csv F] [--profile P]
                                            Run a strategy over history: a seeded synthetic market, stored candles or a CSV
  import <path> [--format F] [--profile P] [--dry-run] [--skip-invalid]
                                            Import into a profile: a Freqtrade tradesv3.sqlite (freqtrade), order history JSON
                                            (orders-json), risk_config.csv / strategies.csv (rules-csv), an economic calendar
                                            (calendar-csv) or news (news-csv). A dry run says what is new, duplicate or
                                            invalid; a real run backs up first and writes all or nothing
  data download --exchange E --symbol S --timeframe T --from ISO [--to ISO] [--environment live|testnet]
                                            Download an instrument's candles from an exchange (deribit, binance, binanceusdm,
                                            bybit) into the market data backtests read; a 429 backs off and retries
  exchange certify --exchange E --symbol S [--environment testnet|live] [--trade] [--profile P]
                                            Certify an exchange with the profile's key before going live: clock, balance,
                                            market, order lookup, a post-only buy resting far off and cancelled, and
                                            with --trade a minimal round trip with its stop.
                                            Live also needs --i-understand-this-trades-real-money; exit 1 when a step fails
  position list                             The open positions, on paper and on exchanges, with their ids
  position close --id ID [--percent N | --quantity Q]
                                            Close a position, or part of it, at market (rounded to the market's step)
  position modify --id ID [--stop-loss P] [--take-profit P|none]
                                            Move its stop-loss or take-profit; a live position also needs
                                            --i-understand-this-trades-real-money
  position trail --id ID (--distance D | --atr M [--atr-period N] | --off) [--break-even-at R]
                                            Trail its stop by a distance or an ATR multiple, and move it to break-even
                                            at R times its risk; --off takes them off. The stop only ever tightens
  doctor                                    Check the desk's health: integrity, orphans, indexes, schema, backups, disk, replication, strategies
  serve [--port P]                          Start browser mode (the control panel on 127.0.0.1 with a token)
  migrate [--to N] [--dry-run]              Apply pending migrations (backup first)
  rollback (--steps N | --to N) [--force]   Run down migrations in reverse order (backup first)
  status                                    Show every migration: applied, pending, drifted, missing, unknown_newer
  plan [--to N]                             List pending migrations with their class, statements and warnings
  baseline --version N                      Adopt an existing database that already has the schema up to N
  backup                                    Back up the database now (backup API, quick_check, catalogued)
  backups                                   List the backups, newest first
  verify <file>                             Check a backup against its sha256 and with integrity_check
  restore <file>                            Restore a backup (the current database is backed up first)
  prune                                     Delete backups the retention policy no longer keeps

Options:
  --data-dir DIR   SQLite data directory (default: TRADEDECK_DATA_DIR or the platform's app data folder)
  --pg URL         Work on a PostgreSQL database instead (postgres://user:pass@host:port/db)
  --profile P      The profile to act as, by name or id (import, backtest; default: the desk's first profile)
  --json           Print one JSON object on stdout
  -h, --help       Show this help

Exit codes: 0 ok, 1 failure (for doctor: a check failed), 2 usage error.`
