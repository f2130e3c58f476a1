export const USAGE = `Usage: tradedeck <command> [options]

Commands:
  serve                      Start browser mode (the control panel on 127.0.0.1 with a token)

Options:
  --data-dir DIR             Data directory (default: TRADEDECK_DATA_DIR or the platform's app data folder)
  --port P                   serve: port to listen on (default 0 = any free port)
  --json                     Print one JSON object on stdout
  -h, --help                 Show this help

Exit codes: 0 ok, 1 failure, 2 usage error.`

export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}
