/**
 * Opens SQLite databases. The Electron app runs on Electron's Node ABI while the CLI, the web
 * server and the tests run on plain Node; `npm start` prepares an Electron build of
 * better-sqlite3's native module and names it in HCLAB_SQLITE_BINDING, so one installation
 * serves both.
 */
import Database from 'better-sqlite3';

export function openDatabase(file: string, options: Database.Options = {}): Database.Database {
  const nativeBinding = process.env.HCLAB_SQLITE_BINDING;
  return new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
}
