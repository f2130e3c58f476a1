/**
 * The largest file any import reader takes: a Freqtrade database (a real one of years of
 * trading is tens of MB). Files are refused past it before a byte is copied or hashed;
 * each reader then holds its own format to its own, smaller, limit.
 */
export const MAX_IMPORT_FILE_BYTES = 1024 ** 3
