/**
 * A family's settings as a list of typed fields, apart from React: each field says where its number
 * goes in the settings (a path, e.g. ["rewards", "kl"]), whether it is whole, and how it reads. The
 * form keeps the text as typed; validation turns it into numbers, builds the training request and
 * lets the contract's schema decide every limit, showing its messages (or a sentence in place of
 * zod's default wording). The VAE and RL forms are lists of these fields, so neither repeats the
 * parsing or the mapping of the schema's issues back to fields.
 */
import { TrainModelInputSchema, type TrainModelInput } from '../../../../core/ipc/schemas';
import { TRAIN_LIMITS } from './train-form';

export interface NumberFieldSpec {
  /** The form's key (and the field's test id suffix). */
  readonly key: string;
  readonly label: string;
  /** Where the number goes in the settings. */
  readonly path: readonly string[];
  readonly whole: boolean;
  readonly hint?: string;
  /** The heading it is shown under. */
  readonly group: string;
  /** An example shown when the text is not a number. */
  readonly example?: string;
}

/** Text per field key, as typed. */
export type FieldTexts = Readonly<Record<string, string>>;
export type SettingsErrors = Partial<Record<string, string>>;

/** The number at `path` in `settings` as text (empty when absent). */
function textAt(settings: unknown, path: readonly string[]): string {
  let value: unknown = settings;
  for (const part of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  return typeof value === 'number' ? String(value) : '';
}

/** The texts of the fields from settings (usually the schema's defaults). */
export function textsFrom(specs: readonly NumberFieldSpec[], settings: unknown): Record<string, string> {
  return Object.fromEntries(specs.map((spec) => [spec.key, textAt(settings, spec.path)]));
}

type Parsed = { readonly value: number } | { readonly error: string };

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** A number as typed: "1e-3", ".3", "12"; whole numbers where the setting is one. */
export function parseFieldText(text: string, spec: NumberFieldSpec): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return { error: `Enter ${lowerFirst(spec.label)}.` };
  if (spec.whole) return /^[+-]?\d+$/.test(trimmed) ? { value: Number(trimmed) } : { error: `${spec.label} is a whole number.` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: `${spec.label} is a number such as ${spec.example ?? '0.5'}.` };
  return { value };
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: number): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

/** The schema's message, or a sentence in place of zod's default wording ("Too small: expected …"). */
export function fieldMessage(spec: NumberFieldSpec, issue: { readonly code: string; readonly message: string; readonly minimum?: unknown; readonly maximum?: unknown }): string {
  if (!/^(Too small|Too big|Invalid)/.test(issue.message)) return issue.message;
  const limit = (value: unknown) => (typeof value === 'number' ? value.toLocaleString('en-US') : String(value));
  if (issue.code === 'too_small' && issue.minimum !== undefined) return `${spec.label} is at least ${limit(issue.minimum)}.`;
  if (issue.code === 'too_big' && issue.maximum !== undefined) return `${spec.label} is at most ${limit(issue.maximum)}.`;
  return `${spec.label}: ${issue.message}`;
}

export type SettingsValidation<F extends TrainModelInput['family']> =
  | { readonly ok: true; readonly input: Extract<TrainModelInput, { family: F }> }
  | { readonly ok: false; readonly errors: SettingsErrors };

/**
 * The training request for `family` from the fields' texts and the settings they do not cover
 * (`fixed`: choices such as hierarchical or the start model), or a message per wrong field (keys:
 * the fields', or corpusId / name / a fixed setting's name).
 */
export function validateSettingsForm<F extends TrainModelInput['family']>(
  family: F,
  specs: readonly NumberFieldSpec[],
  texts: FieldTexts,
  fixed: Readonly<Record<string, unknown>>,
  common: { readonly corpusId: number | null; readonly name: string },
): SettingsValidation<F> {
  const errors: SettingsErrors = {};
  const settings: Record<string, unknown> = { family, ...fixed };
  for (const spec of specs) {
    const parsed = parseFieldText(texts[spec.key] ?? '', spec);
    if ('error' in parsed) errors[spec.key] = parsed.error;
    else setAt(settings, spec.path, parsed.value);
  }
  if (common.corpusId === null) errors.corpusId = 'Choose the corpus to train on.';
  const name = common.name.trim();
  if (name.length > TRAIN_LIMITS.name.max) errors.name = `A name is at most ${TRAIN_LIMITS.name.max} characters.`;
  const candidate = { corpusId: common.corpusId ?? 1, ...(name === '' ? {} : { name }), family, settings };
  const checked = TrainModelInputSchema.safeParse(candidate);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const path = issue.path.filter((part): part is string => typeof part === 'string');
      const inSettings = path[0] === 'settings' ? path.slice(1) : path;
      const spec = specs.find((candidateSpec) => candidateSpec.path.join('.') === inSettings.join('.'));
      // A field the form already found wrong keeps its own message; unparsed fields are missing to the schema.
      const key = spec?.key ?? inSettings[0] ?? 'corpusId';
      if (errors[key] !== undefined) continue;
      errors[key] = spec ? fieldMessage(spec, issue as Parameters<typeof fieldMessage>[1]) : issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !checked.success) return { ok: false, errors };
  const input = checked.data;
  if (input.family !== family) throw new Error(`The ${family} form described another family.`);
  return { ok: true, input: input as Extract<TrainModelInput, { family: F }> };
}

/** The fields by their group, in the order given. */
export function groupFields(specs: readonly NumberFieldSpec[]): readonly { readonly group: string; readonly fields: readonly NumberFieldSpec[] }[] {
  const groups: { group: string; fields: NumberFieldSpec[] }[] = [];
  for (const spec of specs) {
    const last = groups.at(-1);
    if (last && last.group === spec.group) last.fields.push(spec);
    else groups.push({ group: spec.group, fields: [spec] });
  }
  return groups;
}
