/** An error whose message is shown to the user as one line, with exit code 2. */
export class CliError extends Error {}
