/** The alias file cannot be read or is invalid; the message says what to fix (at start and on SIGHUP). */
export class AliasFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AliasFileError';
  }
}
