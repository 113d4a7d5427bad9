/** Reads an experiment file (JSON or YAML) and validates it. */
import { parse as parseYaml } from 'yaml';
import { ExperimentSchema, type Experiment } from './experiment.js';
import { ValidationError, validate } from './format.js';

/** JSON for `.json`, YAML for `.yaml`/`.yml`; otherwise JSON if the text starts with `{`. */
export function documentFormat(text: string, fileName: string): 'json' | 'yaml' {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

/** Parses JSON or YAML text into plain data; errors name the file. */
export function parseDocument(text: string, fileName: string): unknown {
  const format = documentFormat(text, fileName);
  try {
    return format === 'json' ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown);
  } catch (e) {
    const detail = (e instanceof Error ? e.message : String(e)).trim();
    throw new ValidationError(fileName, [
      { path: '', message: `not valid ${format === 'json' ? 'JSON' : 'YAML'}: ${detail}` },
    ]);
  }
}

/**
 * Parses and validates an experiment file, filling defaults. Throws a ValidationError whose
 * message names the file and each bad field, e.g.
 * `exp.yaml: vms[1].guestPages: expected a positive integer, got -5`.
 */
export function parseExperiment(text: string, fileName: string): Experiment {
  const data = parseDocument(text, fileName);
  if (data === null || data === undefined)
    throw new ValidationError(fileName, [{ path: '', message: 'the file is empty' }]);
  return validate(ExperimentSchema, data, fileName);
}
