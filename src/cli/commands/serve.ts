import type { Command } from 'commander';

/** Registers the `serve` command(s). */
export function registerServeCommands(_program: Command): void {}
