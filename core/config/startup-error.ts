/** A problem that stops the gateway from starting; its message names what to fix. */
export class StartupError extends Error {}
