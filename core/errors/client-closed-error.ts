/** The caller went away. Never rendered (nobody is listening); it stops the chain and the upstream call. */
export class ClientClosedError extends Error {
  constructor() {
    super('the client closed the connection');
    this.name = 'ClientClosedError';
  }
}
