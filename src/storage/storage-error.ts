/** A database that cannot be used: failed migration, or the wrong encryption key. */
export class StorageError extends Error {}
