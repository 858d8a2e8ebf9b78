/**
 * A comparison's numbers as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they
 * hold a comma, a quote or a line break, quotes doubled): one row per model and metric, with the
 * reference split's own rows first, so a spreadsheet can pivot on `metric`. An undefined value
 * (a NaN metric, no likelihood) is an empty field.
 */
import type { Comparison, ModelComparison } from '../ipc/schemas';
import { MUSPY_METRIC_NAMES } from '../metrics/muspy';
import { safeFileName } from './files';

export const CSV_HEADER = ['model', 'family', 'representation', 'metric', 'value'] as const;

type Value = number | boolean | string | null;
type Row = readonly [model: string, family: string, representation: string, metric: string, value: Value];

/** One field, quoted when it must be. */
export function csvField(value: Value): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: readonly Value[]): string {
  return fields.map(csvField).join(',');
}

function musPyRows(prefix: readonly [string, string, string], metrics: ModelComparison['musPy']): Row[] {
  return MUSPY_METRIC_NAMES.flatMap((name): Row[] => {
    const summary = metrics.metrics[name];
    return [
      [...prefix, `musPy.${name}.mean`, summary.mean],
      [...prefix, `musPy.${name}.sd`, summary.sd],
    ];
  });
}

function modelRows(model: ModelComparison): Row[] {
  const prefix = [model.modelName, model.family, model.representation] as const;
  const rows: Row[] = [
    [...prefix, 'nllPerToken', model.nllPerToken],
    [...prefix, 'perplexity', model.perplexity],
    [...prefix, 'nllIsBound', model.nllIsBound],
    [...prefix, 'trainingSeconds', model.trainingSeconds],
    [...prefix, 'sizeBytes', model.sizeBytes],
    [...prefix, 'samples', model.clipIds.length],
    ...musPyRows(prefix, model.musPy),
  ];
  for (const feature of model.relative.features) {
    // The paper's measure: the reference's intra-set distances against the inter-set ones.
    rows.push([...prefix, `yangLerch.${feature.feature}.overlapArea`, feature.reference?.overlapArea ?? null]);
    rows.push([...prefix, `yangLerch.${feature.feature}.klDivergence`, feature.reference?.klDivergence ?? null]);
  }
  return rows;
}

/** The rows of a comparison, header first; empty of data rows while it has no results. */
export function comparisonCsvRows(comparison: Pick<Comparison, 'results'>): Row[] {
  const results = comparison.results;
  if (!results) return [];
  const reference = [`Reference (${results.reference.split} split)`, 'corpus', ''] as const;
  return [[...reference, 'pieces', results.reference.pieces], ...musPyRows(reference, results.reference.musPy), ...results.models.flatMap(modelRows)];
}

export function comparisonCsv(comparison: Pick<Comparison, 'id' | 'name' | 'results'>): { fileName: string; text: string } {
  const lines = [csvLine(CSV_HEADER), ...comparisonCsvRows(comparison).map(csvLine)];
  return { fileName: `${safeFileName(comparison.name, `comparison-${comparison.id}`)}.csv`, text: `${lines.join('\r\n')}\r\n` };
}
