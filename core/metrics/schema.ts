/** zod schemas of the metrics' JSON results, for the IPC contract (they cross IPC as plain JSON). */
import { z } from 'zod';
import type { ComparisonReport } from './compare';
import { MUSPY_METRIC_NAMES, type MusPySetMetrics } from './muspy';
import { YANG_LERCH_FEATURE_NAMES } from './yang-lerch';

const count = z.number().int().nonnegative();
const nonNegative = z.number().nonnegative();

export const MetricSummarySchema = z.object({
  n: count,
  mean: z.number().nullable(),
  sd: nonNegative.nullable(),
  values: z.array(z.number().nullable()),
});

export const MusPySetMetricsSchema = z.object({
  pieces: count,
  options: z.object({ polyphonyThreshold: nonNegative, grooveResolution: z.number().int().positive() }),
  metrics: z.record(z.enum(MUSPY_METRIC_NAMES), MetricSummarySchema),
}) satisfies z.ZodType<MusPySetMetrics>;

export const DistanceSummarySchema = z.object({
  count,
  mean: nonNegative.nullable(),
  sd: nonNegative.nullable(),
  min: nonNegative.nullable(),
  max: nonNegative.nullable(),
});

export const SetFeatureSummarySchema = z.object({
  n: count,
  mean: z.array(z.number()).nullable(),
  sd: z.array(nonNegative).nullable(),
});

export const RelativeMeasureSchema = z.object({
  overlapArea: z.number().min(0).max(1),
  klDivergence: nonNegative,
  bandwidths: z.object({ intra: nonNegative, inter: nonNegative }),
  degenerate: z.boolean(),
});

export const DensityCurvesSchema = z.object({
  x: z.array(z.number()),
  intraReference: z.array(nonNegative).nullable(),
  intraGenerated: z.array(nonNegative).nullable(),
  inter: z.array(nonNegative).nullable(),
});

export const FeatureComparisonSchema = z.object({
  feature: z.enum(YANG_LERCH_FEATURE_NAMES),
  dimensions: z.number().int().positive(),
  absolute: z.object({ reference: SetFeatureSummarySchema, generated: SetFeatureSummarySchema }),
  distances: z.object({ intraReference: DistanceSummarySchema, intraGenerated: DistanceSummarySchema, inter: DistanceSummarySchema }),
  reference: RelativeMeasureSchema.nullable(),
  generated: RelativeMeasureSchema.nullable(),
  curves: DensityCurvesSchema.nullable(),
});

export const ComparisonReportSchema = z.object({
  referencePieces: count,
  generatedPieces: count,
  options: z.object({
    bandwidth: z.enum(['scott', 'silverman']),
    gridPoints: z.number().int().min(16).nullable(),
    curvePoints: z.number().int().min(2),
    transitionThresholdSeconds: z.number().positive(),
  }),
  features: z.array(FeatureComparisonSchema),
}) satisfies z.ZodType<ComparisonReport>;
