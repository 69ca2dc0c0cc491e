import type { Command } from 'commander';

/** Registers the `config` command(s). */
export function registerConfigCommands(_program: Command): void {}
