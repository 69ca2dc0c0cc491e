import type { Command } from 'commander';

/** Registers the `routers` command(s). */
export function registerRoutersCommands(_program: Command): void {}
